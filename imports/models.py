from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from branches import access


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Batches into orgs the user manages; batches without a target org are superusers' only."""
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        return self.filter(access.paths_q(scope.manage_paths, "target_org__path"))


class ImportBatch(models.Model):
    """One uploaded file on its way from preview to import, with the report for every row."""

    class Kind(models.TextChoices):
        ROSTER = "roster", _("Member roster")
        ORGS = "orgs", _("Organizations")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        PREVIEWING = "previewing", _("Checking")
        PREVIEWED = "previewed", _("Checked, waiting for confirmation")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    RUNNING = (Status.PREVIEWING, Status.IMPORTING)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_org = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("into organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="import_batches",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    # [{"row": 5, "status": "new|update|unchanged|error", "messages": [...], "key": {...}, "changes": [...]}]
    report = models.JSONField(_("report"), default=list, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # Header row, sheet and ignored columns, shown above the preview.
    layout = models.JSONField(default=dict, blank=True)
    skip_errors = models.BooleanField(_("leave out rows in error"), default=False)
    error_message = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"

    def get_absolute_url(self):
        return reverse("imports:batch", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def error_count(self) -> int:
        return self.counts.get("error", 0)

    @property
    def percent(self) -> int:
        return int(self.rows_done * 100 / self.rows_total) if self.rows_total else 0
