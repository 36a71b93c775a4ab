"""Review coverage (点评台帐's other half): which orgs and members of a subtree have had a review.

An org or member counts as reviewed when a review that took place (held or announced) has it as its
target, in the chosen campaign, or in any campaign when none is chosen. The head reviewed together
with their org counts as a reviewed member. The chosen org itself is not counted among the orgs: it is
reviewed from above. 党小组 are not reviewed as orgs; their members are counted with them.

A row is an active org that is not a 党小组. The members of an org that is not a row (a 党小组, a
dissolved org) count in their parent's row, when the parent is one; otherwise in no row.

A province has some 15,000 orgs and the page shows 50, so nothing here reads every org into Python:
the totals and the chart's groups are one grouped query (``_SUMMARY``), their naming orgs one more,
and the rows are paged in SQL in path order (Rows): two queries per page; the workbook reads its rows
in chunks of 2,000 (one query each, after two for the counts that are not the rows' own).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from branches.models import Organization, OrgKind
from members import headcount
from members.models import Member, OrgHeadcount

# What a row's org is read for: its link, name and kind, the chart's short label.
ROW_ORG_FIELDS = ("id", "path", "depth", "name", "short_name", "kind", "is_joint", "is_temporary")
LOAD_CHUNK = 2000
# The orgs that are not rows: their members count in their parent's row.
_NOT_A_ROW = Q(is_active=False) | Q(kind=OrgKind.GROUP)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(slots=True)
class CoverageRow:
    org: Organization | None
    reviewed: bool  # the org itself was a review's target (also said of the chosen org, not counted)
    last_review_on: object = None
    members: int = 0
    members_reviewed: int = 0
    counted: bool = True  # False for the chosen org's own row (members only)
    org_id: int | None = None

    @property
    def member_rate(self) -> float | None:
        return _share(self.members_reviewed, self.members)


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


class _Source:
    """What the rows of one coverage are read from: the subtree, the reviews that took place, and the
    sizes the summary already knows (so a list's length costs no query)."""

    def __init__(self, org: Organization, done, reviewed_members):
        self.org = org
        self.done = done
        self.reviewed_members = reviewed_members  # party members of the subtree reviewed
        self.orgs = self.orgs_reviewed = 0
        self.root_row: tuple[bool] | None = None  # (reviewed,) when the chosen org is a row itself

    def length(self, counted: bool | None, reviewed: bool | None) -> int:
        sizes = {True: self.orgs_reviewed, False: self.orgs - self.orgs_reviewed, None: self.orgs}
        n = sizes[reviewed] if counted is not False else 0
        if counted is not True and self.root_row is not None and reviewed in (None, self.root_row[0]):
            n += 1
        return n

    def row_orgs(self, counted: bool | None, reviewed: bool | None):
        """The ids of the row orgs, in path order: the path index serves both the order and the offset."""
        orgs = Organization.objects.in_subtree(self.org).filter(is_active=True).exclude(kind=OrgKind.GROUP)
        if counted is True:
            orgs = orgs.exclude(pk=self.org.pk)
        elif counted is False:
            orgs = orgs.filter(pk=self.org.pk)
        if reviewed is not None:
            reviews_of = Exists(self.done.filter(target_org=OuterRef("pk")))
            orgs = orgs.filter(reviews_of if reviewed else ~reviews_of)
        return orgs.order_by("path").values("pk")

    def _orgs(self, ids):
        """The orgs with these ids (a sliced ``row_orgs``) in path order, with their last review.

        The last review is looked up in an outer query, for these rows only: beside the offset it
        would be looked up for every row skipped too.
        """
        last = self.done.filter(target_org=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
        orgs = Organization.objects.filter(pk__in=ids).annotate(last_review_on=Subquery(last))
        return orgs.only(*ROW_ORG_FIELDS).order_by("path")

    def _with_counts(self, orgs):
        """Orgs annotated with their own party members and how many of them were reviewed."""
        reviewed = self.reviewed_members.filter(org=OuterRef("pk")).order_by().values("org").annotate(n=Count("pk"))
        return headcount.with_party_members(orgs).annotate(
            reviewed=Coalesce(Subquery(reviewed.values("n")), 0, output_field=IntegerField())
        )

    def read(self, ids) -> list[CoverageRow]:
        """The rows of a page, with the members of their 党小组 and dissolved children: two queries."""
        orgs = list(self._orgs(ids))
        if not orgs:
            return []
        children = reduce(or_, (Q(path__startswith=o.path, depth=o.depth + 1) for o in orgs))
        rows = Q(pk__in=[o.pk for o in orgs])
        own, below = {}, {}
        for path, party, n in self._with_counts(
            Organization.objects.filter(rows | (children & _NOT_A_ROW))
        ).values_list("path", "party_members", "reviewed"):
            own[path] = (party, n)
        row_paths = {o.path for o in orgs}
        for path in [path for path in own if path not in row_paths]:
            _add(below, path[: -Organization.steplen], own.pop(path))
        return self._assemble(orgs, own, below)

    def read_all(self, ordered):
        """Every row of ``ordered`` in path order, as the workbook reads them: the members reviewed and
        those of the orgs that are not rows once, then the orgs in chunks of LOAD_CHUNK, each following
        the last by path (not by an offset)."""
        reviewed = dict(
            self.reviewed_members.order_by().values("org_id").annotate(n=Count("id")).values_list("org_id", "n")
        )
        below = {}
        not_rows = headcount.with_party_members(Organization.objects.in_subtree(self.org).filter(_NOT_A_ROW))
        for pk, path, party in not_rows.values_list("pk", "path", "party_members"):
            _add(below, path[: -Organization.steplen], (party, reviewed.get(pk, 0)))
        last_path = None
        while True:
            chunk = ordered if last_path is None else ordered.filter(path__gt=last_path)
            orgs = list(headcount.with_party_members(self._orgs(chunk[:LOAD_CHUNK])))
            own = {o.path: (o.party_members, reviewed.get(o.pk, 0)) for o in orgs}
            yield from self._assemble(orgs, own, below)
            if len(orgs) < LOAD_CHUNK:
                return
            last_path = orgs[-1].path

    def _assemble(self, orgs, own: dict[str, tuple[int, int]], below: dict[str, list[int]]) -> list[CoverageRow]:
        """Rows of these orgs: (party members, reviewed) of their own (``own``, by path) and of their
        children that are not rows (``below``, by the parent's path)."""
        root = self.org.pk
        result = []
        for o in orgs:
            party, n = own.get(o.path, (0, 0))
            more = below.get(o.path, (0, 0))
            result.append(
                CoverageRow(
                    o, o.last_review_on is not None, o.last_review_on, party + more[0], n + more[1], o.pk != root, o.pk
                )
            )
        return result


def _add(sums: dict[str, list[int]], key: str, pair: tuple[int, int]) -> None:
    total = sums.setdefault(key, [0, 0])
    total[0] += pair[0]
    total[1] += pair[1]


class Rows(Sequence):
    """The rows in path order, read from the database only for the rows handed out.

    A slice is one page of orgs (LIMIT/OFFSET on the path index) and one query for their members;
    iterating (the workbook) reads chunks that follow the path (``read_all``). ``where`` narrows
    without reading anything: the lengths are the summary's.
    """

    def __init__(self, source: _Source, *, counted: bool | None = None, reviewed: bool | None = None):
        self._source = source
        self._counted = counted
        self._reviewed = reviewed

    def __len__(self) -> int:
        return self._source.length(self._counted, self._reviewed)

    def _read(self, start: int, stop: int) -> list[CoverageRow]:
        if stop <= start:
            return []
        return self._source.read(self._source.row_orgs(self._counted, self._reviewed)[start:stop])

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, stride = index.indices(len(self))
            if stride != 1:
                return list(self)[index]
            return self._read(start, stop)
        position = range(len(self))[index]  # IndexError past the end, as a list
        return self._read(position, position + 1)[0]

    def __iter__(self):
        return self._source.read_all(self._source.row_orgs(self._counted, self._reviewed))

    def where(self, *, counted: bool | None = None, reviewed: bool | None = None) -> Rows:
        return Rows(
            self._source,
            counted=self._counted if counted is None else counted,
            reviewed=self._reviewed if reviewed is None else reviewed,
        )


@dataclass
class Coverage:
    org: Organization
    campaign: object
    rows: Rows | Sequence = field(default_factory=list)
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


# One row per group of the chart (the path of the chosen org's child above; '' for what counts in the
# chosen org's own row): its rows, rows reviewed, members, members reviewed and first row's path, by
# which the group is named. Four parts summed by group: the rows with their own members (the one pass
# over every org of the subtree, joined by id only), the members of the orgs that are not rows when
# their parent is one (a lookup by path for each of these few), the rows reviewed and the members
# reviewed (as few as the reviews). Nothing is sorted or joined on path over the whole subtree: with
# 15,000 orgs that alone would cost more than the rest.
_SUMMARY = """
SELECT grp, SUM(n_rows), SUM(n_reviewed), SUM(members), SUM(members_reviewed), MIN(first_path)
FROM (
    SELECT {grp_o} AS grp, 1 AS n_rows, 0 AS n_reviewed, {party} AS members, 0 AS members_reviewed,
           o.path AS first_path
    FROM {org} o LEFT JOIN {headcount} h ON h.org_id = o.id
    WHERE o.path LIKE %(like)s AND {is_row_o}
    UNION ALL
    SELECT {grp_o}, 0, 0, {party}, 0, NULL
    FROM {org} o LEFT JOIN {headcount} h ON h.org_id = o.id
    WHERE o.path LIKE %(like)s AND o.path <> %(path)s AND NOT {is_row_o} AND {parent_is_row}
    UNION ALL
    SELECT {grp_o}, 0, 1, 0, 0, NULL
    FROM {org} o
    WHERE o.id IN ({reviewed_orgs}) AND o.path LIKE %(like)s AND {is_row_o}
    UNION ALL
    SELECT {grp_o}, 0, 0, 0, rm.n, NULL
    FROM ({reviewed_members}) rm JOIN {org} o ON o.id = rm.org_id
    WHERE o.path LIKE %(like)s AND ({is_row_o} OR (o.path <> %(path)s AND {parent_is_row}))
) parts
GROUP BY grp
ORDER BY grp
"""


def _summary(source: _Source) -> list[tuple]:
    """(group path, rows, rows reviewed, members, members reviewed, first row's path) per group."""
    org = source.org
    connection = connections[source.done.db]
    quote = connection.ops.quote_name
    reviewed_members, members_params = (
        source.reviewed_members.order_by().values("org_id").annotate(n=Count("id")).query.sql_with_params()
    )
    reviewed_orgs, orgs_params = (
        source.done.filter(target_org__isnull=False).order_by().values("target_org_id")
    ).query.sql_with_params()
    step = Organization.steplen
    named = {
        "path": org.path,
        "child_depth": org.depth + 1,
        "key_length": len(org.path) + step,
        "step": step,
        "like": f"{org.path}%",
        "group": OrgKind.GROUP.value,
    }
    # The embedded queries bring positional placeholders: every value is placed in order of appearance.
    params: list = []
    embedded = {"reviewed_members": (reviewed_members, members_params), "reviewed_orgs": (reviewed_orgs, orgs_params)}

    def place(match: re.Match) -> str:
        name = match.group(1)
        if name in embedded:
            sql, values = embedded[name]
            params.extend(values)
            return sql
        params.append(named[name])
        return "%s"

    is_row = "(o.is_active AND o.kind <> %(group)s)"
    table = quote(Organization._meta.db_table)
    template = _SUMMARY.format(
        org=table,
        headcount=quote(OrgHeadcount._meta.db_table),
        party=f"COALESCE(h.{quote('probationary')} + h.{quote('full')}, 0)",
        is_row_o=is_row,
        grp_o=f"CASE WHEN o.path = %(path)s OR (NOT {is_row} AND o.depth = %(child_depth)s) THEN ''"
        " ELSE SUBSTR(o.path, 1, %(key_length)s) END",
        # A scalar subquery, looked up by the path index for each org that is not a row.
        parent_is_row=f"(SELECT up.is_active AND up.kind <> %(group)s FROM {table} up"
        " WHERE up.path = SUBSTR(o.path, 1, LENGTH(o.path) - %(step)s))",
        reviewed_members="%(reviewed_members)s",
        reviewed_orgs="%(reviewed_orgs)s",
    )
    sql = re.sub(r"%\((\w+)\)s", place, template)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def coverage(org: Organization, campaign, *, reviews) -> Coverage:
    """``reviews`` is the user's visible Review queryset."""
    done = reviews.done().in_subtree(org)
    if campaign is not None:
        done = done.filter(campaign=campaign)
    # The reviewed ones are found from the reviews' side: few reviews, many members.
    reviewed_ids = (
        done.filter(target_member__isnull=False)
        .values("target_member_id")
        .union(done.filter(target_head__isnull=False).values("target_head_id"))
    )
    reviewed_members = Member.objects.party_members().in_subtree(org).filter(pk__in=reviewed_ids)
    source = _Source(org, done, reviewed_members)
    result = Coverage(org=org, campaign=campaign, rows=Rows(source))
    first_paths = []
    for key, orgs, orgs_reviewed, members, members_reviewed, first_path in _summary(source):
        # PostgreSQL sums sums as numeric: back to int.
        orgs, orgs_reviewed, members, members_reviewed = map(int, (orgs, orgs_reviewed, members, members_reviewed))
        result.members += members
        result.members_reviewed += members_reviewed
        if key == "":
            if orgs:  # the chosen org is a row itself
                source.root_row = (bool(orgs_reviewed),)
            continue
        if not orgs:
            continue  # a dissolved child with nothing active below it: no row, no group
        result.orgs += orgs
        result.orgs_reviewed += orgs_reviewed
        result.groups.append(Group(None, orgs, orgs_reviewed, members, members_reviewed))
        first_paths.append(first_path)
    source.orgs, source.orgs_reviewed = result.orgs, result.orgs_reviewed
    # Each group is named after its first org (the child itself, unless that is a 党小组 or dissolved).
    if first_paths:
        named = {o.path: o for o in Organization.objects.filter(path__in=first_paths).only(*ROW_ORG_FIELDS)}
        for group, path in zip(result.groups, first_paths, strict=True):
            group.org = named[path]
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
