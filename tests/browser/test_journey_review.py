"""A leader reviews a branch and lists a shortcoming for rectification; the branch reports it fixed
with a photo on a phone and asks for the strike-off; the leader strikes it off."""

from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from reviews.models import RectificationItem, Review, Stage, Status
from tests.browser.conftest import follow_nav
from tests.reviews.conftest import make_campaign, make_heads

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo(tmp_path):
    image = Image.new("RGB", (800, 600), (230, 236, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 700, 500), outline=(184, 20, 27), width=12)  # the rules board on the wall
    target = tmp_path / "制度牌.jpg"
    image.save(target, "JPEG")
    return target


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def heads(world):
    return make_heads(world)


@pytest.fixture
def campaign(world):
    return make_campaign(world)


def test_review_rectify_report_and_strike_off(
    world, heads, campaign, browser, live_server, browser_login, shot, tmp_path
):
    base = live_server.url
    today = timezone.localdate()
    leader_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    leader = leader_ctx.new_page()
    leader.on("dialog", lambda d: d.accept())
    browser_login("head_jy", target=leader)

    # The committee's head plans a review of branch A (the org and its head) in the campaign.
    follow_nav(leader, "点评整改")
    leader.get_by_role("link", name="安排点评").click()
    leader.select_option("#id_target_org", label="第一中学党支部")
    expect(leader.locator("#id_campaign")).to_have_value(str(campaign.pk))
    leader.select_option("#id_method", label="现场点评")
    leader.fill("#id_held_on", today.isoformat())
    leader.fill("#id_place", "第一中学党员活动室")
    leader.get_by_role("button", name="保存").click()
    expect(leader.locator(".alert-success")).to_contain_text("点评已安排")
    expect(leader.locator("h1")).to_contain_text("第一中学党支部（刘建国）")
    review = Review.objects.get()

    # It is held: the duty report, the record and the three parts of the review.
    leader.get_by_role("link", name="记录点评").click()
    leader.fill("#id_duty_report", "刘建国报告了支部落实“三学三比三争”和党员承诺的情况。")
    leader.fill("#id_achievements", "党员承诺全部公示，践诺进展记录及时。")
    leader.fill("#id_shortcomings", "党员活动室制度牌未按要求上墙\n党小组会记录不全")
    leader.fill("#id_direction", "下阶段抓好台账规范化。")
    leader.fill("#id_record", "黄书记现场点评，支部委员参加。")
    leader.fill("#id_recorder", "教育局党办干事")
    leader.get_by_role("button", name="保存点评记录").click()
    expect(leader.locator(".alert-success")).to_contain_text("点评情况已记录")
    expect(leader.locator("h1 .badge")).to_have_text("已点评")

    # One step from a shortcoming to the rectification ledger.
    first = leader.get_by_test_id("shortcomings").locator("li").first
    expect(first).to_contain_text("党员活动室制度牌未按要求上墙")
    first.locator("input[type=date]").fill((today + timedelta(days=14)).isoformat())
    first.get_by_role("button", name="列入整改").click()
    expect(leader.locator(".alert-success")).to_contain_text("已列入整改台账：党员活动室制度牌未按要求上墙")
    expect(leader.get_by_test_id("shortcomings").locator("li").first).to_contain_text("已列入整改台账 · 挂牌")
    item = RectificationItem.objects.get()
    assert (item.org, item.owner_member, item.review) == (world.branch_a, heads.head_a, review)
    shot("review-1-held-and-listed", target=leader)

    # The branch (its secretary, on a phone) hears about it, reports it fixed with a photo, asks to strike off.
    branch_ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    branch = branch_ctx.new_page()
    branch.on("dialog", lambda d: d.accept())
    browser_login("secretary_a", target=branch)
    expect(branch.locator(".xf-bell-count")).to_have_text("1")
    branch.goto(f"{base}/reviews/rectification/")
    branch.get_by_test_id("item-rows").get_by_role("link", name="党员活动室制度牌未按要求上墙").click()
    expect(branch.get_by_test_id("item-status")).to_contain_text("挂牌")
    branch.fill("#id_text", "制度牌已制作并上墙，照片见附件。")
    branch.set_input_files("#id_files", str(_photo(tmp_path)))
    _fits(branch, 390)
    branch.get_by_role("button", name="保存整改进展").click()
    expect(branch.locator(".alert-success")).to_contain_text("整改进展已记录")
    expect(branch.get_by_test_id("item-status")).to_contain_text("整改中")
    photo = branch.get_by_test_id("evidence").locator("img")
    expect(photo).to_have_attribute("alt", "制度牌.jpg")
    # The thumbnail, through the access rule; waited for, since the page can settle before the image does.
    loaded = "img => img.complete ? img.naturalWidth : new Promise(done => img.onload = () => done(img.naturalWidth))"
    assert photo.evaluate(loaded) == 240
    branch.get_by_role("button", name="申请销号").click()
    expect(branch.locator(".alert-success")).to_contain_text("已申请销号")
    expect(branch.get_by_test_id("item-status")).to_contain_text("申请销号")
    expect(branch.get_by_role("button", name="确认销号")).to_have_count(0)  # the branch cannot strike it off
    _fits(branch, 390)
    shot("review-2-branch-requests-phone", target=branch)

    # The leader is told, opens it from the notification, and strikes it off.
    leader.goto(f"{base}/notifications/")
    leader.get_by_text("第一中学党支部申请销号").click()
    expect(leader.get_by_test_id("evidence")).to_contain_text("制度牌已制作并上墙")
    leader.get_by_role("button", name="确认销号").click()
    expect(leader.locator(".alert-success")).to_contain_text("已销号")
    expect(leader.get_by_test_id("item-status")).to_contain_text("已销号")
    item.refresh_from_db()
    assert item.status == Status.STRUCK_OFF and item.confirmed_by.username == "head_jy"
    shot("review-3-struck-off", target=leader)

    # The ledger counts it: one of one struck off in the rate, and the branch is covered.
    leader.goto(f"{base}/reviews/")
    expect(leader.get_by_test_id("review-rows")).to_contain_text("第一中学党支部（刘建国）")
    leader.get_by_role("link", name="第一中学党支部（刘建国）").click()
    leader.locator("#id_announcement").fill("在教育局党建工作推进会上通报。")
    leader.get_by_role("button", name="通报点评意见").click()
    expect(leader.locator(".alert-success")).to_contain_text("点评意见已通报")
    review.refresh_from_db()
    assert review.stage == Stage.ANNOUNCED
    leader_ctx.close()
    branch_ctx.close()
