"""Writes on reports: create (drafted from the data), save a version, redraft, finalize, request a file.

Every write validates first, runs in one transaction and leaves a history row. A final report is
locked: no version, no redraft, only files of its last version.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_create, record_update, snapshot
from campaigns.querysets import ancestor_paths

from . import drafting, figures
from .content import with_text
from .models import RenderedFile, Report, ReportVersion

MAX_PERIOD_DAYS = 3 * 366


def _check(*, org, campaign, period_start: date, period_end: date, template: str, baseline) -> None:
    errors = {}
    if template not in drafting.TEMPLATES:
        errors["template"] = _("Choose one of the templates.")
    if period_start and period_end:
        if period_end < period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        elif (period_end - period_start).days > MAX_PERIOD_DAYS:
            errors["period_end"] = _("A report covers at most three years.")
    # The campaign must reach the org: run by it or above it, or inside its subtree.
    if campaign.org.path not in ancestor_paths(org.path) and not campaign.org.path.startswith(org.path):
        errors["campaign"] = _("This campaign does not cover the chosen organization.")
    if baseline is not None:
        start, end = baseline
        if end < start:
            errors["baseline_end"] = _("The period compared with cannot end before it starts.")
        elif period_start and end >= period_start:
            errors["baseline_end"] = _("The period compared with must end before the report's period starts.")
    if errors:
        raise ValidationError(errors)


def compute_figures(report: Report, *, today: date | None = None):
    return figures.compute(
        report.org, report.campaign, report.period_start, report.period_end, baseline=report.baseline, today=today
    )


def draft_content(report: Report, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    data = compute_figures(report, today=today)
    return drafting.draft(data, report.template, as_of=min(report.period_end, today))


def _next_number(report: Report) -> int:
    return (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1


def _check_open(report: Report) -> None:
    if report.is_final:
        raise ValidationError(_("The report is final and can no longer be changed."))


@transaction.atomic
def report_create(
    *,
    org,
    campaign,
    period_start: date,
    period_end: date,
    template: str,
    baseline: tuple[date, date] | None = None,
    by,
    today: date | None = None,
) -> Report:
    """A new report with version 1 drafted from the subtree's figures."""
    _check(
        org=org,
        campaign=campaign,
        period_start=period_start,
        period_end=period_end,
        template=template,
        baseline=baseline,
    )
    report = Report(
        org=org,
        campaign=campaign,
        period_start=period_start,
        period_end=period_end,
        baseline_start=baseline[0] if baseline else None,
        baseline_end=baseline[1] if baseline else None,
        template=template,
        created_by=by,
    )
    content = draft_content(report, today=today)
    report.title = content["title"][:200]
    report.save()
    ReportVersion.objects.create(
        report=report, number=1, content=content, note=_("Drafted from the data"), created_by=by
    )
    record_create(report, actor=by)
    return report


@transaction.atomic
def report_save_version(*, report: Report, texts: dict[str, str], title: str, note: str = "", by) -> ReportVersion:
    """The edited narrative as a new version; the computed tables stay those of the version edited."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _check_open(report)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the report a title.")})
    latest = report.versions.order_by("-number").first()
    content = with_text(latest.content, {k: (v or "").strip() for k, v in texts.items()}, title=title)
    if content == latest.content:
        raise ValidationError(_("Nothing was changed since version %(n)s.") % {"n": latest.number})
    version = ReportVersion.objects.create(
        report=report, number=_next_number(report), content=content, note=note.strip()[:200], created_by=by
    )
    before = snapshot(report)
    report.title = title[:200]
    report.save(update_fields=["title", "updated_at"])
    record_update(report, before, actor=by, note=_("Version %(n)s saved") % {"n": version.number})
    return version


@transaction.atomic
def report_redraft(*, report: Report, by, today: date | None = None) -> ReportVersion:
    """A new version drafted again from today's data (the edits of earlier versions stay in them)."""
    report = Report.objects.select_for_update().select_related("org", "campaign").get(pk=report.pk)
    _check_open(report)
    content = draft_content(report, today=today)
    version = ReportVersion.objects.create(
        report=report,
        number=_next_number(report),
        content=content,
        note=_("Drafted again from the data"),
        created_by=by,
    )
    report.save(update_fields=["updated_at"])
    return version


@transaction.atomic
def report_finalize(*, report: Report, by, today: date | None = None) -> Report:
    """Lock the report and sign it with the org's full name and today's date."""
    report = Report.objects.select_for_update().select_related("org").get(pk=report.pk)
    _check_open(report)
    before = snapshot(report)
    report.status = Report.Status.FINAL
    report.signature_name = report.org.name
    report.signed_on = today or timezone.localdate()
    report.finalized_at = timezone.now()
    report.finalized_by = by
    report.save()
    record_update(report, before, actor=by, note=_("Finalized"))
    return report


@transaction.atomic
def file_request(*, report: Report, version: ReportVersion | None = None, format: str, by) -> RenderedFile:
    """Queue a file of a version (the latest by default); the task worker renders it."""
    if format not in RenderedFile.Format.values:
        raise ValidationError(_("Unknown file format."))
    version = version or report.versions.order_by("-number").first()
    if version.report_id != report.pk:
        raise ValidationError(_("That version belongs to another report."))
    rendered = RenderedFile.objects.create(report=report, version=version, format=format, created_by=by)
    from .tasks import render_file

    # After commit: the worker must find the row, and a rolled-back request must not render.
    transaction.on_commit(lambda: render_file.enqueue(rendered.pk))
    return rendered
