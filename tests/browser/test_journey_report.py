"""Committee staff: the dashboard of their scope, then a progress report drafted from the data,
edited, compared, finalized and downloaded as PDF; the report read on a phone."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, ActivityKind
from campaigns.models import Campaign, Phase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        org=world.zz, name="州直机关创先争优活动", starts_on=date(today.year, 1, 1), ends_on=date(today.year, 12, 31)
    )
    Phase.objects.create(campaign=campaign, name="领导点评", starts_on=campaign.starts_on, ends_on=campaign.ends_on)
    Activity.objects.create(
        org=world.branch_a, branch=world.branch_a, kind=ActivityKind.ASSEMBLY, held_on=campaign.starts_on
    )
    return campaign


def nav(page, name):
    """Follow a header menu item, opening its group's dropdown first when the menu groups it."""
    # By text, not by accessible name: the icon font's glyph is part of the name.
    link = page.locator("#xf-nav a:not(.dropdown-toggle)").filter(has_text=re.compile(rf"^\s*{name}\s*$"))
    if not link.is_visible():
        page.locator("#xf-nav .dropdown-toggle", has_text=name).first.click()
    link.click()


def test_staff_draft_edit_finalize_and_download_a_report(world, campaign, page, browser_login, shot, phone_page):
    browser_login("staff_jy")
    nav(page, "统计")
    expect(page.locator("h1")).to_contain_text("州教育局党委")
    expect(page.get_by_text("州教育局党委2个支部、6名党员参加了本次活动")).to_be_visible()
    page.locator("button[data-view=table][data-target=months]").click()
    expect(page.locator("#table-months")).to_be_visible()
    expect(page.get_by_test_id("dashboard-as-of")).to_contain_text(re.compile(r"数据截至 \d{2}:\d{2}"))
    shot("report-dashboard")
    # Counting again shows the same figures, newly counted.
    page.get_by_role("button", name="重新统计").click()
    expect(page.get_by_text("州教育局党委2个支部、6名党员参加了本次活动")).to_be_visible()
    expect(page.locator("#table-months")).to_be_hidden()

    nav(page, "报告")
    page.get_by_role("link", name="起草汇报材料").click()
    page.get_by_role("button", name="起草").click()
    expect(page.locator(".xf-doc h2").first).to_have_text("一、进展情况及主要作法")
    expect(page.locator(".xf-doc")).to_contain_text("2个支部、6名党员")
    shot("report-draft")

    page.get_by_role("link", name="修改文字").click()
    opening = page.locator("#id_section_opening")
    opening.fill(opening.input_value().replace("积极谋划", "认真谋划"))
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.get_by_text("已保存为第2版")).to_be_visible()
    page.get_by_role("link", name="与上一版对比").click()
    expect(page.locator(".xf-diff ins").first).to_have_text("认真")
    shot("report-compare")

    page.go_back()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="定稿").click()
    expect(page.locator(".xf-doc-signature")).to_contain_text("州教育局党委")
    expect(page.locator(".xf-doc-signature")).to_contain_text(re.compile("二〇[〇一二三四五六七八九]{2}年"))
    expect(page.get_by_role("link", name="修改文字")).to_have_count(0)

    page.get_by_role("button", name="PDF").click()
    expect(page.get_by_text(re.compile("已生成"))).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载").click()
    assert info.value.suggested_filename.endswith("-v2.pdf")
    shot("report-file")

    report_url = page.get_by_role("link", name="返回汇报材料").get_attribute("href")
    browser_login("staff_jy", target=phone_page)
    phone_page.goto(page.url.split("/reports/")[0] + report_url)
    expect(phone_page.locator(".xf-doc h1")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the report is {width}px wide on a 390px phone"
    shot("report-phone", phone_page)
