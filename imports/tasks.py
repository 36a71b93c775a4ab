"""Background work for large files; run by `manage.py db_worker` (django-tasks-db)."""

from django.tasks import task

from .models import ImportBatch


@task()
def preview_batch(batch_id: int) -> None:
    from .services import batch_preview

    batch = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.PREVIEWING).first()
    if batch is not None:
        batch_preview(batch=batch)


@task()
def import_batch(batch_id: int) -> None:
    from .services import batch_import

    batch = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.IMPORTING).first()
    if batch is not None:
        batch_import(batch=batch)
