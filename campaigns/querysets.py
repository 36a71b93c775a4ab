from django.db import models
from django.db.models import Case, Count, DateField, F, IntegerField, Q, Value, When
from django.utils import timezone

from branches import access

STEPLEN = 4  # treebeard's default path step length (Organization.steplen)


def ancestor_paths(path: str) -> list[str]:
    """The path of every org above (and including) the one at ``path``."""
    return [path[:end] for end in range(STEPLEN, len(path) + 1, STEPLEN)]


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Campaigns run anywhere in the user's subtrees, or above them: a branch takes part in the
        campaign its committee runs. A member sees the campaigns that cover their branch."""
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        paths = list(scope.read_paths)
        if scope.member_id:
            from members.models import Member

            member_path = Member.objects.filter(pk=scope.member_id).values_list("org__path", flat=True).first()
            if member_path:
                paths.append(member_path)
        above = {a for p in paths for a in ancestor_paths(p)}
        return self.filter(access.paths_q(scope.read_paths, "org__path") | Q(org__path__in=above))

    def manageable_by(self, user):
        q = access.org_filter(user, field="org__path", manage=True)
        return self if q is None else self.filter(q)

    def covering(self, org):
        """Campaigns whose org is this org or one above it."""
        return self.filter(org__path__in=ancestor_paths(org.path))

    def running(self, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on)

    def upcoming(self, on=None):
        return self.filter(starts_on__gt=on or timezone.localdate())

    def past(self, on=None):
        return self.filter(ends_on__lt=on or timezone.localdate())

    def in_status(self, status: str, on=None):
        """running / upcoming / past; anything else leaves the queryset as it is."""
        on = on or timezone.localdate()
        method = {"running": self.running, "upcoming": self.upcoming, "past": self.past}.get(status)
        return method(on) if method else self

    def status_counts(self, on=None) -> dict[str, int]:
        """How many are running, upcoming and past, in one query."""
        on = on or timezone.localdate()
        return self.order_by().aggregate(
            running=Count("id", filter=Q(starts_on__lte=on, ends_on__gte=on)),
            upcoming=Count("id", filter=Q(starts_on__gt=on)),
            past=Count("id", filter=Q(ends_on__lt=on)),
        )

    def in_list_order(self, on=None):
        """Running first, then upcoming (soonest first), then past (most recently ended first)."""
        on = on or timezone.localdate()
        rank = Case(
            When(starts_on__gt=on, then=Value(1)),
            When(ends_on__lt=on, then=Value(2)),
            default=Value(0),
            output_field=IntegerField(),
        )
        ended = Case(When(ends_on__lt=on, then=F("ends_on")), output_field=DateField())
        return self.annotate(status_rank=rank).order_by("status_rank", ended.desc(nulls_last=True), "starts_on", "id")
