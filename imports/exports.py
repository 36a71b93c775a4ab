"""Writing rosters and org lists to XLSX in the import's own columns, so export -> edit -> import works.

openpyxl's write-only mode streams rows to the file instead of building the sheet in memory.
Text that Excel would run as a formula (= + - @, tab, CR first) gets a leading apostrophe, which
Excel shows as text and the import strips again.
"""

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from .readers import Column

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B8141B")
WIDE_COLUMNS = {"name": 14, "id_number": 22, "org": 26, "work_unit": 28, "address": 30, "parent": 16, "code": 16}


def neutralize(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _header(sheet, columns: list[Column]):
    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def append_sheet(workbook, title: str, headers, rows, widths: dict[int, int] | None = None) -> None:
    """A write-only sheet of figures for the statistics exports: styled header, frozen first row,
    floats as percentages (ratios 0..1), dates as dates, text neutralized; None stays an empty cell,
    as "—" does on the page."""
    sheet = workbook.create_sheet(title[:31])
    for index in range(len(headers)):
        sheet.column_dimensions[chr(ord("A") + index)].width = (widths or {}).get(index, 12)
    sheet.freeze_panes = "A2"
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    sheet.append(header)
    for values in rows:
        cells = []
        for value in values:
            if isinstance(value, float):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "0.0%"
            elif isinstance(value, date):
                cell = _date_cell(sheet, value)
            else:
                cell = neutralize(value)
            cells.append(cell)
        sheet.append(cells)


def _date_cell(sheet, value: date):
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "yyyy-mm-dd"
    return cell


def write_xlsx(columns: list[Column], rows, *, title: str, notes: list[tuple[str, str]] = ()) -> bytes:
    """One sheet of data (header + rows of values), optionally a second sheet explaining the columns."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, column in enumerate(columns):
        letter = chr(ord("A") + index)
        sheet.column_dimensions[letter].width = WIDE_COLUMNS.get(column.key, 12)
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, columns))
    for values in rows:
        sheet.append([_date_cell(sheet, v) if isinstance(v, date) else neutralize(v) for v in values])
    if notes:
        guide = workbook.create_sheet(_("How to fill in")[:31])
        guide.column_dimensions["A"].width = 24
        guide.column_dimensions["B"].width = 90
        guide.append([_("Column"), _("What to write")])
        for name, text in notes:
            guide.append([name, text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_notes(columns: list[Column]) -> list[tuple[str, str]]:
    notes = []
    for column in columns:
        parts = []
        if column.required:
            parts.append(_("Required."))
        if column.help:
            parts.append(str(column.help))
        if column.aliases:
            parts.append(_("Also recognised as: %(names)s") % {"names": "、".join(column.aliases)})
        notes.append((str(column.label), " ".join(parts)))
    return notes


def resource_rows(resource, queryset):
    """Each record as the resource exports it, streamed in chunks."""
    fields = [resource.fields[c.key] for c in resource.COLUMNS]
    for instance in queryset.iterator(chunk_size=2000):
        yield [resource.export_field(field, instance) for field in fields]
