"""Who may review whom (领导点评), in one place.

The rule follows the line of subordination (隶属关系), as the prefecture's speech puts it: "上级党组织负责人
对下一级党组织及其负责人进行点评；党组织负责人对本级党组织党员进行点评。联点领导负责对联系点进行点评。"

- The head of an organization is the member holding its current 书记 post (``ended_on`` empty), and the
  reviewer is that member's own login: reviews are given by a person, never by an office account.
- The head of a superior organization reviews a subordinate organization and its head. "Superior" means
  any organization above it, the direct parent first: a 党委 also reviews the branches under its 总支,
  and a 直属党支部 has no level in between. The reason names which one applies.
- An organization's head reviews its own members (those of its 党小组 included), never themself.
- A contact-point leader (联点领导) reviews the branches they are linked to and those branches' heads.
- Anyone else is refused, superusers included; the reason says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from branches import access
from branches.models import ContactPoint, LeadershipPost, Organization, OrgKind, Post
from members.models import Member

from .models import Basis


@dataclass(frozen=True)
class Leadership:
    """What the user leads: the orgs they head (by path) and the branches they are linked to."""

    member_id: int | None = None
    headed: tuple[tuple[int, str, str], ...] = ()  # (org id, path, name)
    contact_ids: frozenset[int] = frozenset()

    @property
    def may_review_anyone(self) -> bool:
        return bool(self.member_id and (self.headed or self.contact_ids))


def leadership_for(user) -> Leadership:
    if user is None or not user.is_authenticated:
        return Leadership()
    cached = getattr(user, "_xianfeng_leadership", None)
    if cached is not None:
        return cached
    member_id = access.scope_for(user).member_id
    if not member_id:
        result = Leadership()
    else:
        headed = tuple(
            LeadershipPost.objects.filter(
                member_id=member_id, post=Post.SECRETARY, ended_on__isnull=True, org__is_active=True
            )
            .order_by("org__path")
            .values_list("org_id", "org__path", "org__name")
        )
        contact = frozenset(ContactPoint.objects.filter(leader_id=member_id).values_list("branch_id", flat=True))
        result = Leadership(member_id=member_id, headed=headed, contact_ids=contact)
    user._xianfeng_leadership = result
    return result


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    basis: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def _refused(reason: str) -> Decision:
    return Decision(False, reason)


def head_of(org: Organization) -> Member | None:
    """The member holding the org's current 书记 post (the latest appointed, if records overlap)."""
    post = (
        LeadershipPost.objects.filter(org=org, post=Post.SECRETARY, ended_on__isnull=True)
        .select_related("member")
        .order_by("-started_on", "-id")
        .first()
    )
    return post.member if post else None


def _org_decision(lead: Leadership, org: Organization) -> Decision:
    # The nearest superior first, so the reason names the direct parent when it applies.
    above = [h for h in lead.headed if org.path.startswith(h[1]) and org.path != h[1]]
    if above:
        _pk, path, name = max(above, key=lambda h: len(h[1]))
        direct = len(path) == len(org.path) - Organization.steplen
        text = (
            _("You head %(org)s, the organization directly above.")
            if direct
            else _("You head %(org)s, a superior organization.")
        )
        return Decision(True, text % {"org": name}, Basis.SUPERIOR_HEAD)
    if org.pk in lead.contact_ids:
        return Decision(True, _("This branch is your contact point."), Basis.CONTACT_POINT)
    return _refused(_("Only the head of a superior organization or its contact-point leader may review it."))


def may_review(user, target) -> Decision:
    """Whether the user may review ``target`` (an Organization or a Member), with the reason."""
    lead = leadership_for(user)
    if not lead.member_id:
        return _refused(_("Your login is not linked to a party member, so you cannot give reviews."))
    if not lead.may_review_anyone:
        return _refused(_("Only organization heads (secretaries) and contact-point leaders give reviews."))
    if isinstance(target, Organization):
        if not target.is_active:
            return _refused(_("This organization has been dissolved."))
        return _org_decision(lead, target)
    if isinstance(target, Member):
        if target.pk == lead.member_id:
            return _refused(_("Nobody reviews themself."))
        org = target.org
        own_org = org.path[: -Organization.steplen] if org.kind == OrgKind.GROUP else org.path
        for _pk, path, name in lead.headed:
            if path == own_org:
                return Decision(True, _("You head %(org)s, the member's organization.") % {"org": name}, Basis.OWN_HEAD)
        # A subordinate org's head is reviewed together with the org, on the same rule.
        headed_by_target = Organization.objects.filter(
            posts__member=target, posts__post=Post.SECRETARY, posts__ended_on__isnull=True, is_active=True
        )
        for org in headed_by_target:
            decision = _org_decision(lead, org)
            if decision:
                return decision
        return _refused(_("You may review only the members of the organization you head and its heads below."))
    return _refused(_("Nothing to review."))


def reviewable_orgs(user):
    """Organizations the user may review: every active org below those they head, and their contact points."""
    lead = leadership_for(user)
    if not lead.may_review_anyone:
        return Organization.objects.none()
    q = Q(pk__in=lead.contact_ids)
    for _pk, path, _name in lead.headed:
        q |= Q(path__startswith=path) & ~Q(path=path)
    return Organization.objects.filter(q, is_active=True).order_by("path")


def reviewable_members(user):
    """Members the user may review one by one: those of the orgs they head and of their 党小组."""
    lead = leadership_for(user)
    if not lead.headed:
        return Member.objects.none()
    ids = [pk for pk, _path, _name in lead.headed]
    groups = Q(org__kind=OrgKind.GROUP, org__depth__gt=0)
    q = Q(org_id__in=ids)
    for _pk, path, _name in lead.headed:
        q |= groups & Q(org__path__startswith=path, org__depth=len(path) // Organization.steplen + 1)
    return Member.objects.filter(q).exclude(pk=lead.member_id).select_related("org").order_by("org__path", "name")


def shows_reviews(user, scope) -> bool:
    """The header's 点评整改 item: readers of orgs, leaders who may review, and members with items."""
    if scope.is_superuser or scope.read_paths:
        return True
    if not scope.member_id:
        return False
    if leadership_for(user).may_review_anyone:
        return True
    from .models import RectificationItem

    return RectificationItem.objects.filter(owner_member_id=scope.member_id).exists()
