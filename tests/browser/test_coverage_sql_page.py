"""The review coverage page, now summed and paged in SQL, in a real browser: its figures are those of
the former Python computation, the chart and its table show the groups, and the rows page by 50."""

from datetime import date

import pytest
from django.urls import reverse

from branches.models import OrgKind
from reviews.models import Review
from tests.factories import MemberFactory, make_org
from tests.test_coverage_sql import python_coverage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coverage_page_sums_and_pages_in_sql(world, page, live_server, browser_login, shot):
    reviewer = MemberFactory(org=world.zz)
    for i in range(56):
        org = make_org(f"第{i + 1:02d}支部", parent=world.jy, is_active=i != 3)
        member = MemberFactory(org=org)
        if i % 5 == 0:
            MemberFactory(org=make_org(f"第{i + 1:02d}小组", OrgKind.GROUP, parent=org))
        if i % 3 == 0:
            target = {"target_org": org} if i % 2 else {"target_member": member}
            Review.objects.create(
                reviewer=reviewer,
                basis="superior_head",
                org=world.zz,
                method="meeting",
                held_on=date(2026, 3, 1),
                stage="held",
                **target,
            )
    totals, groups, _rows = python_coverage(world.zz, None, reviews=Review.objects.all())
    browser_login("staff_zz")
    page.goto(f"{live_server.url}{reverse('reviews:coverage')}")
    page.wait_for_load_state("networkidle")
    stats = page.locator(".xf-stat-num")
    assert stats.nth(0).inner_text().strip() == f"{totals['orgs_reviewed']}/{totals['orgs']}"
    assert stats.nth(2).inner_text().strip() == f"{totals['members_reviewed']}/{totals['members']}"
    page.locator("#chart-cov svg").first.wait_for()
    shot("coverage-sql-1-chart")

    page.locator("button[data-view=table][data-target=cov]").click()
    table_rows = page.locator("#table-cov tbody tr")
    assert table_rows.count() == len(groups)
    for row, (_pk, orgs, orgs_reviewed, members, members_reviewed) in zip(table_rows.all(), groups, strict=True):
        cells = row.locator("td")
        assert cells.nth(1).inner_text().strip() == f"{orgs_reviewed}/{orgs}"
        assert cells.nth(3).inner_text().strip() == f"{members_reviewed}/{members}"
    rows = page.locator("[data-testid=coverage-orgs] tbody tr")
    assert rows.count() == 50
    shot("coverage-sql-2-table")

    page.goto(f"{live_server.url}{reverse('reviews:coverage')}?page=2")
    page.wait_for_load_state("networkidle")
    assert rows.count() == totals["orgs"] - 50
    shot("coverage-sql-3-page-2")

    page.goto(f"{live_server.url}{reverse('reviews:coverage')}?org={world.jy.pk}")
    page.wait_for_load_state("networkidle")
    page.locator("#cov-missing").check()
    page.wait_for_url("**missing=1**")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=coverage-orgs] tbody tr").filter(has_text="未点评").count() == rows.count()
    shot("coverage-sql-4-missing")
