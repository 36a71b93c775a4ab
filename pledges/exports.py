"""The statistics as an XLSX workbook: per branch, per category, overdue items.

Header style and formula neutralization come from the roster export (imports.exports), so a name
starting with "=" is text in Excel here too.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from imports.exports import append_sheet

from .stats import PledgeStats, overdue_rows


def _rate_headers():
    return [
        _("Pledges submitted"),
        _("Approved"),
        _("Approval rate"),
        _("Judged"),
        _("Kept"),
        _("Partly kept"),
        _("Not kept"),
        _("Kept rate"),
        _("Items"),
        _("Items done"),
        _("Overdue items"),
    ]


def _rate_values(row):
    return [
        row.submitted,
        row.approved,
        row.approval_rate,
        row.closed,
        row.kept,
        row.partly,
        row.not_kept,
        row.kept_rate,
        row.items,
        row.items_done,
        row.overdue,
    ]


def stats_workbook(stats: PledgeStats) -> bytes:
    workbook = Workbook(write_only=True)
    branch_headers = [
        _("Organization"),
        _("Party members"),
        _("Members who pledged"),
        _("Participation"),
        _("Organization pledges"),
        *_rate_headers(),
    ]
    branch_rows = [
        [r.label, r.members, r.member_pledges, r.participation, r.org_pledges, *_rate_values(r)]
        for r in [*stats.branches, stats.total]
    ]
    append_sheet(workbook, _("By organization"), branch_headers, branch_rows, {0: 28})
    append_sheet(
        workbook,
        _("By category"),
        [pgettext("pledge", "Category"), _("Pledges in public"), *_rate_headers()],
        [[r.label, r.member_pledges + r.org_pledges, *_rate_values(r)] for r in stats.categories],
        {0: 30},
    )
    today = timezone.localdate()
    append_sheet(
        workbook,
        _("Overdue items"),
        [_("Pledged by"), _("Organization"), _("Pledge item"), _("Concrete target"), _("Due on"), _("Days overdue")],
        (
            [
                i.pledge.owner_name,
                i.pledge.org.name,
                i.content,
                i.target,
                i.due_on,
                (today - i.due_on).days,
            ]
            for i in overdue_rows(stats.org, stats.campaign, today=today).iterator(chunk_size=2000)
        ),
        {0: 14, 1: 26, 2: 36, 3: 26},
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
