import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wrong_password_is_refused_in_chinese_and_right_one_lands_on_home(world, page, live_server, shot):
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "staff_jy")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text(".alert-danger")
    shot("login-error")
    page.fill("#id_password", "pass-1234-word")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "州教育局党委" in page.inner_text("main")
    shot("home-staff-jy")
