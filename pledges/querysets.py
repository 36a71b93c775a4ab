"""Reads on pledges, every one scoped through branches/access.py."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from branches import access
from members.pii import DerivedUpdateMixin

# A name search matching up to this many people reads their pledges by owner (owner_name_contains).
IDS_UP_TO = 1000


def _public_statuses():
    from .models import PUBLIC_STATUSES

    return PUBLIC_STATUSES


def member_board_org_id(member_id):
    """The org whose board a member's pledge appears on: their branch (a 党小组's parent branch)."""
    if not member_id:
        return None
    from branches.models import Organization, OrgKind
    from members.models import Member

    org = Member.objects.filter(pk=member_id).values_list("org_id", "org__kind", "org__path").first()
    if org is None:
        return None
    org_id, kind, path = org
    if kind == OrgKind.GROUP and len(path) > Organization.steplen:
        return Organization.objects.filter(path=path[: -Organization.steplen]).values_list("pk", flat=True).first()
    return org_id


class PledgeQuerySet(DerivedUpdateMixin, models.QuerySet):  # the service phone's hash follows update()
    def visible_to(self, user):
        """Everything in the user's read scope, and a member's own pledges whatever their state."""
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        q = access.paths_q(scope.read_paths, "org__path")
        if scope.member_id:
            q |= Q(owner_member_id=scope.member_id)
        return self.filter(q)

    def manageable_by(self, user):
        q = access.org_filter(user, field="org__path", manage=True)
        return self if q is None else self.filter(q)

    def approvable_by(self, user):
        """Pledges the user may approve: a member's by a manager of its branch (never their own),
        an organization's by a manager of the org above it."""
        scope = access.scope_for(user)
        member_pledges = Q(owner_member__isnull=False)
        org_pledges = Q(owner_org__isnull=False)
        if scope.is_superuser:
            q = member_pledges | org_pledges
        else:
            below = Q(pk__in=[])
            for path in scope.manage_paths:
                below |= Q(org__path__startswith=path) & ~Q(org__path=path)
            q = (member_pledges & access.paths_q(scope.manage_paths, "org__path")) | (org_pledges & below)
        qs = self.filter(q)
        if scope.member_id:
            qs = qs.exclude(owner_member_id=scope.member_id)
        return qs

    def board_visible_to(self, user):
        """Boards a user may look at: any in their read scope; a member, the published pledges of
        their own branch's board (they see their branch-mates' pledges only as the wall shows them)."""
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        q = access.paths_q(scope.read_paths, "org__path")
        board_org = member_board_org_id(scope.member_id)
        if board_org:
            q |= Q(org_id=board_org, status__in=_public_statuses())
        return self.filter(q)

    def with_progress(self, today=None):
        """Item counts, items done, overdue items and the average percentage, in the same query."""
        from django.db.models import Avg, Count

        from .models import Status

        today = today or timezone.localdate()
        return self.annotate(
            item_count=Count("items"),
            done_count=Count("items", filter=Q(items__done_on__isnull=False)),
            overdue_count=Count(
                "items",
                filter=Q(items__due_on__lt=today, items__done_on__isnull=True, status=Status.PUBLISHED),
            ),
            progress=Avg("items__percent"),
        )

    def on_board(self, org, campaign):
        """What the org's 公示栏 shows: published pledges, and judged ones, of this org and campaign."""
        return self.filter(org=org, campaign=campaign, status__in=_public_statuses())

    def for_board_display(self):
        """Members first by name, then the org's own pledge; items prefetched in their order."""
        return (
            self.select_related("owner_member", "owner_org")
            .prefetch_related("items")
            .order_by(F("owner_member__name").asc(nulls_last=True), "id")
        )

    def in_subtree(self, org):
        return self.filter(org__path__startswith=org.path)

    def owner_name_contains(self, text):
        """Pledges whose member's name matches ``text`` as the roster search matches names (one or two
        characters: the start of the name or of the given name, 王 or 建国), or whose organization's
        name contains it.

        The names are looked up first, by the roster's name indexes. Up to a thousand people, the
        pledges are then read by their owner's index; more (王 is one person in a hundred, 伟 begins one
        given name in fifty), the list walks its keyset order and stops at a page of matches, which comes
        soon when so many match (40–60 ms either way at 600,000 pledges, bench/pages.py). A join from
        the pledges to the names, or an OR across two such joins, tested every pledge of the scope
        (1 s at 600,000 pledges when nothing matched; 200–330 ms for 王 and 伟).
        """
        from branches.models import Organization
        from members.models import Member

        members = list(Member.objects.named(text).order_by().values_list("pk", flat=True)[: IDS_UP_TO + 1])
        orgs = list(Organization.objects.filter(name__contains=text).order_by().values_list("pk", flat=True))
        if len(members) <= IDS_UP_TO:
            return self.filter(Q(owner_member_id__in=members) | Q(owner_org_id__in=orgs))
        return self.filter(Q(owner_member__in=Member.objects.named(text).values("pk")) | Q(owner_org_id__in=orgs))


class PledgeItemQuerySet(models.QuerySet):
    def overdue(self, today=None):
        """Past due, not done, while the pledge is published (being fulfilled)."""
        from .models import Status

        today = today or timezone.localdate()
        return self.filter(due_on__lt=today, done_on__isnull=True, pledge__status=Status.PUBLISHED)

    def manageable_by(self, user):
        """Items of pledges the user manages, as a plain join to the board org's path: the planner then
        starts from the orgs for a small scope and from pledge_item_open_due_idx for a large one (an
        IN (scoped pledges) subquery made it scan every pledge of a committee's scope for a count)."""
        q = access.org_filter(user, field="pledge__org__path", manage=True)
        return self if q is None else self.filter(q)

    def visible_to(self, user):
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        q = access.paths_q(scope.read_paths, "pledge__org__path")
        if scope.member_id:
            q |= Q(pledge__owner_member_id=scope.member_id)
        return self.filter(q)


class BoardLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def manageable_by(self, user):
        q = access.org_filter(user, field="org__path", manage=True)
        return self if q is None else self.filter(q)
