"""What import_roster and import_orgs share: the page's service path, a per-row report, exit codes."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Organization
from imports import services
from imports.models import ImportBatch

STATUS_WORDS = {
    "new": gettext_lazy("New"),
    "update": gettext_lazy("Update"),
    "unchanged": gettext_lazy("Unchanged"),
    "error": gettext_lazy("Error"),
}


class ImportCommand(BaseCommand):
    kind = ""
    org_required = False

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="XLSX, XLS or CSV file")
        parser.add_argument("--org", required=self.org_required, help="code of the organization to import into")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args, file: Path, org=None, dry_run=False, **options):
        target = None
        if org:
            target = Organization.objects.filter(code=org).first()
            if target is None:
                raise CommandError(_("No organization has the org code “%(code)s”.") % {"code": org})
        if not file.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": file})
        upload = SimpleUploadedFile(file.name, file.read_bytes())
        try:
            batch = services.batch_upload(kind=self.kind, upload=upload, target_org=target, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        services.batch_preview(batch=batch)
        batch.refresh_from_db()
        if batch.status == ImportBatch.Status.FAILED:
            services.batch_discard(batch=batch)
            raise CommandError(batch.error_message)
        self.print_report(batch)
        if batch.error_count or dry_run:
            services.batch_discard(batch=batch)
            if batch.error_count:
                raise CommandError(
                    _("%(n)d rows have errors; nothing was imported.") % {"n": batch.error_count}, returncode=1
                )
            self.stdout.write(_("Dry run: nothing was written."))
            return
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTING)
        batch.refresh_from_db()
        services.batch_import(batch=batch)
        batch.refresh_from_db()
        if batch.status != ImportBatch.Status.DONE:
            raise CommandError(batch.error_message or batch.get_status_display(), returncode=1)
        self.stdout.write(self.style.SUCCESS(self.summary(batch, _("Imported"))))

    def summary(self, batch, prefix: str) -> str:
        counts = batch.counts
        return _("%(prefix)s: %(new)d new, %(update)d updated, %(unchanged)d unchanged, %(error)d in error.") % {
            "prefix": prefix,
            "new": counts.get("new", 0),
            "update": counts.get("update", 0),
            "unchanged": counts.get("unchanged", 0),
            "error": counts.get("error", 0),
        }

    def print_report(self, batch) -> None:
        for row in batch.report:
            key = row["key"]
            who = " ".join(v for v in (key.get("name"), key.get("detail")) if v)
            line = _("Row %(row)d  %(status)s  %(who)s") % {
                "row": row["row"],
                "status": STATUS_WORDS[row["status"]],
                "who": who,
            }
            details = list(row["messages"])
            details += [f"{label}：{old or '—'} → {new or '—'}" for label, old, new in row.get("changes", [])]
            if details:
                line += "  " + "；".join(details)
            self.stdout.write(self.style.ERROR(line) if row["status"] == "error" else line)
        self.stdout.write(self.summary(batch, _("Check")))
