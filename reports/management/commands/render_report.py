"""Render a report from the command line, from the same drafting and outputs as the portal:

    manage.py render_report --org CODE --campaign ID --from 2010-06-01 --to 2010-11-10 --format pdf --output r.pdf

Nothing is saved in the database: the report is drafted in memory (as a draft, unsigned unless
--finalize gives it the org's full name and today's date) and written to the file.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from branches.models import Organization
from campaigns.models import Campaign
from reports import drafting, phrasing
from reports.models import RenderedFile, Report
from reports.outputs import Document, render
from reports.services import _check, draft_content


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"不是有效的日期（YYYY-MM-DD）：{value}") from error


class Command(BaseCommand):
    help = "Draft a progress report from the data and write it as PDF, DOCX, XLSX or HTML."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="org code (Organization.code)")
        parser.add_argument("--campaign", required=True, type=int, help="campaign id")
        parser.add_argument("--from", dest="start", required=True, help="period start, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="period end, YYYY-MM-DD")
        parser.add_argument("--format", required=True, choices=RenderedFile.Format.values)
        parser.add_argument("--output", required=True)
        parser.add_argument("--template", default=drafting.PROGRESS, choices=list(drafting.TEMPLATES))
        parser.add_argument("--compare-from", dest="base_start", help="earlier period to compare with, start")
        parser.add_argument("--compare-to", dest="base_end", help="earlier period to compare with, end")
        parser.add_argument("--finalize", action="store_true", help="sign with the org's full name and today's date")

    def handle(self, *args, **options):
        org = Organization.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(f"没有代码为 {options['org']} 的党组织。")
        campaign = Campaign.objects.select_related("org").filter(pk=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"没有编号为 {options['campaign']} 的主题活动。")
        start, end = _date(options["start"]), _date(options["end"])
        baseline = None
        if options["base_start"] or options["base_end"]:
            if not (options["base_start"] and options["base_end"]):
                raise CommandError("--compare-from 与 --compare-to 须同时给出。")
            baseline = (_date(options["base_start"]), _date(options["base_end"]))
        try:
            _check(
                org=org,
                campaign=campaign,
                period_start=start,
                period_end=end,
                template=options["template"],
                baseline=baseline,
            )
        except Exception as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        report = Report(
            org=org,
            campaign=campaign,
            period_start=start,
            period_end=end,
            baseline_start=baseline[0] if baseline else None,
            baseline_end=baseline[1] if baseline else None,
            template=options["template"],
        )
        content = draft_content(report)
        document = Document(
            content=content,
            final=options["finalize"],
            signature_name=org.name if options["finalize"] else "",
            signed_on=phrasing.chinese_date(timezone.localdate()) if options["finalize"] else "",
        )
        data, pages = render(document, options["format"])
        with open(options["output"], "wb") as handle:
            handle.write(data)
        extra = f"，{pages}页" if pages else ""
        self.stdout.write(f"已写入 {options['output']}（{len(data):,} 字节{extra}）")
