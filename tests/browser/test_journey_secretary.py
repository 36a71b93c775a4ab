"""A branch secretary on a phone: roster, a member's page, an edit, a form error, a photo."""

import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from members.models import Member
from tests.browser.conftest import follow_nav
from tests.factories import make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


EXIF_ORIENTATION = 0x0112


def _sideways_jpeg(path):
    """A 400×300 picture as a phone stores a portrait: pixels on their side, EXIF orientation 6."""
    image = Image.new("RGB", (400, 300), (200, 30, 30))
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 80, 290, 220), fill=(250, 220, 190))  # a face, looking right
    draw.rectangle((300, 0, 400, 300), fill=(40, 40, 120))  # the shoulders, on the right
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    image.save(path, "JPEG", exif=exif.tobytes(), quality=90)
    return path


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone: {page.url}"


def test_secretary_edits_a_member_and_adds_a_photo_on_a_phone(
    world, phone_page, live_server, browser_login, shot, tmp_path
):
    page = browser_login("secretary_a", target=phone_page)
    member = world.members_a[1]  # 刘建国
    old_phone = member.phone

    # The roster, through the collapsed menu.
    follow_nav(page, "党员")
    page.wait_for_url(f"{live_server.url}/members/")
    rows = page.locator("#roster-rows tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#roster-rows")).to_contain_text("共 3 人")
    for other in world.members_b:
        expect(page.locator("#roster-rows")).not_to_contain_text(other.name)
    _fits_the_phone(page)
    shot("secretary-1-roster-phone", target=page)

    # A member's page.
    rows.get_by_role("link", name="刘建国").click()
    page.wait_for_url(f"{live_server.url}/members/{member.pk}/")
    expect(page.locator("h1")).to_contain_text("刘建国")
    expect(page.get_by_test_id("id-number")).to_have_text(member.id_number)  # the secretary sees it all
    _fits_the_phone(page)

    # Edit: phone and work unit.
    page.get_by_role("link", name="编辑").click()
    page.wait_for_url(f"{live_server.url}/members/{member.pk}/edit/")
    expect(page.locator("[data-org-name]")).to_have_text("第一中学党支部")
    page.fill("#id_phone", "138 0013 8000")
    page.fill("#id_work_unit", "第一中学语文教研组组长")
    _fits_the_phone(page)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/members/{member.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("修改已保存。")
    fields = page.locator("dl.xf-fields")
    expect(fields).to_contain_text("13800138000")
    expect(fields).to_contain_text("第一中学语文教研组组长")
    history = page.locator(".xf-history")
    # Phone numbers are kept masked in history (personal information): old and new, masked.
    masked_old = f"{old_phone[:3]}****{old_phone[-4:]}"
    expect(history.locator("li", has_text="联系电话").first).to_contain_text(f"{masked_old} → 138****8000")
    expect(history.locator("li li", has_text="工作单位及职务")).to_have_text("工作单位及职务：第一中学语文教研组组长")
    expect(history).to_contain_text("李书记")
    member.refresh_from_db()
    assert (member.phone, member.work_unit) == ("13800138000", "第一中学语文教研组组长")
    shot("secretary-2-after-edit-phone", target=page)

    # A mistyped ID number: the message in Chinese, and what was typed is still there.
    right = make_id_number()
    wrong = right[:-1] + ("1" if right[-1] != "1" else "2")
    page.get_by_role("link", name="编辑").click()
    page.fill("#id_id_number", wrong)
    page.fill("#id_work_unit", "第一中学副校长")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".alert-danger")).to_contain_text("请修改标出的内容。")
    expect(page.locator("#id_id_number + .invalid-feedback, #id_id_number ~ .invalid-feedback")).to_have_text(
        f"身份证号码校验位不正确（最后一位应为{right[-1]}）。"
    )
    expect(page.locator("#id_id_number")).to_have_value(wrong)
    expect(page.locator("#id_work_unit")).to_have_value("第一中学副校长")
    expect(page.locator("#id_phone")).to_have_value("13800138000")
    _fits_the_phone(page)
    shot("secretary-3-form-error-phone", target=page)
    member.refresh_from_db()
    assert member.work_unit == "第一中学语文教研组组长"
    assert member.id_number != wrong
    page.get_by_role("link", name="取消").click()
    page.wait_for_url(f"{live_server.url}/members/{member.pk}/")

    # A photo taken sideways: stored upright, shown on the page, noted in the history.
    page.get_by_role("link", name="上传照片").click()
    page.wait_for_url(f"{live_server.url}/members/{member.pk}/photo/")
    page.set_input_files("#id_photo", str(_sideways_jpeg(tmp_path / "IMG_20250601_093012.jpg")))
    page.get_by_role("button", name="上传").click()
    page.wait_for_url(f"{live_server.url}/members/{member.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("照片已保存。")
    photo = page.locator("img.xf-photo")
    expect(photo).to_be_visible()
    expect(photo).to_have_attribute("alt", re.compile(r"^刘建国\s*的照片$"))
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    width, height = photo.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert (width, height) == (300, 400), "the photo should be turned upright"
    expect(history.locator("li").first).to_contain_text("上传照片")
    expect(page.get_by_role("link", name="更换照片")).to_be_visible()
    _fits_the_phone(page)
    shot("secretary-4-photo-phone", target=page)

    member.refresh_from_db()
    assert member.photo and member.photo_thumbnail
    with Image.open(member.photo.path) as stored:
        assert stored.size == (300, 400)
        assert EXIF_ORIENTATION not in stored.getexif()
    assert re.match(r"members/photos/", member.photo.name)
    assert Member.objects.get(pk=world.members_a[2].pk).photo == ""
