"""Count ahead the dashboards of the big subtrees, as their first visit shows them.

Counting a province's dashboard takes about half a second. After a write its visitors get the last
figures while the worker counts (reports/dashboard.py), but the first visit of a view in 30 minutes
finds no last figures and would wait, and a visit after the kept figures expired (5 minutes) would
see them marked as being counted again. Run from a timer every 5 minutes, this keeps current figures
there for the view a visit opens on: the org's running campaign and the default period.
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.dashboard import recount_first_views


class Command(BaseCommand):
    help = "预先统计大范围党组织（如全省）的统计页，使首次打开时无需等待。建议每 5 分钟由定时任务运行一次。"

    def handle(self, **options):
        started = time.perf_counter()
        orgs = recount_first_views(timezone.localdate())
        names = "、".join(org.name for org in orgs[:5]) + ("等" if len(orgs) > 5 else "")
        self.stdout.write(
            self.style.SUCCESS(
                f"已统计 {len(orgs)} 个党组织的统计页{('（' + names + '）') if orgs else ''}，"
                f"用时 {time.perf_counter() - started:.1f} 秒。"
            )
        )
