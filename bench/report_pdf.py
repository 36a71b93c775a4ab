"""The standard report's PDF (推进会汇报材料, GB/T 9704 layout) in under 5 s.

    .venv/bin/python bench/report_pdf.py          # on the data of bench/report_figures.py (PostgreSQL)

Drafts the progress report for the root of the 100,000-member bench tree, then renders the PDF
REPEAT times (fonts subset and embedded with harfbuzz) and prints the median, the worst, the page count
and the size; DOCX and XLSX of the same content are timed once beside it.
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "XIANFENG_DB_ENGINE": "postgresql",
        "XIANFENG_DB_NAME": os.environ.get("XIANFENG_BENCH_DB", "xianfeng_bench_reports"),
        "XIANFENG_DEBUG": "0",
    }
)
REPEAT = 5


def main() -> None:
    import django

    django.setup()
    from branches.models import Organization
    from campaigns.models import Campaign
    from reports import drafting, figures, phrasing
    from reports.outputs import Document, render

    root = Organization.objects.filter(depth=1, code="R").first()
    if root is None:
        sys.exit("Run bench/report_figures.py first: it builds the data.")
    campaign = Campaign.objects.get(org=root)
    end = date(2026, 11, 30)
    started = time.perf_counter()
    data = figures.compute(root, campaign, campaign.starts_on, end, today=end)
    content = drafting.draft(data, drafting.PROGRESS, as_of=end)
    drafted = time.perf_counter() - started
    document = Document(content, final=True, signature_name=root.name, signed_on=phrasing.chinese_date(end))
    times, pages, size = [], 0, 0
    for _ in range(REPEAT):
        t = time.perf_counter()
        pdf, pages = render(document, "pdf")
        times.append(time.perf_counter() - t)
        size = len(pdf)
    print(
        f"figures + drafting {drafted:.2f}s; PDF median {statistics.median(times):.2f}s, worst {max(times):.2f}s "
        f"over {REPEAT} runs: {pages} pages, {size / 1024:.0f} KB ({pages / statistics.median(times):.1f} pages/s)"
    )
    for fmt in ("docx", "xlsx"):
        t = time.perf_counter()
        out, _pages = render(document, fmt)
        print(f"{fmt.upper()} {time.perf_counter() - t:.2f}s, {len(out) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
