"""Counts of a subtree, computed from the data, and the sentence the reports write about them."""

from dataclasses import dataclass, field

from django.db.models import Count

from members.models import Member

from .models import Organization, OrgKind


@dataclass(frozen=True)
class SubtreeSummary:
    org: Organization
    by_kind: dict[str, int] = field(default_factory=dict)  # below the org, active only
    members: int = 0  # party members (正式 + 预备) in the whole subtree
    probationary: int = 0

    def count(self, kind: str) -> int:
        return self.by_kind.get(kind, 0)

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
    stages = dict(
        Member.objects.party_members()
        .filter(org__path__startswith=org.path)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("id"))
    )
    return SubtreeSummary(
        org=org,
        by_kind=by_kind,
        members=sum(stages.values()),
        probationary=stages.get("probationary", 0),
    )
