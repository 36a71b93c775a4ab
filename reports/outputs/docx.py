"""DOCX for further editing in Word or WPS: the same headings, paragraphs and tables as the PDF.

python-docx sets a run's Latin font only; Chinese text takes the East Asian font (w:eastAsia on
w:rFonts), so every style sets both. The fonts named are the ones Word and WPS have on Chinese
Windows (宋体 for the title, 仿宋 for the body, 黑体 for headings); another machine substitutes its
own. Page size and margins follow GB/T 9704; the footer carries a PAGE field between dashes.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT, BODY_FONT, HEADING_FONT = "宋体", "仿宋", "黑体"
LATIN_FONT = "Times New Roman"
LINE_PITCH = Pt(28.9)  # 22 lines on the GB/T 9704 text area


def _fonts(target, east_asian: str, *, size: float, bold: bool = False) -> None:
    """``target``: a style or a run; both have .font and an rPr element."""
    target.font.name = LATIN_FONT
    target.font.size = Pt(size)
    target.font.bold = bold
    element = target.element if hasattr(target, "element") else target._element
    r_pr = element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:eastAsia"), east_asian)
    r_fonts.set(qn("w:ascii"), LATIN_FONT)
    r_fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _page_number_field(paragraph) -> None:
    """— PAGE — as a complex field, which Word and WPS both update on opening."""
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        _fonts(r, TITLE_FONT, size=14)


def _setup(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, size=16)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_PITCH
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(footer)


def _paragraph(doc, text: str, *, indent: bool = True, align=WD_ALIGN_PARAGRAPH.JUSTIFY):
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of 16 pt
    run = paragraph.add_run(text)
    _fonts(run, BODY_FONT, size=16)
    return paragraph


def _heading(doc, text: str):
    # A real heading style, so Word's navigation pane and python-docx see the outline.
    paragraph = doc.add_heading(level=1)
    paragraph.paragraph_format.first_line_indent = Pt(32)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = LINE_PITCH
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    _fonts(run, HEADING_FONT, size=16, bold=True)
    run.font.color.rgb = None
    return paragraph


def _table(doc, data: dict) -> None:
    caption = doc.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(caption.add_run(data["title"]), HEADING_FONT, size=12, bold=True)
    columns, rows = data["columns"], data["rows"]
    table = doc.add_table(rows=1 + len(rows), cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate([columns, *rows]):
        cells = table.rows[r].cells
        for c, value in enumerate(values):
            cell_paragraph = cells[c].paragraphs[0]
            cell_paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if c == 0 and r else WD_ALIGN_PARAGRAPH.CENTER
            cell_paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            cell_paragraph.paragraph_format.first_line_indent = Pt(0)
            run = cell_paragraph.add_run("" if value is None else str(value))
            _fonts(run, HEADING_FONT if r == 0 else BODY_FONT, size=12, bold=r == 0)
    if data.get("note"):
        _fonts(doc.add_paragraph().add_run(data["note"]), BODY_FONT, size=12)


def render_docx(document, *, progress) -> bytes:
    doc = new_document()
    _setup(doc)
    doc.core_properties.title = document.title
    doc.core_properties.language = "zh-CN"
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    title.paragraph_format.space_after = LINE_PITCH
    _fonts(title.add_run(document.title), TITLE_FONT, size=22, bold=True)
    if document.subtitle:
        _paragraph(doc, document.subtitle, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    sections = document.sections
    for index, item in enumerate(sections, start=1):
        if item.get("heading"):
            _heading(doc, item["heading"])
        for text in item["paragraphs"]:
            _paragraph(doc, text, indent=text != "同志们：")
        for data in item["document_tables"]:
            _table(doc, data)
        progress(10 + 80 * index // max(1, len(sections)), "写入章节")
    if document.final:
        doc.add_paragraph()
        for line in (document.signature_name, document.signed_on):
            paragraph = _paragraph(doc, line, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(64)  # 成文日期右空四字
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
