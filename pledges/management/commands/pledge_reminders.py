from django.core.management.base import BaseCommand

from pledges.reminders import send_overdue_reminders


class Command(BaseCommand):
    help = "Remind authors and branch managers of overdue pledge items (run daily; repeats send nothing new)."

    def handle(self, *args, **options):
        sent = send_overdue_reminders()
        self.stdout.write(f"{sent} reminders sent")
