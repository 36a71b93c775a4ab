from django.db import models
from django.db.models import Q
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
