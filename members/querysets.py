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
        """Name, the tail of the ID number, or the start of a phone number.

        Shaped so that PostgreSQL answers from indexes (migration 0002) on a 300,000-member
        roster: digits match the reversed ID number and the phone by prefix; a name of one
        or two characters matches the start of the name or of the given name (王, 王伟, 建国),
        longer text anywhere in the name (trigram index).
        """
        from django.db.models.functions import Reverse, Substr

        from .idcard import normalize

        text = (text or "").strip()
        if not text:
            return self
        folded = normalize(text)
        if folded.isdigit() or (len(folded) > 1 and folded[:-1].isdigit() and folded.endswith("X")):
            q = Q(id_reversed__startswith=folded[::-1])
            if folded.isdigit():
                q |= Q(phone__startswith=folded)
            return self.alias(id_reversed=Reverse("id_number")).filter(q)
        if text.isascii():
            return self.filter(name__icontains=text)
        if len(text) >= 3:
            return self.filter(name__contains=text)
        return self.alias(given_name=Substr("name", 2)).filter(
            Q(name__startswith=text) | Q(given_name__startswith=text)
        )
