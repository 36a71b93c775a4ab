"""Under the Content Security Policy the pages still work: charts draw, htmx swaps, filters that
applied on change still do, and Chromium reports no violation."""

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_PAGES = [
    ("reports:dashboard", "#chart-activities svg, [id^=chart-] svg"),
    ("appraisals:distribution", "#chart-total svg"),
]


@pytest.fixture
def violations(page):
    seen = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: seen.append(f"page error: {e}"))
    return seen


def test_pages_work_under_the_policy(world, page, live_server, browser_login, violations):
    browser_login("admin")
    response = page.goto(f"{live_server.url}/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert page.evaluate("window.htmx.config.allowEval") is False

    for name, chart in CHART_PAGES:
        page.goto(f"{live_server.url}{reverse(name)}?org={world.zz.pk}")
        page.wait_for_load_state("networkidle")
        assert page.locator(chart).count() > 0, f"{name}: no chart drawn"

    # htmx: the org search on the import page swaps in the matching organizations.
    page.goto(f"{live_server.url}{reverse('imports:start')}")
    page.fill("#org-search", "第一中学")
    page.wait_for_selector("#org-choices label:has-text('第一中学党支部')")

    # A filter that applied with an inline onchange= now applies through app.js.
    page.goto(f"{live_server.url}{reverse('activities:calendar', args=[world.branch_a.pk])}")
    select = page.locator("select#range")
    other = select.locator("option:not([selected])").first.get_attribute("value")
    with page.expect_navigation():
        select.select_option(other)
    assert re.search(rf"[?&]range={re.escape(other)}", page.url)

    assert violations == []
