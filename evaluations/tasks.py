"""Background work; run by `manage.py db_worker` (django-tasks-db)."""

from django.tasks import task

from .models import SlipBatch


@task()
def make_slips(batch_id: int) -> None:
    from .services import slip_batch_make

    batch = SlipBatch.objects.select_related("round", "target_org").filter(pk=batch_id).first()
    if batch is not None:
        slip_batch_make(batch=batch)
