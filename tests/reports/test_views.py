"""The report pages: draft, edit in versions, compare, finalize (locked, signed, dated), files, dashboard."""

import re
from datetime import date

import pytest
from django.urls import reverse

from reports import services
from reports.models import RenderedFile, Report

from .conftest import TODAY, add_activity, docx_of, flat, pdf_fonts, pdf_text, xlsx_of


def create(client, org, campaign, **extra):
    data = {
        "org": org.pk,
        "campaign": campaign.pk,
        "template": "progress",
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        **extra,
    }
    return client.post(reverse("reports:report_create"), data)


@pytest.fixture
def report(world, campaign):
    return services.report_create(
        org=world.jy,
        campaign=campaign,
        period_start=date(2026, 1, 1),
        period_end=TODAY,
        template="progress",
        by=world.users.staff_jy,
        today=TODAY,
    )


@pytest.mark.django_db
def test_staff_draft_a_report_from_the_data(world, campaign, login):
    client = login(world.users.staff_jy)
    response = create(client, world.jy, campaign)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    page = client.get(report.get_absolute_url()).content.decode()
    assert "州教育局党委0个党委、0个总支" not in page
    assert "州教育局党委2个支部、6名党员参加了本次活动" in page
    assert "一、进展情况及主要作法" in page
    assert report.versions.get().number == 1


@pytest.mark.django_db
def test_an_org_outside_the_users_scope_cannot_be_reported_on(world, campaign, login):
    client = login(world.users.staff_jy)
    assert client.get(reverse("reports:report_create"), {"org": world.wj.pk}).status_code == 404
    response = create(client, world.wj, campaign)
    assert response.status_code == 200 and not Report.objects.exists()


@pytest.mark.django_db
def test_a_report_on_a_sibling_branch_is_not_found(world, campaign, login):
    report_b = services.report_create(
        org=world.branch_b,
        campaign=campaign,
        period_start=date(2026, 1, 1),
        period_end=TODAY,
        template="progress",
        by=world.users.secretary_b,
    )
    client = login(world.users.secretary_a)
    for name in ("reports:report_detail", "reports:report_edit", "reports:report_compare"):
        assert client.get(reverse(name, args=[report_b.pk])).status_code == 404
    assert "第二中学" not in client.get(reverse("reports:report_list")).content.decode()


@pytest.mark.django_db
def test_edit_saves_a_version_and_compare_marks_the_change(world, report, login):
    client = login(world.users.staff_jy)
    form = client.get(reverse("reports:report_edit", args=[report.pk])).context["form"]
    data = {name: form[name].initial or form.fields[name].initial or "" for name in form.fields}
    data["title"] = "州教育局党委创先争优推进会汇报材料"
    data["section_opening"] = data["section_opening"].replace("积极谋划", "认真谋划")
    data["note"] = "改了开头"
    response = client.post(reverse("reports:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    assert list(report.versions.values_list("number", flat=True)) == [2, 1]
    report.refresh_from_db()
    assert report.title == "州教育局党委创先争优推进会汇报材料"
    page = client.get(reverse("reports:report_compare", args=[report.pk])).content.decode()
    assert "<del>积极</del>" in page and "<ins>认真</ins>" in page
    # Saving with nothing changed makes no version.
    client.post(reverse("reports:report_edit", args=[report.pk]), {**data, "note": ""})
    assert report.versions.count() == 2


@pytest.mark.django_db
def test_finalize_locks_signs_and_dates_the_report(world, report, login):
    client = login(world.users.staff_jy)
    services.report_finalize(report=report, by=world.users.staff_jy, today=date(2010, 11, 11))
    page = client.get(report.get_absolute_url()).content.decode()
    assert "州教育局党委<br>二〇一〇年十一月十一日" in page
    assert client.get(reverse("reports:report_edit", args=[report.pk])).status_code == 302
    client.post(reverse("reports:report_redraft", args=[report.pk]))
    client.post(reverse("reports:report_finalize", args=[report.pk]))
    assert report.versions.count() == 1
    report.refresh_from_db()
    assert report.signed_on == date(2010, 11, 11)


@pytest.mark.django_db
def test_redraft_takes_todays_data(world, report, login):
    add_activity(world.branch_a, date(2026, 3, 3))
    client = login(world.users.staff_jy)
    client.post(reverse("reports:report_redraft", args=[report.pk]))
    latest = report.versions.order_by("-number").first()
    assert latest.number == 2
    assert "共开展各类活动1次" in "".join(s["text"] for s in latest.content["sections"])


@pytest.mark.django_db
def test_files_are_made_kept_and_downloaded(world, report, login, django_capture_on_commit_callbacks, tmp_path):
    services.report_finalize(report=report, by=world.users.staff_jy, today=date(2026, 6, 30))
    client = login(world.users.staff_jy)
    made = {}
    for fmt in ("pdf", "docx", "xlsx", "html"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:file_request", args=[report.pk]), {"format": fmt})
        rendered = RenderedFile.objects.get(format=fmt)
        assert response["Location"] == rendered.get_absolute_url()
        assert rendered.status == RenderedFile.Status.DONE, rendered.error_message
        download = client.get(reverse("reports:file_download", args=[rendered.pk]))
        made[fmt] = b"".join(download.streaming_content)
    text = flat(pdf_text(made["pdf"]))
    assert "州教育局党委2个支部、6名党员参加了本次活动" in text
    assert "三、存在的主要问题" in text and "—1—" in text
    # The signature closes the last page, above its page number.
    assert re.search(r"州教育局党委二〇二六年六月三十日—\d+—$", text)
    fonts = pdf_fonts(made["pdf"], tmp_path)
    assert "NotoSerifCJK" in fonts.replace("-", "") and " yes " in fonts
    doc = docx_of(made["docx"])
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["一、进展情况及主要作法", "二、取得的初步成效", "三、存在的主要问题", "四、下阶段工作安排"]
    assert doc.tables and doc.tables[0].rows[0].cells[0].text == "项目"
    assert doc.paragraphs[-1].text == "二〇二六年六月三十日"
    book = xlsx_of(made["xlsx"])
    sheet = book["一、进展情况及主要作法"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert figures["党员"] == 6 and figures["党支部"] == 2
    assert "州教育局党委2个支部、6名党员" in made["html"].decode()


@pytest.mark.django_db
def test_a_file_of_a_sibling_report_is_not_found(world, campaign, login, django_capture_on_commit_callbacks):
    report_b = services.report_create(
        org=world.branch_b,
        campaign=campaign,
        period_start=date(2026, 1, 1),
        period_end=TODAY,
        template="progress",
        by=world.users.secretary_b,
    )
    with django_capture_on_commit_callbacks(execute=True):
        rendered = services.file_request(report=report_b, format="html", by=world.users.secretary_b)
    client = login(world.users.secretary_a)
    for name in ("reports:file_detail", "reports:file_progress", "reports:file_download"):
        assert client.get(reverse(name, args=[rendered.pk])).status_code == 404
    assert client.post(reverse("reports:file_request", args=[report_b.pk]), {"format": "pdf"}).status_code == 404


@pytest.mark.django_db
def test_dashboard_shows_the_scope_with_charts_tables_and_links(world, campaign, login):
    add_activity(world.branch_a, date(2026, 3, 3))
    client = login(world.users.staff_jy)
    response = client.get(reverse("reports:dashboard"), {"start": "2026-01-01", "end": "2026-06-30"})
    page = response.content.decode()
    assert response.context["org"] == world.jy
    assert "州教育局党委2个支部、6名党员参加了本次活动" in page
    assert 'id="dashboard-chart-data"' in page and "echarts.min.js" in page
    # The table view carries the link behind each number: March's activities.
    assert f"/activities/?org={world.jy.pk}&amp;start=2026-03-01&amp;end=2026-03-31" in page
    assert "第二中学党支部" in page  # branch B of the staff's own committee lags (no activity)
    assert client.get(reverse("reports:dashboard"), {"org": world.wj.pk}).status_code == 404


@pytest.mark.django_db
def test_members_and_outsiders_have_no_reports(world, login):
    for user in (world.users.member_a, world.users.outsider):
        client = login(user)
        assert client.get(reverse("reports:report_list")).status_code == 404
        assert client.get(reverse("reports:dashboard")).status_code == 404
