"""Recount the per-org member counts (members.OrgHeadcount) from the member rows.

The counts are kept exact on every write; this is for after writing members outside the application
(raw SQL, a restore from another tool) or when in doubt. Two statements, a second or two at 300,000
members; page reads wait for nothing, member writes wait until it commits.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from members import headcount


class Command(BaseCommand):
    help = "重新统计各党组织的人数（按发展阶段）。写入人员数据后通常无需执行，仅在绕过系统直接改库后使用。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对，不改写；不一致时以非零状态退出。")

    def handle(self, check=False, **options):
        if check:
            stored, truth = headcount.stored(), headcount.truth()
            wrong = sorted(pk for pk in stored.keys() | truth.keys() if stored.get(pk) != truth.get(pk))
            if wrong:
                sample = ",".join(map(str, wrong[:5]))
                raise CommandError(
                    f"{len(wrong)} 个党组织的人数与人员数据不符（如 id {sample}），请去掉 --check 重新统计。"
                )
            self.stdout.write(self.style.SUCCESS(f"{len(truth)} 个党组织的人数与人员数据一致。"))
            return
        started = time.perf_counter()
        orgs = headcount.rebuild_all()
        self.stdout.write(
            self.style.SUCCESS(f"已重新统计 {orgs} 个党组织的人数（{time.perf_counter() - started:.1f} 秒）。")
        )
