"""Writes of the import flow: upload -> preview -> confirm -> import, for the page and the commands.

Nothing reaches the roster before the user confirms a checked file. The confirmed import re-checks
every row inside one transaction and rolls everything back if the result is not what the user
agreed to: rows in error when they did not choose to leave them out, or rows in error that the
preview did not show (the data changed in between).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches import access
from branches.resources import OrganizationResource
from members.resources import MemberResource

from . import engine, progress
from .models import ImportBatch
from .readers import ALLOWED_EXTENSIONS, Table, UnreadableFile, read_table

RESOURCES = {ImportBatch.Kind.ROSTER: MemberResource, ImportBatch.Kind.ORGS: OrganizationResource}


def _check_may_import(*, kind, target_org, by) -> None:
    if by is None:  # the management commands act as the system
        return
    if target_org is None:
        if not by.is_superuser or kind == ImportBatch.Kind.ROSTER:
            raise PermissionDenied
    elif not access.can_manage_org(by, target_org):
        raise PermissionDenied


def check_upload(upload) -> bytes:
    """The file's bytes once size and type pass; ValidationError in the user's language otherwise."""
    name = upload.name or ""
    if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size).1f MB; files up to %(max).0f MB can be imported.")
            % {"size": upload.size / 1024 / 1024, "max": settings.IMPORT_MAX_UPLOAD_BYTES / 1024 / 1024}
        )
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        raise ValidationError(_("“%(name)s” is not an Excel workbook (.xlsx, .xls) or a CSV file.") % {"name": name})
    return upload.read()


@transaction.atomic
def batch_upload(*, kind: str, upload, target_org, by) -> ImportBatch:
    """Store an upload once it reads as a roster (or org list) table; nothing is kept otherwise."""
    _check_may_import(kind=kind, target_org=target_org, by=by)
    if kind == ImportBatch.Kind.ROSTER and target_org is None:
        raise ValidationError(_("Choose the organization the members belong to."))
    data = check_upload(upload)
    try:
        table = read_table(data, upload.name, RESOURCES[kind].COLUMNS)
    except UnreadableFile as error:
        raise ValidationError(str(error)) from None
    batch = ImportBatch(
        kind=kind,
        original_name=upload.name[:200],
        uploaded_by=by,
        target_org=target_org,
        rows_total=len(table),
        layout=_layout(table, kind),
    )
    batch.file.save(upload.name, ContentFile(data), save=False)
    batch.save()
    return batch


def _layout(table: Table, kind: str) -> dict:
    labels = {c.key: str(c.label) for c in RESOURCES[kind].COLUMNS}
    return {
        "sheet": table.sheet,
        "header_row": table.header_row,
        "columns": [labels[k] for k in table.keys],
        "ignored": table.ignored_headers,
    }


def runs_in_background(batch: ImportBatch) -> bool:
    return batch.rows_total > settings.IMPORT_BACKGROUND_THRESHOLD


def _table(batch: ImportBatch) -> Table:
    with batch.file.open("rb") as handle:
        data = handle.read()
    return read_table(data, batch.original_name, RESOURCES[batch.kind].COLUMNS)


def _run(batch: ImportBatch, *, dry_run: bool) -> engine.Outcome:
    table = _table(batch)
    resource = RESOURCES[batch.kind](
        by=batch.uploaded_by,
        target_org=batch.target_org,
        progress=lambda n: progress.write(batch.pk, n),
    )
    resource.history_note = (_("Imported from %(file)s") % {"file": batch.original_name})[:200]
    progress.write(batch.pk, 0)
    return engine.run(resource, table, dry_run=dry_run, key=resource.key)


def _store(batch: ImportBatch, outcome: engine.Outcome, **fields) -> None:
    batch.report = outcome.rows
    batch.counts = outcome.counts
    batch.rows_done = len(outcome.rows)
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save()
    progress.clear(batch.pk)


def _fail(batch: ImportBatch, message: str) -> None:
    batch.status = ImportBatch.Status.FAILED
    batch.error_message = message
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "error_message", "finished_at", "updated_at"])
    progress.clear(batch.pk)


def batch_start_preview(*, batch: ImportBatch) -> None:
    """Check every row now, or in the worker when the file is large."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.PREVIEWING)
    batch.status = ImportBatch.Status.PREVIEWING
    if runs_in_background(batch):
        from .tasks import preview_batch

        preview_batch.enqueue(batch.pk)
    else:
        batch_preview(batch=batch)


def batch_preview(*, batch: ImportBatch) -> None:
    """The dry run: what each row would do, written to the batch's report. Writes nothing else."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            outcome = _run(batch, dry_run=True)
        except Exception as error:  # noqa: BLE001 - the page must say the check failed, not spin forever
            _fail(batch, _("The file could not be checked: %(error)s") % {"error": error})
            return
        if outcome.failure:
            _fail(batch, outcome.failure)
            return
        _store(batch, outcome, status=ImportBatch.Status.PREVIEWED, error_message="")


def batch_confirm(*, batch: ImportBatch, skip_errors: bool, by) -> None:
    """Start the import the user confirmed; ValidationError says why it cannot start."""
    _check_may_import(kind=batch.kind, target_org=batch.target_org, by=by)
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError(
            _("This file is not waiting for confirmation (its status is “%(status)s”).")
            % {"status": batch.get_status_display()}
        )
    errors = batch.error_count
    if errors and not skip_errors:
        raise ValidationError(
            _(
                "%(n)d rows have errors, so nothing was imported. Correct them in the file and upload it again, "
                "or tick “leave out the rows in error”."
            )
            % {"n": errors}
        )
    if errors == batch.rows_total:
        raise ValidationError(_("Every row has an error; there is nothing to import."))
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).update(
        status=ImportBatch.Status.IMPORTING, skip_errors=skip_errors, rows_done=0, updated_at=timezone.now()
    )
    if not claimed:  # a second click, or another tab, got there first
        raise ValidationError(_("This file is already being imported."))
    batch.refresh_from_db()
    if runs_in_background(batch):
        from .tasks import import_batch

        import_batch.enqueue(batch.pk)
    else:
        batch_import(batch=batch)


class _Refused(Exception):
    def __init__(self, outcome: engine.Outcome):
        super().__init__()
        self.outcome = outcome


def batch_import(*, batch: ImportBatch) -> None:
    """The confirmed import: all rows (less the agreed rows in error) in one transaction, or none."""
    agreed_errors = [r["row"] for r in batch.report if r["status"] == engine.ERROR] if batch.skip_errors else []
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                outcome = _run(batch, dry_run=False)
                if outcome.failure or outcome.error_rows != agreed_errors:
                    raise _Refused(outcome)
        except _Refused as refused:
            outcome = refused.outcome
            if outcome.failure:
                _fail(batch, _("Nothing was imported: %(error)s") % {"error": outcome.failure})
                return
            message = _(
                "Nothing was imported: the rows in error are not the ones the check showed (the roster changed "
                "since). Here is the new check; review it and confirm again."
            )
            _store(batch, outcome, status=ImportBatch.Status.PREVIEWED, error_message=message, skip_errors=False)
            return
        except Exception as error:  # noqa: BLE001 - rolled back; the page must show why
            _fail(batch, _("Nothing was imported: %(error)s") % {"error": error})
            return
        _store(batch, outcome, status=ImportBatch.Status.DONE, error_message="", finished_at=timezone.now())


def batch_cancel(*, batch: ImportBatch, by) -> None:
    """Drop a checked file the user does not want imported; the upload is deleted."""
    _check_may_import(kind=batch.kind, target_org=batch.target_org, by=by)
    if batch.status not in (ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED, ImportBatch.Status.UPLOADED):
        raise ValidationError(_("An import that is running or finished cannot be cancelled."))
    batch.file.delete(save=False)
    batch.status = ImportBatch.Status.CANCELLED
    batch.report = []
    batch.save()
    progress.clear(batch.pk)


def batch_discard(*, batch: ImportBatch) -> None:
    """Remove a batch and its file entirely (a command's dry run leaves nothing behind)."""
    batch.file.delete(save=False)
    progress.clear(batch.pk)
    batch.delete()


def live_rows_done(batch: ImportBatch) -> int:
    if batch.is_running:
        done = progress.read(batch.pk)
        if done is not None:
            return done
    return batch.rows_done
