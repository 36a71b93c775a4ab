"""Committee staff on a laptop: the roster's table, a search typed into it, the next page, and back."""

import re

import factory
import pytest
from playwright.sync_api import expect

from members.models import Stage
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_searches_and_pages_through_the_roster(world, page, live_server, browser_login, shot):
    # Names of their own: random ones could also start with 孙丽, the name searched for below.
    MemberFactory.create_batch(
        60, org=world.branch_b, stage=Stage.FULL, phone="13912345678", name=factory.Sequence(lambda n: f"党员{n:03d}")
    )
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login("staff_zz")
    page.goto(f"{live_server.url}/members/")
    rows = page.locator("#roster-rows tbody tr")
    expect(rows).to_have_count(50)
    expect(page.locator("#roster-rows")).to_contain_text("共 67 人")
    expect(page.locator("#roster-rows")).to_contain_text("139****5678")
    expect(page.locator("#roster-rows")).to_contain_text("正式党员")
    shot("member-list-1-staff")

    page.fill("#id_q", "孙丽")  # htmx swaps the table in place
    expect(rows).to_have_count(1)
    expect(page.locator("#roster-rows")).to_contain_text("孙丽")
    page.wait_for_url(re.compile(r"/members/\?q="))
    shot("member-list-2-search")

    page.fill("#id_q", "")
    expect(rows).to_have_count(50)
    page.get_by_role("link", name="下一页").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(rows).to_have_count(17)
    expect(page.locator("#roster-rows")).to_contain_text("2 / 2")
    page.get_by_role("link", name="上一页").click()
    expect(rows).to_have_count(50)
    # The first row's link opens that member's page.
    first = rows.first.locator("a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/members/\d+/$"))
    expect(page.locator("h1")).to_contain_text(name)
