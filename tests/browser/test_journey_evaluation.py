"""Mass evaluation: a member of the public scans a slip's QR code on a phone and answers; staff watch
the results come in live; the printed sheet holds Chinese text and QR codes that lead to the form."""

import re
import subprocess
from datetime import timedelta

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from evaluations.models import Response, SlipBatch
from evaluations.services import round_create, slip_batch_request
from evaluations.services.slips import slip_pdf_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone: {page.url}"


def _slip_urls(pdf, tmp_path) -> list[str]:
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "sheet")], check=True)
    urls = []
    for png in sorted(tmp_path.glob("sheet-*.png")):
        urls += [r.text for r in zxingcpp.read_barcodes(Image.open(png))]
    return urls


def test_the_public_answers_from_a_slip_and_staff_watch_the_results(
    world, settings, tmp_path, live_server, page, phone_page, browser_login, shot
):
    settings.EVALUATION_SLIPS_ROOT = tmp_path / "slips"
    now = timezone.now()
    round_ = round_create(
        owner=world.jy,
        title="州教育局党委“五个好”群众评议",
        campaign=None,
        targets=[world.branch_a, world.branch_b],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=10),
        allow_open_link=True,
        by=world.users.staff_jy,
    )
    slip_batch_request(round=round_, target_org=None, count=4, site_url=live_server.url, by=world.users.staff_jy)
    batch = SlipBatch.objects.get()
    pdf = slip_pdf_path(batch)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts
    urls = _slip_urls(pdf, tmp_path)
    assert len(urls) == 4
    assert all(re.fullmatch(rf"{re.escape(live_server.url)}/evaluations/answer/[2-9A-Z]{{8}}/", u) for u in urls)

    # A member of the public scans the first slip: the questionnaire, on a phone, nothing else.
    phone = phone_page
    phone.goto(urls[0])
    expect(phone.locator("h1")).to_have_text("州教育局党委“五个好”群众评议")
    expect(phone.locator(".navbar-nav")).to_have_count(0)
    _fits_the_phone(phone)
    shot("evaluation-1-questionnaire-phone", target=phone)
    phone.get_by_role("button", name="提交评议").click()
    expect(phone.locator(".invalid-feedback").first).to_be_visible()  # nothing chosen yet
    phone.select_option("select[name=target_org]", label="第一中学党支部")
    for choice in phone.locator("fieldset").all():
        choice.get_by_label("满意", exact=True).check()
    phone.fill("textarea[name=comment]", "学校党支部联系家长很及时。")
    _fits_the_phone(phone)
    phone.get_by_role("button", name="提交评议").click()
    expect(phone.locator("h1")).to_have_text("感谢您的评议")
    shot("evaluation-2-thanks-phone", target=phone)
    assert Response.objects.get().target_org == world.branch_a

    # The same slip again: a clear refusal.
    phone.goto(urls[0])
    expect(phone.locator("h1")).to_have_text("评议码已使用")

    # Staff watch the results: the chart and the numbers; a second answer arrives while they look.
    browser_login("staff_jy")
    page.goto(f"{live_server.url}/evaluations/{round_.pk}/results/")
    expect(page.get_by_test_id("response-count")).to_have_text("1")
    expect(page.get_by_test_id("overall-rate")).to_have_text("100.0%")
    expect(page.locator("#chart-questions svg")).to_have_count(1)
    expect(page.locator("#chart-orgs svg")).to_have_count(1)
    page.locator("#chart-orgs svg").hover()
    phone.goto(urls[1])
    phone.select_option("select[name=target_org]", label="第二中学党支部")
    for choice in phone.locator("fieldset").all():
        choice.get_by_label("不满意", exact=True).check()
    phone.get_by_role("button", name="提交评议").click()
    expect(phone.locator("h1")).to_have_text("感谢您的评议")
    expect(page.get_by_test_id("response-count")).to_have_text("2", timeout=12000)  # the live refresh
    expect(page.get_by_test_id("overall-rate")).to_have_text("50.0%")
    expect(page.locator("#chart-questions svg")).to_have_count(1)  # redrawn after the swap
    page.get_by_role("button", name="表格").first.click()
    expect(page.get_by_test_id("table-questions")).to_be_visible()
    expect(page.get_by_test_id("comments")).to_contain_text("学校党支部联系家长很及时。")
    shot("evaluation-3-results")

    # 第二中学党支部 is below 80% now: staff list it on its rectification ledger, after a confirmation.
    page.get_by_test_id("rectify").click()
    expect(page.locator("textarea[name=problem]")).to_contain_text("第二中学党支部满意率 0.0%")
    shot("evaluation-4-rectify-confirm")
    page.get_by_role("button", name="列入整改台账").click()
    expect(page.locator("body")).to_contain_text("已列入第二中学党支部的整改台账。")
    page.goto(f"{live_server.url}/evaluations/{round_.pk}/results/")
    expect(page.get_by_test_id("rectify-listed")).to_have_text("已列入整改台账")
    shot("evaluation-5-results-listed")
