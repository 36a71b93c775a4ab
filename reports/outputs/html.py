"""The document as one HTML page: the same template WeasyPrint lays out for the PDF."""

from django.template.loader import render_to_string


def render_html(document, *, for_pdf: bool = False) -> str:
    return render_to_string("reports/document.html", {"doc": document, "for_pdf": for_pdf})
