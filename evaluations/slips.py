"""The printable sheet of one-time codes: ten slips to an A4 page, each with its code and a QR code.

WeasyPrint lays out a long document at a few pages a second, so a 千人评议 (1,000 slips, 100 pages)
runs in the task worker, rendered in chunks so the page can show progress, and the chunks' pages
are joined into one PDF (``Document.copy``). QR codes go in as small PNG data URIs: measured here,
they lay out faster than inline SVG (see ``bench_slips``). Fonts: Noto Sans CJK SC, embedded as a
subset through harfbuzz (fonts-noto-cjk, libharfbuzz-subset0).
"""

from collections.abc import Callable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import codes

SLIPS_PER_PAGE = 10
PAGES_PER_CHUNK = 10


@dataclass(frozen=True)
class Slip:
    code: str  # normalized
    org_name: str  # "" when the respondent picks
    url: str
    qr: str  # data URI or inline SVG

    @property
    def shown(self) -> str:
        return codes.display(self.code)


def answer_url(site_url: str, code: str) -> str:
    return site_url.rstrip("/") + reverse("evaluations:answer_code", args=[code])


def qr_png(url: str) -> str:
    # Medium error correction survives a crease; a 2-module border is enough on a white slip.
    # A fixed mask skips segno's trial of all eight (7 ms → 2 ms a code); any mask is valid QR.
    return segno.make(url, error="m", mask=0).png_data_uri(scale=3, border=2)


def qr_svg(url: str) -> str:
    return segno.make(url, error="m", mask=0).svg_data_uri(scale=3, border=2)


def _html(round_, slips, *, site_url: str) -> str:
    # (row, column, slip): two columns of five.
    pages = [
        [(i // 2, i % 2, slip) for i, slip in enumerate(slips[start : start + SLIPS_PER_PAGE])]
        for start in range(0, len(slips), SLIPS_PER_PAGE)
    ]
    return render_to_string(
        "evaluations/slips_pdf.html",
        {
            "round": round_,
            "pages": pages,
            "entry_url": site_url.rstrip("/") + reverse("evaluations:answer_start"),
            "closes_at": timezone.localtime(round_.closes_at),
        },
    )


def render_pdf(round_, codes_and_orgs, *, site_url: str, qr: Callable[[str], str] = qr_png, on_progress=None) -> bytes:
    """The PDF for (code, org name) pairs; ``on_progress(slips_done)`` after each chunk."""
    from weasyprint import HTML

    slips = []
    for code, org_name in codes_and_orgs:
        url = answer_url(site_url, code)
        slips.append(Slip(code=code, org_name=org_name, url=url, qr=qr(url)))
    chunk = SLIPS_PER_PAGE * PAGES_PER_CHUNK
    documents = []
    for start in range(0, len(slips), chunk):
        part = slips[start : start + chunk]
        html = _html(round_, part, site_url=site_url)
        documents.append(HTML(string=html, base_url=str(settings.BASE_DIR)).render())
        if on_progress:
            on_progress(start + len(part))
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
