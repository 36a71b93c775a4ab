"""Start again the imports a killed worker (or a killed web process) left "checking" or "importing".

A confirmed import runs in one transaction: when the process running it dies (SIGKILL, OOM, a
machine restart, a gunicorn worker timeout), the database rolls the whole batch back and nothing of
it is written, but the batch row still says "importing" (or "checking") and, with the database task
backend, the task row still says RUNNING. Nothing would ever pick it up again. This command finds
such batches and queues their task again; since the import is all or nothing, running it again is safe.

A batch counts as abandoned when it has not changed for --older-than minutes (default 30) and no
task for it is waiting or has been running for less than that. Run it after restarting a crashed
worker, or every few minutes from cron/systemd (docs/deployment.md).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from imports import tasks
from imports.models import ImportBatch

TASK_FOR_STATUS = {
    ImportBatch.Status.IMPORTING: tasks.import_batch,
    ImportBatch.Status.PREVIEWING: tasks.preview_batch,
}


def _task_rows(batch: ImportBatch, task):
    """The database backend's rows for this batch's task (none with another backend)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another task backend
        return []
    rows = DBTaskResult.objects.filter(task_path=task.module_path, status__in=["READY", "RUNNING"])
    return [row for row in rows if list(row.args_kwargs.get("args", [])) == [batch.pk]]


def abandoned_batches(*, older_than: timedelta, now=None) -> list[ImportBatch]:
    now = now or timezone.now()
    cutoff = now - older_than
    found = []
    for batch in ImportBatch.objects.filter(status__in=list(TASK_FOR_STATUS), updated_at__lt=cutoff):
        live = [
            row
            for row in _task_rows(batch, TASK_FOR_STATUS[batch.status])
            if row.status == "READY" or (row.started_at and row.started_at >= cutoff)
        ]
        if not live:
            found.append(batch)
    return found


def resume(batch: ImportBatch, *, now=None) -> None:
    """Close the dead task's row (if any) and queue the batch's task again."""
    task = TASK_FOR_STATUS[batch.status]
    stale = [row.pk for row in _task_rows(batch, task) if row.status == "RUNNING"]
    if stale:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(pk__in=stale).update(
            status="FAILED",
            finished_at=now or timezone.now(),
            exception_class_path="imports.management.commands.resume_imports.Abandoned",
            traceback="The worker running this task died; the task was queued again by resume_imports.",
        )
    ImportBatch.objects.filter(pk=batch.pk).update(rows_done=0, updated_at=now or timezone.now())
    task.enqueue(batch.pk)


class Command(BaseCommand):
    help = "Queue again the imports a killed worker left checking or importing (nothing of them was written)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, default=30, metavar="MINUTES", help="untouched for this long (default 30)"
        )
        parser.add_argument("--dry-run", action="store_true", help="only list them")

    def handle(self, *args, older_than, dry_run, **options):
        batches = abandoned_batches(older_than=timedelta(minutes=older_than))
        for batch in batches:
            self.stdout.write(f"{'would resume' if dry_run else 'resuming'} #{batch.pk} {batch} ({batch.status})")
            if not dry_run:
                resume(batch)
        self.stdout.write(f"{len(batches)} abandoned import(s).")
