"""A pledge's whole life in the browser: written, returned, fixed, approved, published, kept with a
photo, shown on the public page and printed as a poster with a Chinese font embedded."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from campaigns.models import Campaign, Carrier
from pledges.models import Pledge, Status

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    c = Campaign.objects.create(
        org=world.jy,
        name="教育系统创先争优活动",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=200),
    )
    Carrier.objects.create(campaign=c, name="一旗一岗一承诺")
    return c


def _photo(tmp_path):
    image = Image.new("RGB", (800, 600), (230, 236, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 800, 120), fill=(184, 20, 27))
    draw.ellipse((300, 220, 500, 420), fill=(250, 214, 180))
    target = tmp_path / "IMG_0001.jpg"
    image.save(target, "JPEG")
    return target


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_a_pledge_from_writing_to_the_public_board(
    world, campaign, browser, live_server, browser_login, shot, tmp_path
):
    base = live_server.url
    due = (timezone.localdate() + timedelta(days=90)).isoformat()
    member_ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    member = member_ctx.new_page()
    member.on("dialog", lambda d: d.accept())
    browser_login("member_a", target=member)

    # The member writes a pledge on a phone and submits it.
    member.goto(f"{base}/pledges/mine/")
    member.get_by_role("link", name="填写我的承诺").click()
    member.select_option("#id_category", label="认真履职、服务群众")
    member.fill("#id_needs_notes", "走访教工宿舍楼12户，老人希望有人帮忙代缴水电费")
    member.fill("#id_items-0-content", "为宿舍楼老人代缴水电费")
    member.fill("#id_items-0-target", "每月一次")
    member.fill("#id_items-0-due_on", due)
    member.check("#id_show_phone")
    member.fill("#id_service_phone", "13912345678")
    _fits(member, 390)
    shot("pledge-1-write-phone", target=member)
    member.get_by_role("button", name="保存").click()
    expect(member.locator(".alert-success")).to_contain_text("承诺已保存")
    member.get_by_role("button", name="提交审核").click()
    expect(member.locator(".alert-success")).to_contain_text("承诺已提交审核")
    pledge = Pledge.objects.get()
    assert pledge.status == Status.SUBMITTED

    # The secretary finds it waiting and returns it with a reason.
    secretary_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    secretary = secretary_ctx.new_page()
    secretary.on("dialog", lambda d: d.accept())
    browser_login("secretary_a", target=secretary)
    expect(secretary.locator(".xf-bell-count")).to_have_text("1")
    secretary.goto(f"{base}/pledges/queue/")
    secretary.locator("#queue-approve").get_by_role("link", name="张党员").click()
    secretary.fill("#id_reason_return", "目标请写具体：全年12次")
    secretary.locator("form", has=secretary.locator("#id_reason_return")).get_by_role("button").click()
    expect(secretary.locator(".alert-success")).to_contain_text("承诺已退回")
    shot("pledge-2-returned", target=secretary)

    # The member sees why, revises and submits again.
    member.goto(f"{base}/pledges/{pledge.pk}/")
    expect(member.locator(".alert-warning")).to_contain_text("目标请写具体：全年12次")
    expect(member.locator(".xf-bell-count")).to_have_text("1")
    member.get_by_role("link", name="修改").click()
    member.fill("#id_items-0-target", "每月一次，全年12次")
    member.get_by_role("button", name="保存").click()
    member.get_by_role("button", name="提交审核").click()
    expect(member.locator(".xf-pstatus").first).to_have_text("待审核")

    # The secretary approves and publishes, then makes the public link.
    secretary.goto(f"{base}/pledges/{pledge.pk}/")
    secretary.get_by_role("button", name="审核通过").click()
    expect(secretary.locator(".alert-success")).to_contain_text("承诺已审核通过")
    secretary.get_by_role("button", name="公开公示").click()
    expect(secretary.locator(".alert-success")).to_contain_text("承诺已在公示栏公示")
    steps = secretary.locator(".xf-psteps")
    for text in ("填写承诺", "提交审核", "退回修改", "审核通过", "公开公示", "李书记", "目标请写具体"):
        expect(steps).to_contain_text(text)
    secretary.goto(f"{base}/pledges/board/org/{world.branch_a.pk}/")
    secretary.get_by_role("button", name="生成公开链接").click()
    public_url = secretary.get_by_test_id("public-link").inner_text()
    assert re.search(r"/pledges/board/[A-Za-z0-9_-]{32,}/$", public_url)
    shot("pledge-3-board", target=secretary)

    # The member records progress with a photo.
    member.goto(f"{base}/pledges/{pledge.pk}/")
    member.get_by_role("link", name="记录践诺进展").click()
    member.select_option("#id_item", label="为宿舍楼老人代缴水电费")
    member.fill("#id_percent", "100")
    member.fill("#id_text", "为12户老人代缴了本月水电费")
    member.set_input_files("#id_photos", str(_photo(tmp_path)))
    member.get_by_role("button", name="保存").click()
    expect(member.locator(".alert-success")).to_contain_text("践诺进展已记录")
    evidence = member.locator("img.xf-evidence")
    expect(evidence).to_be_visible()
    member.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=evidence.element_handle())
    _fits(member, 390)
    shot("pledge-4-progress-phone", target=member)

    # Anyone with the link sees the published pledge, nothing more.
    public_ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    public = public_ctx.new_page()
    public.goto(public_url)
    board = public.locator(".xf-board")
    expect(board).to_contain_text("张党员")
    expect(board).to_contain_text("为宿舍楼老人代缴水电费")
    expect(board).to_contain_text("13912345678")
    expect(board).to_contain_text("100%")
    expect(public.locator("body")).not_to_contain_text("走访教工宿舍楼")
    expect(public.locator("body")).not_to_contain_text(world.members_a[0].id_number)
    _fits(public, 390)
    shot("pledge-5-public-phone", target=public)

    # The poster: A3, Chinese in an embedded CJK font, and it looks right as a picture.
    response = secretary.request.get(f"{base}/pledges/board/org/{world.branch_a.pk}/poster.pdf?size=A3")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = SCREENSHOTS / "pledge-6-poster-A3.pdf"
    pdf.write_bytes(response.body())
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Noto-S(ans|erif)-CJK-SC\S*\s.*\byes\b", fonts), fonts
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "张党员" in text and "为宿舍楼老人代缴水电费" in text and "13912345678" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SCREENSHOTS / "pledge-6-poster")]
    )
    with Image.open(SCREENSHOTS / "pledge-6-poster-1.png") as picture:
        assert abs(picture.width / picture.height - 297 / 420) < 0.01  # A3 portrait
        # The red header band is drawn inside the page margins (12 mm of 420 mm is under 3%).
        w, h = picture.size
        band = picture.crop((int(w * 0.1), int(h * 0.035), int(w * 0.6), int(h * 0.06))).convert("RGB")
        colours = band.getcolors(maxcolors=band.width * band.height)
        reds = sum(n for n, (r, g, b) in colours if r > 150 and g < 80 and b < 80)
        assert reds > band.width * band.height * 0.5

    for ctx in (member_ctx, secretary_ctx, public_ctx):
        ctx.close()


def test_the_pledge_list_pages_by_key_and_the_queue_shows_capped_counts(
    world, campaign, page, browser_login, live_server, shot, monkeypatch
):
    from pledges.models import Category, PledgeItem
    from pledges.views import pledges as pledge_views
    from portal import paging
    from tests.factories import MemberFactory

    monkeypatch.setattr(paging, "COUNT_CAP", 40)
    monkeypatch.setattr(pledge_views, "PAGE_SIZE", 20)
    monkeypatch.setattr(pledge_views, "QUEUE_LIMIT", 5)
    monkeypatch.setattr(pledge_views, "QUEUE_COUNT_CAP", 12)
    today = timezone.localdate()
    states = (Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED, Status.PUBLISHED)
    for k in range(60):
        member = MemberFactory(org=world.branch_a if k % 3 else world.branch_b, name=f"党员{k:02d}")
        pledge = Pledge.objects.create(
            campaign=campaign,
            owner_member=member,
            org=member.org,
            category=Category.DUTY,
            status=states[k % 4],
            submitted_at=timezone.now() - timedelta(days=k),
        )
        PledgeItem.objects.create(
            pledge=pledge, content=f"结对帮扶困难群众{k}户", target="每月走访一次", due_on=today - timedelta(days=k + 1)
        )
    browser_login("staff_jy")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/pledges/")
    rows = page.locator("#pledge-rows tbody tr")
    expect(rows).to_have_count(20)
    expect(page.locator("#pledge-pages")).to_contain_text("符合条件的承诺超过 40 项")
    shot("pledge-list-1-first-page")
    page.get_by_role("link", name="下一页").click()
    expect(rows).to_have_count(20)
    page.get_by_role("link", name="下一页").click()
    expect(rows).to_have_count(20)
    expect(page.locator("#pledge-pages .page-item.disabled")).to_contain_text("下一页")
    # A filter starts again at the first page; its pages keep it.
    page.select_option("#id_status", "published")
    expect(page).to_have_url(re.compile(r"status=published"))
    expect(rows).to_have_count(20)
    expect(page.locator("#pledge-pages")).to_contain_text("共 30 条")
    page.get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"status=published.*after=|after=.*status=published"))
    expect(rows).to_have_count(10)
    expect(page.locator("#pledge-rows .xf-pstatus")).to_have_text(["已公示"] * 10)
    shot("pledge-list-2-filtered-second-page")
    page.get_by_role("link", name="上一页").click()
    expect(rows).to_have_count(20)
    expect(page.locator("#id_status")).to_have_value("published")

    page.goto(f"{live_server.url}/pledges/queue/")
    expect(page.locator("#queue-approve tbody tr")).to_have_count(5)
    expect(page.locator("#queue-overdue .badge.text-bg-danger")).to_have_text("12+")
    expect(page.locator("#queue-approve .badge.text-bg-warning")).to_have_text("12+")
    expect(page.locator("#queue-approve")).to_contain_text("在承诺列表中查看全部")
    shot("pledge-queue")
    _fits(page, 1280)
