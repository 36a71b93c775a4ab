"""Review coverage (点评台帐's other half): which orgs and members of a subtree have had a review.

An org or member counts as reviewed when a review that took place (held or announced) has it as its
target, in the chosen campaign, or in any campaign when none is chosen. The head reviewed together
with their org counts as a reviewed member. The chosen org itself is not counted among the orgs: it is
reviewed from above. 党小组 are not reviewed as orgs; their members are counted with them.

Everything is counted in three queries, whatever the size of the subtree, plus one for the orgs that
name the chart's groups and one for the orgs of the rows shown (see Rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, Max, Q

from branches.models import Organization, OrgKind
from members import headcount
from members.models import Member

# What a row's org is read for: its link, name and kind, the chart's short label.
ROW_ORG_FIELDS = ("id", "path", "depth", "name", "short_name", "kind", "is_joint", "is_temporary")
LOAD_CHUNK = 2000


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(slots=True)
class CoverageRow:
    org: Organization | None  # read from the database when the row is first handed out (see Rows)
    reviewed: bool  # the org itself (always False for the chosen org, which is not counted)
    last_review_on: object = None
    members: int = 0
    members_reviewed: int = 0
    counted: bool = True  # False for the chosen org's own row (members only)
    org_id: int | None = None

    @property
    def member_rate(self) -> float | None:
        return _share(self.members_reviewed, self.members)


class Rows(Sequence):
    """The rows in path order; their orgs are read only for the rows handed out.

    A province has some 15,000 orgs and the page shows 50: a slice reads its orgs in one query,
    iterating (the workbook) reads them in chunks. ``where`` narrows without reading any.
    """

    def __init__(self, rows: list[CoverageRow], known: dict[int, Organization]):
        self._rows = rows
        self._known = known  # shared by the narrowed lists, so no org is read twice

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            rows = self._rows[index]
            self._load(rows)
            return rows
        row = self._rows[index]
        self._load([row])
        return row

    def __iter__(self):
        for start in range(0, len(self._rows), LOAD_CHUNK):
            chunk = self._rows[start : start + LOAD_CHUNK]
            self._load(chunk)
            yield from chunk

    def where(self, *, counted: bool | None = None, reviewed: bool | None = None) -> Rows:
        rows = [
            r
            for r in self._rows
            if (counted is None or r.counted == counted) and (reviewed is None or r.reviewed == reviewed)
        ]
        return Rows(rows, self._known)

    def _load(self, rows: list[CoverageRow]) -> None:
        wanted = [r.org_id for r in rows if r.org is None and r.org_id not in self._known]
        if wanted:
            for org in Organization.objects.filter(pk__in=wanted).only(*ROW_ORG_FIELDS):
                self._known[org.pk] = org
        for row in rows:
            if row.org is None:
                row.org = self._known[row.org_id]


@dataclass
class Group:
    """A child of the chosen org with everything below it, for the chart."""

    org: Organization
    orgs: int = 0
    orgs_reviewed: int = 0
    members: int = 0
    members_reviewed: int = 0

    @property
    def org_rate(self) -> float | None:
        return _share(self.orgs_reviewed, self.orgs)

    @property
    def member_rate(self) -> float | None:
        return _share(self.members_reviewed, self.members)


@dataclass
class Coverage:
    org: Organization
    campaign: object
    rows: Rows = field(default_factory=lambda: Rows([], {}))
    groups: list[Group] = field(default_factory=list)
    orgs: int = 0
    orgs_reviewed: int = 0
    members: int = 0
    members_reviewed: int = 0

    @property
    def org_rate(self) -> float | None:
        return _share(self.orgs_reviewed, self.orgs)

    @property
    def member_rate(self) -> float | None:
        return _share(self.members_reviewed, self.members)


def _tuples(queryset) -> list[tuple]:
    """A values_list queryset's rows as the driver returns them: these columns need no conversion,
    and skipping Django's per-row converters halves the cost of reading 15,000 orgs."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def coverage(org: Organization, campaign, *, reviews) -> Coverage:
    """``reviews`` is the user's visible Review queryset."""
    done = reviews.done().in_subtree(org)
    if campaign is not None:
        done = done.filter(campaign=campaign)
    step = Organization.steplen
    # Every org of the subtree as a tuple with its party members from the kept counts
    # (members/headcount.py), not from the member rows; Rows reads the orgs of the rows shown.
    tree = headcount.with_party_members(Organization.objects.in_subtree(org)).order_by("path")
    orgs, row_paths, member_counts, group = [], set(), {}, OrgKind.GROUP.value
    for pk, path, active, kind, party in _tuples(tree.values_list("pk", "path", "is_active", "kind", "party_members")):
        if active and kind != group:
            orgs.append((pk, path))
            row_paths.add(path)
            if party:
                member_counts[path] = member_counts.get(path, 0) + party
        elif party:
            # A 党小组's members belong to its branch's row.
            member_counts[path[:-step]] = member_counts.get(path[:-step], 0) + party
    last_by_org = dict(
        done.filter(target_org__isnull=False)
        .values("target_org_id")
        .annotate(on=Max("held_on"))
        .values_list("target_org_id", "on")
    )
    # The reviewed ones are found from the reviews' side: few reviews, many members.
    reviewed_ids = (
        done.filter(target_member__isnull=False)
        .values("target_member_id")
        .union(done.filter(target_head__isnull=False).values("target_head_id"))
    )
    reviewed_members = Member.objects.party_members().in_subtree(org).filter(pk__in=reviewed_ids).order_by()
    reviewed_counts: dict[str, int] = {}
    for path, n in reviewed_members.values("org__path").annotate(n=Count("id")).values_list("org__path", "n"):
        key = path if path in row_paths else path[:-step]
        reviewed_counts[key] = reviewed_counts.get(key, 0) + n

    result = Coverage(org=org, campaign=campaign)
    rows: list[CoverageRow] = []
    groups: dict[str, Group] = {}
    first_rows: list[CoverageRow] = []
    key_length, root_pk = len(org.path) + step, org.pk
    for pk, path in orgs:
        members, members_reviewed = member_counts.get(path, 0), reviewed_counts.get(path, 0)
        result.members += members
        result.members_reviewed += members_reviewed
        if pk == root_pk:
            rows.append(CoverageRow(org, pk in last_by_org, last_by_org.get(pk), members, members_reviewed, False, pk))
            continue
        reviewed = pk in last_by_org
        row = CoverageRow(None, reviewed, last_by_org.get(pk), members, members_reviewed, True, pk)
        rows.append(row)
        result.orgs += 1
        result.orgs_reviewed += reviewed
        group = groups.get(path[:key_length])
        if group is None:
            group = groups[path[:key_length]] = Group(org=None)
            first_rows.append(row)
        group.orgs += 1
        group.orgs_reviewed += reviewed
        group.members += members
        group.members_reviewed += members_reviewed
    result.rows = Rows(rows, {org.pk: org})
    # Each group is named after its first org (the child itself, unless that is a 党小组 or dissolved).
    result.rows._load(first_rows)
    for group, row in zip(groups.values(), first_rows, strict=True):
        group.org = row.org
    result.groups = list(groups.values())
    return result


def member_rows(org: Organization, campaign, *, reviews):
    """The party members directly in the org (and its 党小组), each with whether they were reviewed."""
    done = reviews.done()
    if campaign is not None:
        done = done.filter(campaign=campaign)
    # As a subquery of org ids, not an OR across the join: the member index on org is then used
    # instead of reading every member row of the database.
    own_orgs = Organization.objects.filter(
        Q(pk=org.pk) | Q(path__startswith=org.path, kind=OrgKind.GROUP, depth=org.depth + 1)
    ).values("pk")
    members = (
        Member.objects.party_members()
        .filter(org__in=own_orgs)
        .annotate(
            reviews_done=Count("reviews_received", filter=Q(reviews_received__in=done.values("pk")), distinct=True)
            + Count("reviews_as_head", filter=Q(reviews_as_head__in=done.values("pk")), distinct=True)
        )
        .select_related("org")
        .order_by("name", "id")
    )
    return members
