from django.db import models
from django.db.models import Q

from branches import access


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        q = access.paths_q(scope.read_paths, "org__path")
        if scope.member_id:
            q |= Q(pk=scope.member_id)
        return self.filter(q)

    def manageable_by(self, user):
        q = access.org_filter(user, field="org__path", manage=True)
        return self if q is None else self.filter(q)

    def in_subtree(self, org):
        return self.filter(org__path__startswith=org.path)

    def party_members(self):
        from .models import PARTY_MEMBER_STAGES

        return self.filter(stage__in=PARTY_MEMBER_STAGES)

    def search(self, text: str):
        """Name, the tail of the ID number, or a phone number."""
        from .idcard import normalize

        text = (text or "").strip()
        if not text:
            return self
        folded = normalize(text)
        q = Q(name__icontains=text)
        if folded.isdigit() or folded.endswith("X"):
            q |= Q(id_number__endswith=folded)
            if folded.isdigit():
                q |= Q(phone__startswith=folded)
        return self.filter(q)
