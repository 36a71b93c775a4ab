"""Checks of truth on the demo data: the numbers the source reports state come out of the portal's
reports, for several orgs and periods (an empty one included), in the text, the PDF, DOCX and XLSX.

The seed runs once for the module (inside a transaction rolled back at the end)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from branches.models import Organization
from campaigns.models import Campaign
from reports import drafting, figures
from reports.content import narrative
from reports.outputs import Document, render

from .conftest import docx_of, flat, pdf_fonts, pdf_text, xlsx_of


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with override_settings(DEMO_DATABASE=True), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        # Fire PostgreSQL's deferred foreign-key checks for the seed now, once: left pending, every
        # test's savepoint rollback would bring them back and its teardown would re-run them all.
        connection.check_constraints()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return None


def report_on(code: str, template=drafting.PROGRESS, *, start=None, end=None):
    org = Organization.objects.get(code=code)
    campaign = Campaign.objects.covering(org).first()
    start = start or campaign.starts_on
    end = end or campaign.ends_on
    data = figures.compute(org, campaign, start, end)
    return data, drafting.draft(data, template, as_of=min(end, timezone.localdate()))


def test_zhouzhi_report_counts_its_committees_branches_and_members(demo):
    _data, content = report_on("ZZ")
    assert "州直机关工委81个党委、21个总支、557个支部、9550名党员参加了本次活动" in narrative(content)


@pytest.mark.parametrize("template", list(drafting.TEMPLATES))
def test_education_bureau_counts_its_own_branches_and_the_towns_orgs(demo, template):
    _data, content = report_on("HC", template)
    text = narrative(content)
    assert "教育局党委辖14个支部，436名党员" in text
    assert "隶属10个下级党（工）委的基层党组织63个，党员993人" in text
    assert "共计1429名党员参加了本次" in text


def test_other_units_and_a_sub_committee(demo):
    for code in ("YX", "ZJL", "DH"):
        data, content = report_on(code)
        org = data.org
        text = narrative(content)
        assert f"{data.orgs.members}名党员参加了本次活动" in text, code
        assert (org.short_name or org.name) in text, code
    # 宜兴市建设局: 35 branches directly under the committee, nothing held by sub-committees.
    data, content = report_on("YX")
    assert "35个支部、334名党员" in narrative(content)
    assert not data.orgs.has_parts


def test_pledge_sentence_matches_the_pledges_seeded(demo):
    data, content = report_on("ZJL")
    t = data.pledges.total
    assert t.items, "the demo seeds pledges with items for every unit"
    rate = f"{round(t.items_done / t.items * 100, 1):g}%"
    assert f"共作出承诺{t.items}项，已践诺{t.items_done}项，践诺率{rate}" in narrative(content)


def test_a_period_with_nothing_in_it_says_so(demo):
    _data, content = report_on("HC", start=date(2001, 1, 1), end=date(2001, 12, 31))
    text = narrative(content)
    assert "2001年1月1日至2001年12月31日，教育局党委尚未登记开展的活动" in text
    assert "本期没有挂牌整改的问题" in text
    assert "共计1429名党员" in text  # the tree is counted as it stands


def test_pdf_docx_and_xlsx_of_the_zhouzhi_report(demo, tmp_path):
    data, content = report_on("ZZ")
    document = Document(content=content, final=True, signature_name="州直机关工委", signed_on="二〇一〇年十一月十一日")
    pdf, pages = render(document, "pdf")
    assert pages >= 3
    text = flat(pdf_text(pdf))
    assert "81个党委、21个总支、557个支部、9550名党员" in text
    assert "州直机关工委二〇一〇年十一月十一日" in text
    fonts = pdf_fonts(pdf, tmp_path)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)

    doc = docx_of(render(document, "docx")[0])
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"][2] == "三、存在的主要问题"
    first = doc.tables[0]
    assert [c.text for c in first.rows[0].cells] == ["项目", "数量"]
    assert ["党员", "9550"] in [[c.text for c in row.cells] for row in first.rows]
    east_asian = doc.styles["Normal"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asian == "仿宋"
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28

    book = xlsx_of(render(document, "xlsx")[0])
    sheet = book["一、进展情况及主要作法"]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert values["党委（党工委）"] == 81 and values["党总支"] == 21
    assert values["党支部"] == 557 and values["党员"] == 9550
    lagging = book["三、存在的主要问题"]
    assert lagging.max_row > 1
