"""The pages that read the kept member counts (home, org tree, review coverage) show the rosters'
numbers in a real browser, also right after a transfer."""

import pytest
from django.urls import reverse

from members.models import Stage
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_tree_and_coverage_show_the_rosters(world, page, live_server, browser_login, shot):
    MemberFactory(org=world.group_a, stage=Stage.PROBATIONARY)
    MemberFactory(org=world.branch_a, stage=Stage.ACTIVIST)
    browser_login("staff_zz")

    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    # 州直机关工委: branch A 3 + its group 1 (预备) + branch B 2 + the committee's own 1 + the hospital 1.
    assert page.locator(".xf-stat-num").filter(has_text="8").count() >= 1
    shot("headcount-1-home")

    page.goto(f"{live_server.url}{reverse('branches:org_tree')}")

    def counts(name):
        row = page.locator(".xf-node-row").filter(has=page.locator("a.xf-node-name", has_text=name)).first
        row.wait_for()
        return row.locator(".xf-node-counts span").nth(1).inner_text().strip()

    assert counts("州直机关工委") == "8"
    page.locator(".xf-node-row").filter(has=page.locator("a.xf-node-name", has_text="州直机关工委")).first.locator(
        "button.xf-tree-toggle"
    ).click()
    assert counts("州教育局党委") == "7"  # the activist is not a party member
    assert counts("州卫健委党总支") == "1"
    shot("headcount-2-tree")

    # A transfer out of the subtree shows at once on the next page.
    member = world.members_a[0]
    member.org = world.beier
    member.save()
    page.goto(f"{live_server.url}{reverse('reviews:coverage')}?org={world.jy.pk}")
    page.wait_for_load_state("networkidle")
    assert page.locator(".xf-stat-num").filter(has_text="0/6").count() == 1  # members reviewed / party members
    rows = page.locator("[data-testid=coverage-orgs] tbody tr")
    branch_a = rows.filter(has_text="第一中学党支部").first
    assert branch_a.locator("td").nth(2).inner_text().strip() == "0/3"  # 2 left on A + 1 in its group
    shot("headcount-3-coverage")
