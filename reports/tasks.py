"""Background work: rendering report files; run by `manage.py db_worker` (django-tasks-db)."""

from django.tasks import task

from .models import RenderedFile


@task()
def render_file(rendered_id: int) -> None:
    from .rendering import file_render

    rendered = RenderedFile.objects.filter(pk=rendered_id, status=RenderedFile.Status.QUEUED).first()
    if rendered is not None:
        file_render(rendered=rendered)
