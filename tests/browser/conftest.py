import os
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
