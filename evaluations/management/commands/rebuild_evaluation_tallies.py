import time

from django.core.management.base import BaseCommand, CommandError

from evaluations import tallies
from evaluations.models import Round


class Command(BaseCommand):
    help = (
        "Recompute the mass-evaluation tallies (per org, per org and question) from the stored answers; "
        "--check only compares them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, help="only this round (its id)")
        parser.add_argument("--check", action="store_true", help="compare the tallies with the answers, change nothing")

    def handle(self, *args, round=None, check=False, **options):  # noqa: A002
        round_ = None
        if round is not None:
            round_ = Round.objects.filter(pk=round).first()
            if round_ is None:
                raise CommandError(f"no round {round}")
        if check:
            rounds = [round_] if round_ else Round.objects.order_by("pk")
            bad = 0
            for r in rounds:
                for line in tallies.differences(r):
                    bad += 1
                    self.stdout.write(f"round {r.pk} {line}")
            if bad:
                raise CommandError(f"{bad} tallies differ from the answers; run without --check to rebuild")
            self.stdout.write("tallies match the answers")
            return
        started = time.perf_counter()
        rows = tallies.rebuild(round_)
        self.stdout.write(f"{rows} org tallies rebuilt in {time.perf_counter() - started:.1f}s")
