"""Reads for appraisals and exemplars, all scoped through branches/access.py.

Two kinds of visibility:
- the working papers (a branch's appraisal sheet, a selection round's chain, votes and opinions) are
  for those who read the org that runs them: its managers, those above, its contact-point leaders;
- the honour roll is published (公示): everyone inside the organizing org's subtree sees it, members
  included, as the street committee printed its 十佳 in 《蒲公英报》 for the whole street.
"""

from django.db import models
from django.db.models import Count, Q

from branches import access

STEPLEN = 4  # treebeard's path step (Organization.steplen)


def _ancestor_paths(path: str) -> list[str]:
    return [path[:end] for end in range(STEPLEN, len(path) + 1, STEPLEN)]


def _member_path(scope) -> str | None:
    if not scope.member_id:
        return None
    from members.models import Member

    return Member.objects.filter(pk=scope.member_id).values_list("org__path", flat=True).first()


class AppraisalRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = access.org_filter(user, field="org__path")
        return self if q is None else self.filter(q)

    def manageable_by(self, user):
        q = access.org_filter(user, field="org__path", manage=True)
        return self if q is None else self.filter(q)

    def in_subtree(self, org):
        return self.filter(org__path__startswith=org.path)


class AppraisalEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The sheets of branches the user reads, and the member's own entries."""
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        q = access.paths_q(scope.read_paths, "round__org__path")
        if scope.member_id:
            q |= Q(member_id=scope.member_id)
        return self.filter(q)

    def of_member(self, member_id):
        return self.filter(member_id=member_id)

    def in_subtree(self, org):
        return self.filter(round__org__path__startswith=org.path)

    def decided(self):
        return self.exclude(grade="")

    def grade_counts(self) -> dict[str, int]:
        """Decided grades in one query: {"excellent": n, ..., "undecided": n, "total": n}."""
        from .models import Grade

        counts = {g.value: Count("id", filter=Q(grade=g.value)) for g in Grade}
        return self.order_by().aggregate(**counts, undecided=Count("id", filter=Q(grade="")), total=Count("id"))


class SelectionRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rounds whose working papers the user may read: run by an org in their subtrees."""
        q = access.org_filter(user, field="owner__path")
        return self if q is None else self.filter(q)

    def manageable_by(self, user):
        q = access.org_filter(user, field="owner__path", manage=True)
        return self if q is None else self.filter(q)

    def published_to(self, user):
        """Rounds whose honour roll the user sees: run in their subtrees, or above their place."""
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        paths = list(scope.read_paths)
        member_path = _member_path(scope)
        if member_path:
            paths.append(member_path)
        above = {a for p in paths for a in _ancestor_paths(p)}
        return self.filter(access.paths_q(scope.read_paths, "owner__path") | Q(owner__path__in=above))


class CandidateQuerySet(models.QuerySet):
    def honoured(self):
        from .models import Outcome

        return self.filter(outcome=Outcome.HONOURED)

    def visible_to(self, user):
        q = access.org_filter(user, field="round__owner__path")
        return self if q is None else self.filter(q)

    def published_to(self, user):
        from .models import SelectionRound

        return self.filter(round__in=SelectionRound.objects.published_to(user).values("pk"))

    def in_subtree(self, org):
        """Candidates who belong to the org's subtree, whoever selected them."""
        return self.filter(unit__path__startswith=org.path)

    def in_period(self, start=None, end=None):
        qs = self
        if start is not None:
            qs = qs.filter(honoured_on__gte=start)
        if end is not None:
            qs = qs.filter(honoured_on__lte=end)
        return qs
