"""Rendering a queued file: run by the task worker (or at once with the immediate backend).

Progress is written to the file's row as it goes; the render is not one transaction, so the
page polling the row sees each step at once.
"""

from __future__ import annotations

import logging
import time

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RenderedFile
from .outputs import document_for, render

log = logging.getLogger(__name__)


def file_render(*, rendered: RenderedFile) -> RenderedFile:
    rows = RenderedFile.objects.filter(pk=rendered.pk)

    def progress(percent: int, stage: str) -> None:
        rows.update(progress=min(99, percent), stage=stage[:60])

    rows.update(status=RenderedFile.Status.RUNNING, progress=5, stage="准备")
    started = time.perf_counter()
    try:
        rendered.refresh_from_db()
        document = document_for(rendered.report, rendered.version)
        data, pages = render(document, rendered.format, progress=progress)
    except Exception as error:  # noqa: BLE001 - the page must say the render failed, not spin forever
        log.exception("report file %s failed", rendered.pk)
        rows.update(
            status=RenderedFile.Status.FAILED,
            error_message=_("The file could not be made: %(error)s") % {"error": error},
            finished_at=timezone.now(),
        )
        rendered.refresh_from_db()
        return rendered
    rendered.file.save(
        f"report-{rendered.report_id}-v{rendered.version.number}.{rendered.format}", ContentFile(data), save=False
    )
    rows.update(
        file=rendered.file.name,
        size=len(data),
        pages=pages,
        seconds=round(time.perf_counter() - started, 2),
        status=RenderedFile.Status.DONE,
        progress=100,
        stage="",
        finished_at=timezone.now(),
    )
    rendered.refresh_from_db()
    return rendered
