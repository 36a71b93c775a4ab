"""Who is expected at an activity, and which orgs may hold which kinds."""

from django.db.models import Q

from branches.models import LeadershipPost, Organization, OrgKind
from campaigns.models import Campaign, Carrier
from members.models import Member

from .models import ActivityKind

# Kinds only a branch holds; a 党小组会 is held by a group (or by a branch for its groups).
BRANCH_ONLY = {ActivityKind.ASSEMBLY, ActivityKind.COMMITTEE, ActivityKind.LECTURE, ActivityKind.LIFE_MEETING}
GROUP_KINDS = {ActivityKind.GROUP}


def kinds_for(org: Organization) -> list[tuple[str, str]]:
    if org.kind == OrgKind.GROUP:
        allowed = [ActivityKind.GROUP, ActivityKind.STUDY, ActivityKind.VOLUNTEER, ActivityKind.OTHER]
    elif org.kind == OrgKind.BRANCH:
        allowed = list(ActivityKind)
    else:
        allowed = [k for k in ActivityKind if k not in BRANCH_ONLY and k not in GROUP_KINDS]
    return [(k.value, k.label) for k in allowed]


def counts_toward(org: Organization) -> Organization | None:
    """The branch whose 三会一课 the activity counts for."""
    if org.kind == OrgKind.BRANCH:
        return org
    if org.kind == OrgKind.GROUP:
        return Organization.objects.filter(path=org.path[: -org.steplen]).first()
    return None


def expected_members(org: Organization, kind: str):
    """The roster an activity starts from: a branch committee meeting expects the committee, a
    branch or group meeting its party members, a committee's activity its own people."""
    current_posts = LeadershipPost.objects.filter(org=org, ended_on__isnull=True).values("member_id")
    if kind == ActivityKind.COMMITTEE:
        qs = Member.objects.filter(pk__in=current_posts)
    elif org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        qs = Member.objects.in_subtree(org).party_members()
    else:
        qs = Member.objects.filter(Q(org=org) | Q(pk__in=current_posts)).party_members()
    return qs.only("id", "name", "stage", "org_id").order_by("name", "id")


def carriers_for(org: Organization):
    """Carriers of the campaigns that cover the org (run by it or by an org above it)."""
    return (
        Carrier.objects.filter(campaign__in=Campaign.objects.covering(org))
        .select_related("campaign")
        .order_by("-campaign__starts_on", "campaign_id", "name")
    )
