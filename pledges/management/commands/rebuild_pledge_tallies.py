"""Recount the kept pledge figures (pledges.PledgeTally) from the pledges and their items.

The tallies are kept exact on every write; this is for after writing pledges outside the application
(raw SQL, a restore from another tool) or when in doubt. A few seconds at 600,000 pledges; page reads
wait for nothing, pledge writes wait until it commits.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from pledges import tally


class Command(BaseCommand):
    help = "重新统计各党组织的承诺与承诺事项数（含逾期事项）。写入承诺后通常无需执行，仅在绕过系统直接改库后使用。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对，不改写；不一致时以非零状态退出。")

    def handle(self, check=False, **options):
        if check:
            stored, truth = tally.stored(), tally.truth()
            wrong = sorted(key for key in stored.keys() | truth.keys() if stored.get(key) != truth.get(key))
            if wrong:
                sample = "、".join(f"党组织 {org} 活动 {campaign}" for org, campaign, _ in wrong[:3])
                raise CommandError(f"{len(wrong)} 行承诺统计与承诺数据不符（如{sample}），请去掉 --check 重新统计。")
            self.stdout.write(self.style.SUCCESS(f"{len(truth)} 行承诺统计与承诺数据一致。"))
            return
        started = time.perf_counter()
        rows = tally.rebuild_all()
        self.stdout.write(
            self.style.SUCCESS(f"已重新统计承诺数据，共 {rows} 行（{time.perf_counter() - started:.1f} 秒）。")
        )
