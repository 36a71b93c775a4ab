import os
import re
from pathlib import Path

import pytest

SCREENSHOTS = Path(os.environ.get("XIANFENG_SCREENSHOTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


@pytest.fixture
def shot(page):
    """shot("name") saves a full-page screenshot to test-artifacts/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(name: str, target=None):
        path = SCREENSHOTS / f"{name}.png"
        (target or page).screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def browser_login(page, live_server):
    """Log in through the real login form, as a person would."""

    def _login(username: str, password: str = "pass-1234-word", target=None):
        p = target or page
        p.goto(f"{live_server.url}/accounts/login/")
        p.fill("#id_username", username)
        p.fill("#id_password", password)
        p.click("button[type=submit]")
        p.wait_for_load_state("networkidle")
        return p

    return _login


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    yield context.new_page()
    context.close()


def follow_nav(page, name: str) -> None:
    """Follow a header menu item as a person would: open the collapsed menu on a phone, then the
    item's group when the header groups it, then the item itself."""
    toggler = page.locator("button.navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
    label = re.compile(rf"^\s*{re.escape(name)}\s*$")
    link = page.locator("#xf-nav a:not(.dropdown-toggle)").filter(has_text=label)
    if not link.first.is_visible():
        # The inner locator of has= is relative to each .dropdown, so it must not start at #xf-nav.
        item = page.locator("a.dropdown-item").filter(has_text=label)
        page.locator("#xf-nav .dropdown").filter(has=item).locator(".dropdown-toggle").click()
    link.first.click()
