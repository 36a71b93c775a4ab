"""Counts of a subtree, computed from the data, and the sentence the reports write about them."""

from dataclasses import dataclass, field

from django.db.models import Count

from members import headcount
from members.models import PARTY_MEMBER_STAGES, Stage

from .models import Organization, OrgCategory, OrgKind


@dataclass(frozen=True)
class SubtreeSummary:
    org: Organization
    by_kind: dict[str, int] = field(default_factory=dict)  # below the org, active only
    members: int = 0  # party members (正式 + 预备) in the whole subtree
    probationary: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)  # everyone on the rosters, pipeline included
    branches_by_category: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return self.by_kind.get(kind, 0)

    @property
    def stage_rows(self) -> list[tuple[str, str, int]]:
        """(stage, label, count) in pipeline order, latest stage first, as the home page lists them."""
        return [(s.value, s.label, self.by_stage.get(s.value, 0)) for s in reversed(Stage)]

    @property
    def category_rows(self) -> list[tuple[str, int, float]]:
        """(label, branches, share of the largest) for the categories that have branches."""
        if not self.branches_by_category:
            return []
        top = max(self.branches_by_category.values())
        return [
            (str(OrgCategory(c).label) if c else "—", n, n / top)
            for c, n in sorted(self.branches_by_category.items(), key=lambda item: -item[1])
        ]

    @property
    def committees(self) -> int:
        return self.count(OrgKind.COMMITTEE) + self.count(OrgKind.WORKING_COMMITTEE)

    @property
    def sentence(self) -> str:
        """E.g. "下辖81个党委、21个党总支、557个党支部，共有党员9550名"."""
        parts = []
        for number, word in (
            (self.committees, "党委"),
            (self.count(OrgKind.GENERAL_BRANCH), "党总支"),
            (self.count(OrgKind.BRANCH), "党支部"),
            (self.count(OrgKind.GROUP), "党小组"),
        ):
            if number:
                parts.append(f"{number}个{word}")
        head = f"下辖{'、'.join(parts)}，" if parts else ""
        return f"{head}共有党员{self.members}名"


def subtree_summary(org: Organization) -> SubtreeSummary:
    below = Organization.objects.filter(path__startswith=org.path, is_active=True).exclude(pk=org.pk)
    by_kind = below.counts_by_kind()
    stages = headcount.subtree_by_stage(org.path)
    categories = dict(below.filter(kind=OrgKind.BRANCH).order_by().values_list("category").annotate(n=Count("id")))
    return SubtreeSummary(
        org=org,
        by_kind=by_kind,
        members=sum(stages.get(stage, 0) for stage in PARTY_MEMBER_STAGES),
        probationary=stages.get(Stage.PROBATIONARY, 0),
        by_stage=stages,
        branches_by_category=categories,
    )
