"""The statistics as an XLSX workbook: per branch, per category, overdue items.

Header style and formula neutralization come from the roster export (imports.exports), so a name
starting with "=" is text in Excel here too.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from imports.exports import HEADER_FILL, HEADER_FONT, neutralize

from .stats import PledgeStats, overdue_rows


def _sheet(workbook, title: str, headers: list[str], rows, widths: dict[int, int] | None = None):
    sheet = workbook.create_sheet(title[:31])
    for index in range(len(headers)):
        sheet.column_dimensions[chr(ord("A") + index)].width = (widths or {}).get(index, 12)
    sheet.freeze_panes = "A2"
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for values in rows:
        cells = []
        for value in values:
            if isinstance(value, float):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "0.0%"
                cells.append(cell)
            elif hasattr(value, "isoformat"):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                # None (nothing to divide by) stays an empty cell, as "—" does on the page.
                cells.append(neutralize(value))
        sheet.append(cells)


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
    _sheet(workbook, _("By organization"), branch_headers, branch_rows, {0: 28})
    _sheet(
        workbook,
        _("By category"),
        [pgettext("pledge", "Category"), _("Pledges in public"), *_rate_headers()],
        [[r.label, r.member_pledges + r.org_pledges, *_rate_values(r)] for r in stats.categories],
        {0: 30},
    )
    today = timezone.localdate()
    _sheet(
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
