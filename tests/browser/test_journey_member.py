"""A party member with a login: their own record, masked; nobody else's; no managing pages."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_FOUND = "页面不存在"


def _expect_not_found(page, url, *, hidden=()):
    response = page.goto(url)
    assert response.status == 404, f"{url} gave {response.status}"
    expect(page.locator("main h1")).to_have_text(NOT_FOUND)
    expect(page.locator("main")).to_contain_text("该页面不存在，或不在您的账号可查看的范围内。")
    body = page.locator("body")
    for text in hidden:
        expect(body).not_to_contain_text(text)


def test_member_sees_only_their_own_masked_record(world, page, live_server, browser_login, shot):
    me = world.members_a[0]  # 张党员
    others = [world.members_a[1], world.members_b[0]]
    browser_login("member_a")

    # Home: their record, and a menu without roster, import or organizations.
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main h1")).to_contain_text("张党员")
    nav = page.locator("#xf-nav .navbar-nav.me-auto > .nav-item > .nav-link")
    expect(nav.first).to_have_text("首页")
    expect(nav.last).to_have_text("我的档案")
    expect(page.locator("#xf-nav")).not_to_contain_text("组织党员")
    for href in ("/members/", "/imports/", "/orgs/"):
        expect(page.locator(f'#xf-nav a[href="{href}"]')).to_have_count(0)
    shot("member-1-home")

    # Their page: name, branch, the ID number masked.
    page.locator("#xf-nav").get_by_role("link", name="我的档案").click()
    page.wait_for_url(f"{live_server.url}/members/me/")
    expect(page.locator("main h1")).to_contain_text("张党员")
    expect(page.locator("main")).to_contain_text("第一中学党支部")
    masked = me.id_number[:4] + "*" * 10 + me.id_number[-4:]
    expect(page.get_by_test_id("id-number")).to_have_text(masked)
    assert re.fullmatch(r"1101\*{10}\d{3}[\dX]", masked)
    expect(page.locator("body")).not_to_contain_text(me.id_number)
    expect(page.locator("body")).not_to_contain_text(me.id_number[6:14])  # nor the birth date in it
    # Nothing to manage: no edit, photo, login or roster links.
    for label in ("编辑", "上传照片", "开通登录账号", "花名册"):
        expect(page.get_by_role("link", name=label)).to_have_count(0)
    expect(page.locator(".breadcrumb")).to_have_count(0)
    shot("member-2-own-record")

    # Anyone else's page, the roster's pages, the import page: not found.
    for other in others:
        _expect_not_found(page, f"{live_server.url}/members/{other.pk}/", hidden=[other.name, other.id_number])
        _expect_not_found(page, f"{live_server.url}/members/{other.pk}/edit/", hidden=[other.name])
    shot("member-3-other-member-not-found")
    _expect_not_found(page, f"{live_server.url}/members/{me.pk}/edit/")
    _expect_not_found(page, f"{live_server.url}/imports/")
    _expect_not_found(page, f"{live_server.url}/members/new/")

    # The roster list gives a member their own record only.
    page.goto(f"{live_server.url}/members/?q=刘")
    page.wait_for_url(f"{live_server.url}/members/me/")
    expect(page.locator("main h1")).to_contain_text("张党员")
    body = page.locator("body")
    for other in [*world.members_a[1:], *world.members_b, world.leader_member]:
        expect(body).not_to_contain_text(other.name)
    expect(page.locator("#roster-rows")).to_have_count(0)
    shot("member-4-list-gives-own-record")
