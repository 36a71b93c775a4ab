"""Progress reports (推进会汇报材料 and its variants): drafted from the data, edited in versions,
finalized (locked, signed, dated), and rendered to files that are kept."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .drafting import TEMPLATES
from .querysets import RenderedFileQuerySet, ReportQuerySet


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report", "Draft")
        FINAL = "final", _("Final")

    org = models.ForeignKey(
        "branches.Organization", on_delete=models.PROTECT, related_name="reports", verbose_name=_("organization")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="reports", verbose_name=_("campaign")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    # An earlier period to compare with ("由A%提高到B%"); both or neither.
    baseline_start = models.DateField(_("compare with period from"), null=True, blank=True)
    baseline_end = models.DateField(_("compare with period to"), null=True, blank=True)
    template = models.CharField(_("template"), max_length=20, choices=list(TEMPLATES.items()))
    title = models.CharField(pgettext_lazy("report", "title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    signature_name = models.CharField(_("signed by"), max_length=120, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="report_period_order"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(signed_on__isnull=False, signature_name__gt=""),
                name="report_final_is_signed",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def baseline(self):
        if self.baseline_start and self.baseline_end:
            return (self.baseline_start, self.baseline_end)
        return None


class ReportVersion(models.Model):
    """One saved state of the report's content (see reports/content.py); numbered from 1."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="versions", verbose_name=_("progress report")
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique_number")]

    def __str__(self):
        return f"{self.report} v{self.number}"


class RenderedFile(models.Model):
    """A PDF, DOCX, XLSX or HTML file made from one version, kept for download."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", _("Excel (XLSX, every figure)")
        HTML = "html", "HTML"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="files", verbose_name=_("progress report")
    )
    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="files", verbose_name=_("version")
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("render step"), max_length=60, blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    seconds = models.FloatField(_("render time (s)"), null=True, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = RenderedFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendered file")
        verbose_name_plural = _("rendered files")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.report} v{self.version.number}.{self.format}"

    def get_absolute_url(self):
        return reverse("reports:file_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def filename(self) -> str:
        suffix = "" if self.report.is_final else "（草稿）"
        return f"{self.report.title}{suffix}-v{self.version.number}.{self.format}"
