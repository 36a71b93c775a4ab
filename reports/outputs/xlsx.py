"""XLSX of every figure and table behind the report: a sheet per section (its figures, then its
tables, the full lists included), after a sheet describing the report."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from imports.exports import HEADER_FILL, HEADER_FONT, neutralize

BOLD = Font(bold=True)
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(text: str, used: set[str]) -> str:
    base = SHEET_NAME_BAD.sub("", text)[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}{n}", n + 1
    used.add(name)
    return name


def _header(sheet, row: int, values: list) -> None:
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=col, value=str(value))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL


def render_xlsx(document, *, progress) -> bytes:
    content = document.content
    book = Workbook()
    about = book.active
    about.title = "报告信息"
    used = {about.title}
    period = content.get("period", {})
    rows = [
        ("标题", document.title),
        ("党组织", content.get("org", "")),
        ("主题活动", content.get("campaign", "")),
        ("统计期间", f"{period.get('start', '')} 至 {period.get('end', '')}"),
        ("状态", "定稿" if document.final else "草稿"),
    ]
    if document.final:
        rows += [("署名", document.signature_name), ("成文日期", document.signed_on)]
    for label, value in rows:
        about.append([label, neutralize(value)])
        about.cell(row=about.max_row, column=1).font = BOLD
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 14, 60

    sections = [s for s in content.get("sections", []) if s.get("figures") or s.get("tables")]
    for index, item in enumerate(sections, start=1):
        sheet = book.create_sheet(_sheet_name(item.get("heading") or item["key"], used))
        sheet.column_dimensions["A"].width = 34
        for letter in "BCDEF":
            sheet.column_dimensions[letter].width = 14
        row = 1
        if item.get("figures"):
            _header(sheet, row, ["数据项", "数值"])
            for label, value in item["figures"]:
                row += 1
                sheet.cell(row=row, column=1, value=neutralize(label))
                sheet.cell(row=row, column=2, value=neutralize(value))
            row += 2
        for data in item.get("tables", []):
            title = sheet.cell(row=row, column=1, value=data["title"])
            title.font = BOLD
            row += 1
            _header(sheet, row, data["columns"])
            for values in data["rows"]:
                row += 1
                for col, value in enumerate(values, start=1):
                    sheet.cell(row=row, column=col, value=neutralize(value)).alignment = Alignment(wrap_text=col > 1)
            row += 2
        progress(10 + 80 * index // max(1, len(sections)), "写入数据表")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
