"""The printable 公示栏: the board as an A4 or A3 poster PDF, with a QR code to the public page.

WeasyPrint needs the Noto CJK fonts installed (fonts-noto-cjk) and harfbuzz's subsetter
(libharfbuzz-subset0) to embed only the glyphs used; see docs/platform notes. The QR code is an
inline SVG from segno, so nothing is fetched while rendering.
"""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

SIZES = {"A4": "A4", "A3": "A3"}


def qr_svg(url: str, *, scale: int = 4) -> str:
    """An inline SVG of the QR code; medium error correction survives a creased printout."""
    return segno.make(url, error="m").svg_inline(scale=scale, dark="#000", light="#fff")


def poster_pdf(*, org, campaign, pledges, public_url: str | None, size: str = "A4") -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "pledges/poster.html",
        {
            "org": org,
            "campaign": campaign,
            "pledges": pledges,
            "size": SIZES.get(size, "A4"),
            "public_url": public_url,
            # segno writes only path data: the URL is encoded as modules, never as markup text.
            "qr": mark_safe(qr_svg(public_url, scale=5 if size == "A3" else 4)) if public_url else "",
            "printed_on": timezone.localdate(),
        },
    )
    # base_url lets WeasyPrint resolve any relative URL against the project; nothing is fetched remotely.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
