"""A branch secretary logs a 支部党员大会 with attendance on a phone: one page, exceptions only, one tap to save."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, AttendanceStatus
from tests.browser.conftest import follow_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone: {page.url}"


def test_secretary_logs_a_general_meeting_with_attendance_on_a_phone(
    world, phone_page, live_server, browser_login, shot
):
    page = browser_login("secretary_a", target=phone_page)
    zhang, liu, zhao = world.members_a

    # The log, through the collapsed menu: nothing yet.
    follow_nav(page, "活动")
    page.wait_for_url(f"{live_server.url}/activities/")
    expect(page.locator("#activity-rows")).to_contain_text("还没有记录活动")

    # The form: the secretary's branch is chosen already, everyone on the roster starts as present.
    page.get_by_role("link", name="记录活动").click()
    page.wait_for_url(f"{live_server.url}/activities/new/")
    expect(page.locator(".xf-chosen-org")).to_contain_text("第一中学党支部")
    expect(page.locator("input[name=kind]:checked")).to_have_value("assembly")
    expect(page.locator("#id_held_on")).to_have_value(timezone.localdate().isoformat())
    rows = page.locator(".xf-roster-row")
    expect(rows).to_have_count(3)
    for other in world.members_b:
        expect(page.locator("#attendance")).not_to_contain_text(other.name)
    counts = page.locator(".xf-att-counts")
    expect(counts.locator('[data-count="present"]')).to_have_text("3")

    page.get_by_text("支部党员大会", exact=True).click()
    page.fill("#id_place", "第一中学三楼会议室")
    page.fill("#id_title", "学习新党章")
    page.fill("#id_host", "刘建国")
    page.fill("#id_recorder", "张党员")

    # Find 赵敏 in the roster and mark her on leave; 张党员 came late and left: absent.
    page.locator("[data-roster-search]").fill("赵")
    expect(rows.filter(has_text="赵敏")).to_be_visible()
    expect(rows.filter(has_text="刘建国")).to_be_hidden()
    page.locator(f"label[for=att-{zhao.pk}-leave]").click()
    page.locator("[data-roster-search]").fill("")
    page.locator(f"label[for=att-{zhang.pk}-absent]").click()
    expect(counts.locator('[data-count="expected"]')).to_have_text("3")
    expect(counts.locator('[data-count="present"]')).to_have_text("1")
    expect(counts.locator('[data-count="leave"]')).to_have_text("1")
    expect(counts.locator('[data-count="absent"]')).to_have_text("1")
    # Every button is big enough for a thumb.
    box = page.locator(f"label[for=att-{liu.pk}-present]").bounding_box()
    assert box["height"] >= 40 and box["width"] >= 44, box
    _fits_the_phone(page)
    shot("activity-1-log-phone", target=page)

    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/activities/*/")
    expect(page.locator(".alert-success")).to_contain_text("活动已记录。")
    expect(page.locator("h1")).to_have_text("学习新党章")
    stats = page.get_by_test_id("attendance-counts")
    expect(stats).to_contain_text("3应到")
    expect(stats).to_contain_text("1出席")
    expect(stats).to_contain_text("33.3%出勤率")
    expect(page.locator(".xf-person-leave")).to_have_text("赵敏")
    expect(page.locator(".xf-person-absent")).to_have_text("张党员")
    expect(page.locator(".xf-history")).to_contain_text("李书记")
    expect(page.locator(".xf-history")).to_contain_text("应到 3，实到 1，请假 1，缺席 1")
    _fits_the_phone(page)
    shot("activity-2-detail-phone", target=page)

    activity = Activity.objects.get()
    assert (activity.org, activity.kind, activity.place) == (world.branch_a, "assembly", "第一中学三楼会议室")
    assert activity.host == liu and activity.recorder == zhang
    statuses = dict(activity.attendances.values_list("member__name", "status"))
    assert statuses == {
        "张党员": AttendanceStatus.ABSENT,
        "刘建国": AttendanceStatus.PRESENT,
        "赵敏": AttendanceStatus.LEAVE,
    }

    # The branch calendar shows it on today's date and counts it for the quarter.
    page.goto(f"{live_server.url}/activities/calendar/")
    page.wait_for_url(f"{live_server.url}/activities/calendar/{world.branch_a.pk}/")
    expect(page.locator(".xf-day.is-today .xf-chip-mini")).to_have_text("党员大会")
    _fits_the_phone(page)
    shot("activity-3-calendar-phone", target=page)
