"""Committee staff on a big subtree's dashboard after a branch logged an activity: the page shows the
last figures at once, says newer ones are being counted, and offers them once the worker has counted
them (a link: the page is not reloaded under its reader)."""

import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from activities import services as activity_services
from activities.models import Activity, ActivityKind, AttendanceStatus
from campaigns.models import Campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_shows_the_last_figures_and_offers_the_new_ones_once_counted(
    world, settings, page, browser_login, shot
):
    settings.DASHBOARD_BACKGROUND_FROM = 2  # 州教育局党委 (four orgs) counts as big, as a province does
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued for the worker
    today = timezone.localdate()
    Campaign.objects.create(
        org=world.zz, name="州直机关创先争优活动", starts_on=date(today.year, 1, 1), ends_on=date(today.year, 12, 31)
    )
    Activity.objects.create(
        org=world.branch_a, branch=world.branch_a, kind=ActivityKind.ASSEMBLY, held_on=today - timedelta(days=20)
    )
    browser_login("staff_jy")
    page.goto(page.url.split("/accounts/")[0] + "/reports/dashboard/")
    activities = page.locator(".xf-stat", has_text="期间开展活动").locator(".xf-stat-num")
    expect(activities).to_have_text("1")
    expect(page.get_by_test_id("dashboard-updating")).to_have_count(0)

    activity_services.activity_create(
        org=world.branch_b,
        data={"kind": ActivityKind.ASSEMBLY, "held_on": today - timedelta(days=1), "title": "党员大会"},
        statuses={m.pk: AttendanceStatus.PRESENT for m in world.members_b},
        by=world.users.secretary_b,
    )
    page.reload()
    expect(page.get_by_test_id("dashboard-updating")).to_have_text(re.compile("正在统计最新数据"))
    expect(activities).to_have_text("1")  # the last figures, with their time
    shot("dashboard-updating")

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    ready = page.get_by_test_id("dashboard-updated")
    expect(ready).to_have_text("最新数据已统计完成，点击查看", timeout=10_000)  # it asked; the page stays as it was
    expect(activities).to_have_text("1")
    shot("dashboard-updated-link")
    ready.click()
    expect(activities).to_have_text("2")
    expect(page.get_by_test_id("dashboard-updating")).to_have_count(0)
    shot("dashboard-updated")
