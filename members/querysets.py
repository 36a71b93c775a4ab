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

    def update(self, **kwargs):
        # The hash and tail columns follow an updated encrypted value.
        from .pii import derived_updates

        return super().update(**kwargs, **derived_updates(self.model, kwargs))

    update.alters_data = True

    def search(self, text: str):
        """Name, the last digits of the ID number, a whole ID number, or a whole phone number.

        ID numbers and phones are encrypted (members/pii.py), so digits match the plaintext
        ``id_tail`` column (up to the last four characters) or the keyed hash of a whole ID
        number or phone; a phone can no longer be found by its first digits. Names as ``named``.
        """
        from .idcard import normalize

        text = (text or "").strip()
        if not text:
            return self
        folded = normalize(text)
        if folded.isdigit() or (len(folded) > 1 and folded[:-1].isdigit() and folded.endswith("X")):
            q = Q(pk__in=[])
            if len(folded) == 4:
                q |= Q(id_tail=folded)
            elif len(folded) < 4:
                q |= Q(id_tail__endswith=folded)
            elif len(folded) == 18:
                q |= Q(id_number=folded)
            if folded.isdigit():
                q |= Q(phone=folded)
            return self.filter(q)
        return self.named(text)

    def named(self, text: str):
        """Names matching ``text`` as the roster search has it: one or two characters at the start of
        the name or of the given name (the prefix indexes), longer text anywhere (the trigram index)."""
        from django.db.models.functions import Substr

        text = text.strip()
        if text.isascii():
            return self.filter(name__icontains=text)
        if len(text) >= 3:
            return self.filter(name__contains=text)
        return self.alias(given_name=Substr("name", 2)).filter(
            Q(name__startswith=text) | Q(given_name__startswith=text)
        )
