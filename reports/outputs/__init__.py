"""Every output made from one content structure (reports/content.py): HTML, PDF, DOCX, XLSX."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import phrasing
from ..content import document_tables, paragraphs


@dataclass
class Document:
    """What each renderer needs: the content, laid out, and the signature when the report is final."""

    content: dict
    final: bool
    signature_name: str = ""
    signed_on: str = ""  # in Chinese numerals

    @property
    def title(self) -> str:
        return self.content.get("title", "")

    @property
    def subtitle(self) -> str:
        return self.content.get("subtitle", "")

    @property
    def sections(self) -> list[dict]:
        """Each section with its paragraphs split and only the tables the document shows."""
        return [
            {**item, "paragraphs": paragraphs(item.get("text", "")), "document_tables": document_tables(item)}
            for item in self.content.get("sections", [])
        ]


def document_for(report, version) -> Document:
    return Document(
        content=version.content,
        final=report.is_final,
        signature_name=report.signature_name,
        signed_on=phrasing.chinese_date(report.signed_on) if report.signed_on else "",
    )


Progress = Callable[[int, str], None]


def _quiet(percent: int, stage: str) -> None:
    return None


def render(document: Document, fmt: str, *, progress: Progress = _quiet) -> tuple[bytes, int | None]:
    """(file bytes, pages when the format has pages)."""
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(document, progress=progress)
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(document, progress=progress), None
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(document, progress=progress), None
    if fmt == "html":
        from .html import render_html

        return render_html(document).encode("utf-8"), None
    raise ValueError(fmt)
