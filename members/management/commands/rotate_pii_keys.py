"""Re-encrypt ID numbers and phones with the current key (the first of XIANFENG_PII_KEYS).

Rotation: put the new key first in XIANFENG_PII_KEYS, keep the old ones after it, deploy, run
this command; once it reports nothing left, the old keys may be removed. Rows are rewritten in
batches, each in its own transaction; the hashes and ID tails are recomputed on the way (so a new
XIANFENG_PII_HASH_KEY is taken up too). Plaintext left over from before encryption is encrypted.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from members import pii
from members.models import Member

FIELDS = ["id_number", "phone", "id_hash", "id_tail", "phone_hash"]


def rotate(*, batch_size: int = 1000, stdout=None) -> int:
    """Rewrite every member row; returns how many were rewritten."""
    done = 0
    last = 0
    while True:
        with transaction.atomic():
            members = list(
                Member.objects.select_for_update().filter(pk__gt=last).order_by("pk").only("pk", *FIELDS)[:batch_size]
            )
            if not members:
                return done
            for member in members:
                pii.sync_derived(member)
            Member.objects.bulk_update(members, FIELDS)
        last = members[-1].pk
        done += len(members)
        if stdout is not None:
            stdout.write(f"{done} members re-encrypted")


class Command(BaseCommand):
    help = "Re-encrypt members' ID numbers and phones with the current key of XIANFENG_PII_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        done = rotate(batch_size=batch_size, stdout=self.stdout if options["verbosity"] > 1 else None)
        self.stdout.write(self.style.SUCCESS(f"{done} members re-encrypted with key {pii.current_key_id()}."))
