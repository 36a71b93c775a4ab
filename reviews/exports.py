"""The review ledger, coverage and the rectification ledger as XLSX workbooks.

Header style and formula neutralization come from the roster export (imports.exports), so a problem
written as "=..." is text in Excel here too.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from imports.exports import append_sheet


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def review_ledger_workbook(reviews, coverage=None) -> bytes:
    workbook = Workbook(write_only=True)
    headers = [
        _("Date"),
        _("Organization"),
        _("Reviewed"),
        _("Reviewer"),
        _("Method"),
        pgettext("review", "Stage"),
        _("Campaign"),
        _("Duty report of the reviewee"),
        _("Achievements affirmed"),
        _("Shortcomings"),
        _("Direction"),
        _("Rectification items"),
        _("Announced on"),
    ]
    rows = (
        [
            r.held_on,
            r.org.name,
            r.target_name,
            r.reviewer.name,
            r.get_method_display(),
            r.get_stage_display(),
            r.campaign.name if r.campaign_id else "",
            r.duty_report,
            r.achievements,
            "\n".join(s.text for s in r.shortcomings.all()),
            r.direction,
            r.item_count,
            r.announced_on,
        ]
        for r in reviews.prefetch_related("shortcomings").iterator(chunk_size=500)
    )
    append_sheet(workbook, _("Review ledger"), headers, rows, {1: 26, 2: 26, 6: 20, 7: 40, 8: 40, 9: 40, 10: 40})
    if coverage is not None:
        append_sheet(
            workbook,
            _("Coverage"),
            [
                _("Organization"),
                _("Reviewed"),
                _("Last review"),
                _("Party members"),
                _("Members reviewed"),
                _("Member coverage"),
            ],
            (
                [
                    row.org.name,
                    (_("Yes") if row.reviewed else _("No")) if row.counted else "",
                    row.last_review_on,
                    row.members,
                    row.members_reviewed,
                    row.member_rate,
                ]
                for row in coverage.rows
            ),
            {0: 30},
        )
    return _save(workbook)


def item_ledger_workbook(items, rates=None) -> bytes:
    workbook = Workbook(write_only=True)
    today = timezone.localdate()
    headers = [
        _("Responsible organization"),
        _("Responsible person"),
        _("Problem"),
        _("Measures"),
        _("Source"),
        _("Listed on"),
        _("Deadline"),
        _("Status"),
        _("Struck off on"),
        _("Days overdue"),
    ]
    rows = (
        [
            i.org.name,
            i.owner_member.name if i.owner_member_id else "",
            i.problem,
            i.measures,
            i.get_source_display(),
            i.listed_on,
            i.deadline,
            i.get_status_display(),
            i.struck_off_on,
            (today - i.deadline).days if i.is_overdue(today) else None,
        ]
        for i in items.iterator(chunk_size=1000)
    )
    append_sheet(workbook, _("Rectification ledger"), headers, rows, {0: 26, 2: 44, 3: 36})
    if rates is not None:
        append_sheet(
            workbook,
            _("Rectification rate"),
            [_("Organization"), _("Listed"), _("Struck off"), _("Still open"), _("Overdue"), _("Rectification rate")],
            ([r.label, r.listed, r.struck_off, r.open, r.overdue, r.rate] for r in [*rates.rows, rates.total]),
            {0: 30},
        )
    return _save(workbook)
