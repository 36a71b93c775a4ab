"""The one content structure every output is made from (HTML, PDF, DOCX, XLSX).

A version's content is plain JSON:

    {"template": "progress", "title": "…", "subtitle": "…",
     "sections": [{"key": "progress", "heading": "一、进展情况及主要作法",
                   "text": "paragraph\\nparagraph",          # the narrative staff edit
                   "tables": [{"title": …, "columns": […], "rows": [[…]]}],   # computed, read-only
                   "figures": [["党委", 81], …]}],          # the numbers the sentences used
     "period": {"start": "2010-06-01", "end": "2010-11-10"}, "org": "…", "campaign": "…"}

Headings and tables are computed and frozen with the version; only the text is edited.
"""

from __future__ import annotations


def table(title: str, columns: list[str], rows: list[list], *, in_document: bool = True) -> dict:
    """``in_document`` False: a table only the XLSX carries (every row behind a capped list)."""
    return {"title": title, "columns": columns, "rows": rows, "in_document": in_document}


def section(key: str, heading: str, paragraphs: list[str], *, tables=(), figures=()) -> dict:
    return {
        "key": key,
        "heading": heading,
        "text": "\n".join(p for p in paragraphs if p),
        "tables": list(tables),
        "figures": [list(f) for f in figures],
    }


def paragraphs(text: str) -> list[str]:
    """The text of a section as paragraphs: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def narrative(content: dict) -> str:
    """Title, headings and text as one plain text, for comparing versions."""
    lines = [content.get("title", "")]
    if content.get("subtitle"):
        lines.append(content["subtitle"])
    for item in content.get("sections", []):
        if item.get("heading"):
            lines.append(item["heading"])
        lines.extend(paragraphs(item.get("text", "")))
    return "\n".join(lines)


def document_tables(item: dict) -> list[dict]:
    return [t for t in item.get("tables", []) if t.get("in_document", True)]


def with_text(content: dict, texts: dict[str, str], *, title: str | None = None) -> dict:
    """A copy of the content with some sections' text (by key) and the title replaced."""
    sections = [{**item, "text": texts.get(item["key"], item["text"])} for item in content.get("sections", [])]
    result = {**content, "sections": sections}
    if title is not None:
        result["title"] = title
    return result
