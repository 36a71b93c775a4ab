"""A secretary gives a member a login; the member logs in with the slip and must choose a password."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Hongqi-2025-piao"


def test_issued_login_forces_a_password_change_at_first_login(world, page, live_server, browser_login, shot):
    member = world.members_a[1]  # 刘建国, no login yet
    browser_login("secretary_a")

    # The secretary issues the login from the member page, after a confirmation page.
    page.goto(f"{live_server.url}/members/{member.pk}/")
    page.get_by_role("link", name="开通登录账号").click()
    page.wait_for_url(f"{live_server.url}/members/{member.pk}/login/")
    expect(page.locator("main h1")).to_contain_text("刘建国")
    expect(page.locator("main")).to_contain_text(member.phone)  # the username will be the phone number
    page.get_by_role("button", name="开通登录账号").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main h1")).to_contain_text("初始密码")
    expect(page.locator(".xf-slip-name")).to_contain_text("刘建国")
    username = page.get_by_test_id("username").inner_text().strip()
    password = page.get_by_test_id("password").inner_text().strip()
    assert username == member.phone
    assert len(password) >= 8
    shot("first-login-1-slip")

    member.refresh_from_db()
    user = member.user
    assert user is not None and user.username == username and user.must_change_password

    # Back on the member page: the login is there, the password is not.
    page.get_by_role("link", name="完成").click()
    page.wait_for_url(f"{live_server.url}/members/{member.pk}/")
    expect(page.locator("main")).to_contain_text(username)
    expect(page.locator("main")).to_contain_text("尚未修改初始密码")
    expect(page.locator("body")).not_to_contain_text(password)

    # Log out through the user menu.
    page.locator("#xf-user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_username")).to_be_visible()

    # The member logs in with the slip and is held on the change-password page.
    browser_login(username, password)
    page.wait_for_url(f"{live_server.url}/accounts/password/")
    expect(page.locator(".alert-warning")).to_contain_text("您正在使用初始密码")
    shot("first-login-2-forced-change")
    page.goto(f"{live_server.url}/members/me/")
    page.wait_for_url(f"{live_server.url}/accounts/password/")

    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.get_by_role("button", name="保存密码").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".alert-success")).to_contain_text("密码已修改。")
    expect(page.locator("main h1")).to_contain_text("刘建国")
    page.locator("#xf-nav").get_by_role("link", name="我的档案").click()
    page.wait_for_url(f"{live_server.url}/members/me/")
    expect(page.locator("main h1")).to_contain_text("刘建国")
    expect(page.get_by_test_id("id-number")).to_have_text(member.masked_id_number)
    shot("first-login-3-own-record")

    user = get_user_model().objects.get(pk=user.pk)
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(password)
