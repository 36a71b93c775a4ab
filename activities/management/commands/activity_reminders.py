"""manage.py activity_reminders: run once a day (cron or a systemd timer), see README."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from activities.reminders import LEAD_DAYS, send_due_reminders


class Command(BaseCommand):
    help = "提醒支部书记：本月/本季度即将结束而三会一课次数未达要求的支部。每天运行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=LEAD_DAYS, help="期末前多少天开始提醒（默认 %(default)s）。")

    def handle(self, *args, days=LEAD_DAYS, **options):
        sent = send_due_reminders(today=timezone.localdate(), lead_days=days)
        self.stdout.write(f"已发送 {sent} 条活动提醒。")
