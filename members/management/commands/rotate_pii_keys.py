"""Re-encrypt ID numbers and phones with the current key (the first of XIANFENG_PII_KEYS).

Rotation: put the new key first in XIANFENG_PII_KEYS, keep the old ones after it, deploy, run
this command; once it reports nothing left, the old keys may be removed. Rows are rewritten in
batches, each in its own transaction; the hashes and ID tails are recomputed on the way (so a new
XIANFENG_PII_HASH_KEY is taken up too). Plaintext left over from before encryption is encrypted.
Members' ID numbers and phones, organizations' phones and pledges' service phones are covered.
"""

import functools
import operator

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Length

from members import pii


def encrypted_models():
    """(model, the encrypted fields and their derived columns) for every table holding PII."""
    from branches.models import Organization
    from members.models import Member
    from pledges.models import Pledge

    return [
        (Member, ["id_number", "phone", "id_hash", "id_tail", "phone_hash"]),
        (Organization, ["phone", "phone_hash"]),
        (Pledge, ["service_phone", "service_phone_hash"]),
    ]


def rotate_model(model, fields, *, batch_size: int = 1000, stdout=None) -> int:
    """Rewrite every row of ``model``; returns how many were rewritten."""
    done = 0
    last = 0
    label = model._meta.verbose_name_plural
    # A row whose encrypted columns are all empty has nothing to re-encrypt (most pledges show no
    # phone, no organization at scale has one); Length reads the stored column, ciphertext or not.
    encrypted = [f for f in fields if isinstance(model._meta.get_field(f), pii.EncryptedCharField)]
    lengths = {f"_len_{name}": Length(name) for name in encrypted}
    holding = functools.reduce(operator.or_, (Q(**{f"{key}__gt": 0}) for key in lengths))
    while True:
        with transaction.atomic():
            # Managers' own querysets may order or annotate; a plain queryset keeps the batches by pk.
            rows = list(
                model._base_manager.select_for_update()
                .alias(**lengths)
                .filter(holding, pk__gt=last)
                .order_by("pk")
                .only("pk", *fields)[:batch_size]
            )
            if not rows:
                return done
            for row in rows:
                pii.sync_derived(row)
            model._base_manager.bulk_update(rows, fields)
        last = rows[-1].pk
        done += len(rows)
        if stdout is not None:
            stdout.write(f"{done} {label} re-encrypted")


def rotate(*, batch_size: int = 1000, stdout=None) -> int:
    """Rewrite every row that holds PII; returns how many were rewritten."""
    return sum(
        rotate_model(model, fields, batch_size=batch_size, stdout=stdout) for model, fields in encrypted_models()
    )


class Command(BaseCommand):
    help = (
        "Re-encrypt ID numbers and phones (members, organizations, pledges) with the current key of XIANFENG_PII_KEYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        stdout = self.stdout if options["verbosity"] > 1 else None
        counts = [
            (model._meta.verbose_name_plural, rotate_model(model, fields, batch_size=batch_size, stdout=stdout))
            for model, fields in encrypted_models()
        ]
        done = ", ".join(f"{count} {label}" for label, count in counts)
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted with key {pii.current_key_id()}: {done}."))
