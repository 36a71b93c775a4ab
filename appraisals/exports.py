"""The grade distribution as an XLSX workbook: one row per branch and the subtree's total.

Header style and formula neutralization come from the roster export (imports.exports).
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from imports.exports import HEADER_FILL, HEADER_FONT, neutralize

from .models import Grade
from .stats import Distribution


def _cell(sheet, value):
    if isinstance(value, float):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "0.0%"
        return cell
    # None (nothing to divide by) stays an empty cell, as "—" does on the page.
    return neutralize(value)


def distribution_workbook(dist: Distribution) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"{dist.year}年度民主评议"[:31])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 12
    sheet.freeze_panes = "A2"
    headers = [
        _("Branch"),
        _("Phase"),
        _("Members appraised"),
        *[str(g.label) for g in Grade],
        _("Not yet decided"),
        _("Share excellent"),
        _("Share below qualified"),
    ]
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for row in [*dist.rows, dist.total]:
        values = [
            row.label,
            row.phase_label,
            row.total,
            *row.counts,
            row.undecided,
            row.excellent_share,
            row.below_share,
        ]
        sheet.append([_cell(sheet, v) for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
