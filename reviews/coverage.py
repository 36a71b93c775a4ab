"""Review coverage (点评台帐's other half): which orgs and members of a subtree have had a review.

An org or member counts as reviewed when a review that took place (held or announced) has it as its
target, in the chosen campaign, or in any campaign when none is chosen. The head reviewed together
with their org counts as a reviewed member. The chosen org itself is not counted among the orgs: it is
reviewed from above. 党小组 are not reviewed as orgs; their members are counted with them.

Everything is counted in four queries, whatever the size of the subtree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from branches.models import Organization, OrgKind
from members import headcount
from members.models import Member


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class CoverageRow:
    org: Organization
    reviewed: bool  # the org itself (always False for the chosen org, which is not counted)
    last_review_on: object = None
    members: int = 0
    members_reviewed: int = 0
    counted: bool = True  # False for the chosen org's own row (members only)

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


@dataclass
class Coverage:
    org: Organization
    campaign: object
    rows: list[CoverageRow] = field(default_factory=list)
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


def coverage(org: Organization, campaign, *, reviews) -> Coverage:
    """``reviews`` is the user's visible Review queryset."""
    done = reviews.done().in_subtree(org)
    if campaign is not None:
        done = done.filter(campaign=campaign)
    orgs = list(
        Organization.objects.in_subtree(org).filter(is_active=True).exclude(kind=OrgKind.GROUP).order_by("path")
    )
    last_by_org = dict(
        done.filter(target_org__isnull=False)
        .values("target_org_id")
        .annotate(on=Max("held_on"))
        .values_list("target_org_id", "on")
    )
    # Party members per org from the kept counts (members/headcount.py), not from the member rows.
    members_by_path = Counter(headcount.party_by_org_path(org.path))
    # The reviewed ones are found from the reviews' side: few reviews, many members.
    reviewed_ids = (
        done.filter(target_member__isnull=False)
        .values("target_member_id")
        .union(done.filter(target_head__isnull=False).values("target_head_id"))
    )
    reviewed_members = Member.objects.party_members().in_subtree(org).filter(pk__in=reviewed_ids).order_by()
    reviewed_by_path = Counter(
        dict(reviewed_members.values("org__path").annotate(n=Count("id")).values_list("org__path", "n"))
    )
    step = Organization.steplen

    def own(path: str) -> str:
        # A 党小组's members belong to its branch's row.
        return path if path in row_paths else path[:-step]

    row_paths = {o.path for o in orgs}
    member_counts, reviewed_counts = Counter(), Counter()
    for path, n in members_by_path.items():
        member_counts[own(path)] += n
    for path, n in reviewed_by_path.items():
        reviewed_counts[own(path)] += n

    result = Coverage(org=org, campaign=campaign)
    groups: dict[str, Group] = {}
    for o in orgs:
        is_root = o.pk == org.pk
        row = CoverageRow(
            org=o,
            reviewed=o.pk in last_by_org,
            last_review_on=last_by_org.get(o.pk),
            members=member_counts[o.path],
            members_reviewed=reviewed_counts[o.path],
            counted=not is_root,
        )
        result.rows.append(row)
        result.members += row.members
        result.members_reviewed += row.members_reviewed
        if is_root:
            continue
        result.orgs += 1
        result.orgs_reviewed += row.reviewed
        key = o.path[: len(org.path) + step]
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(org=o)
        group.orgs += 1
        group.orgs_reviewed += row.reviewed
        group.members += row.members
        group.members_reviewed += row.members_reviewed
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
