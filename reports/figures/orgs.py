"""Organizations and members of a subtree: counts by kind and category, and the two parts of the tree
the education bureau's report counts separately (its direct branches, and the orgs under the
committees it holds). A fixed handful of grouped queries, whatever the size of the subtree."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Substr

from branches.models import Organization, OrgCategory, OrgKind
from members import headcount
from members.models import PARTY_MEMBER_STAGES, Stage

COMMITTEE_KINDS = (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE)


@dataclass
class Part:
    """Direct part: the org's own branches (and general branches) with everything under them.
    Below part: everything under the committees the org holds, the committees themselves left out."""

    committees: int = 0  # committees the part hangs from (below part only)
    by_kind: dict[str, int] = field(default_factory=dict)
    members: int = 0

    @property
    def orgs(self) -> int:
        return sum(self.by_kind.values())


@dataclass
class OrgFigures:
    by_kind: dict[str, int] = field(default_factory=dict)  # active orgs below the org
    by_category: dict[str, int] = field(default_factory=dict)  # active orgs below, by category
    branches_by_category: dict[str, int] = field(default_factory=dict)
    by_stage: dict[str, int] = field(default_factory=dict)  # everyone on the rosters of the subtree
    direct: Part = field(default_factory=Part)
    below: Part = field(default_factory=Part)

    def count(self, kind: str) -> int:
        return self.by_kind.get(kind, 0)

    @property
    def committees(self) -> int:
        return self.count(OrgKind.COMMITTEE) + self.count(OrgKind.WORKING_COMMITTEE)

    @property
    def general_branches(self) -> int:
        return self.count(OrgKind.GENERAL_BRANCH)

    @property
    def branches(self) -> int:
        return self.count(OrgKind.BRANCH)

    @property
    def groups(self) -> int:
        return self.count(OrgKind.GROUP)

    @property
    def members(self) -> int:
        return sum(self.by_stage.get(s, 0) for s in PARTY_MEMBER_STAGES)

    @property
    def full(self) -> int:
        return self.by_stage.get(Stage.FULL, 0)

    @property
    def probationary(self) -> int:
        return self.by_stage.get(Stage.PROBATIONARY, 0)

    @property
    def has_parts(self) -> bool:
        """Both parts exist: direct branches and orgs under sub-committees (the 教育局 shape)."""
        return bool(self.direct.orgs and self.below.orgs)

    def kind_rows(self) -> list[tuple[str, str, int]]:
        return [(k.value, str(k.label), self.count(k)) for k in OrgKind]

    def category_rows(self) -> list[tuple[str, str, int, int]]:
        """(category, label, orgs, branches) for the categories that have any."""
        rows = []
        for c in OrgCategory:
            n = self.by_category.get(c.value, 0)
            if n:
                rows.append((c.value, str(c.label), n, self.branches_by_category.get(c.value, 0)))
        if self.by_category.get(""):
            rows.append(("", "未分类", self.by_category[""], self.branches_by_category.get("", 0)))
        return rows

    def stage_rows(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.by_stage.get(s.value, 0)) for s in reversed(Stage)]


def org_figures(org: Organization) -> OrgFigures:
    figures = OrgFigures()
    below = Organization.objects.filter(path__startswith=org.path, is_active=True).exclude(pk=org.pk).order_by()
    for kind, category, n in below.values_list("kind", "category").annotate(n=Count("id")):
        figures.by_kind[kind] = figures.by_kind.get(kind, 0) + n
        figures.by_category[category] = figures.by_category.get(category, 0) + n
        if kind == OrgKind.BRANCH:
            figures.branches_by_category[category] = figures.branches_by_category.get(category, 0) + n

    # Counts by stage from the kept per-org headcounts (members/headcount.py): one row per org, not
    # one per member.
    figures.by_stage = headcount.subtree_by_stage(org.path)
    _parts(org, below, figures)
    return figures


def _parts(org, below, figures: OrgFigures) -> None:
    """Split the subtree by the org's children: each descendant is grouped by the child it lies under
    (the prefix of its path one step below the org)."""
    top = len(org.path) + Organization.steplen
    child_kinds = dict(below.filter(depth=org.depth + 1).values_list("path", "kind"))
    under = (
        below.filter(depth__gt=org.depth + 1)
        .annotate(top=Substr("path", 1, top))
        .values_list("top", "kind")
        .annotate(n=Count("id"))
    )
    for child_path, kind, n in under:
        part = figures.below if child_kinds.get(child_path) in COMMITTEE_KINDS else figures.direct
        part.by_kind[kind] = part.by_kind.get(kind, 0) + n
    for kind in child_kinds.values():
        if kind in COMMITTEE_KINDS:
            figures.below.committees += 1
        else:
            figures.direct.by_kind[kind] = figures.direct.by_kind.get(kind, 0) + 1
    # Summed by child in the database: a province's 15,000 rows stay there. The org's own members
    # are the org's own (no child above them).
    party = headcount.party_by_prefix(org.depth + 1, Q(org__path__startswith=org.path))
    party.update(headcount.party_by_prefix(org.depth, Q(org=org)))
    for child_path, n in party.items():
        # Members of the org itself count with its direct part: they are the org's own.
        part = figures.below if child_kinds.get(child_path) in COMMITTEE_KINDS else figures.direct
        part.members += n
