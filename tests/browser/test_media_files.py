"""Pictures load in a real browser through signed /files/ URLs only: a member's page with a photo,
a pledge with an evidence photo, and the public board; the site's own URL conf, no /media/ route."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from campaigns.models import Campaign
from members.services import member_set_photo
from pledges.models import BoardLink, Category, EvidencePhoto, Pledge, PledgeItem, ProgressUpdate, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOADED = "img => img.complete && img.naturalWidth > 0"


def _jpeg(size, colour) -> bytes:
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).ellipse(
        (size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill=(250, 214, 180)
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def pictures(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    member = world.members_a[1]
    upload = SimpleUploadedFile("portrait.jpg", _jpeg((300, 400), (184, 20, 27)), content_type="image/jpeg")
    member_set_photo(member=member, upload=upload, by=world.users.secretary_a)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        org=world.jy, name="创先争优活动", starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=90)
    )
    pledge = Pledge.objects.create(
        campaign=campaign,
        owner_member=world.members_a[0],
        org=world.branch_a,
        category=Category.DUTY,
        status=Status.PUBLISHED,
        show_phone=True,
        service_phone="13912345678",
    )
    item = PledgeItem.objects.create(pledge=pledge, content="为宿舍楼老人代缴水电费", target="每月一次", due_on=today)
    update = ProgressUpdate.objects.create(pledge=pledge, item=item, on=today, text="代缴了本月水电费", percent=50)
    photo = EvidencePhoto(update=update)
    photo.image.save("IMG_0001.jpg", ContentFile(_jpeg((800, 600), (230, 236, 240))), save=False)
    photo.thumbnail.save("IMG_0001-thumb.jpg", ContentFile(_jpeg((240, 180), (230, 236, 240))), save=False)
    photo.save()
    link = BoardLink.objects.create(org=world.branch_a, campaign=campaign)
    member.refresh_from_db()
    return member, pledge, link


def _all_pictures_load(page):
    images = page.locator("main img")
    assert images.count() > 0
    for n in range(images.count()):
        image = images.nth(n)
        src = image.get_attribute("src")
        if src.startswith("/static/"):
            continue
        assert src.startswith("/files/"), src
        page.wait_for_function(LOADED, arg=image.element_handle())


def test_pictures_load_through_signed_urls(pictures, page, live_server, browser_login, shot):
    member, pledge, link = pictures
    base = live_server.url
    browser_login("secretary_a")

    page.goto(f"{base}/members/{member.pk}/")
    photo = page.locator("img.xf-photo")
    expect(photo).to_be_visible()
    _all_pictures_load(page)
    assert photo.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [300, 400]
    shot("media-1-member-photo")
    photo_src = photo.get_attribute("src")
    # (Django's live test server itself serves MEDIA_URL, so the plain path's 404 is tested with the
    # test client in tests/test_media_access.py.)

    page.goto(f"{base}/pledges/{pledge.pk}/")
    expect(page.locator("img.xf-evidence")).to_be_visible()
    _all_pictures_load(page)
    full = page.locator("img.xf-evidence").locator("xpath=..").get_attribute("href")
    assert full.startswith("/files/") and page.request.get(base + full).status == 200
    shot("media-2-pledge-evidence")

    # The public board, as anyone with the link sees it: the phone the owner chose to show.
    visitor = page.context.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    visitor.goto(f"{base}/pledges/board/{link.token}/")
    expect(visitor.locator(".xf-board-card")).to_contain_text("13912345678")
    shot("media-3-public-board", target=visitor)
    # A signed URL works without a login; the page of the member does not.
    assert visitor.request.get(base + photo_src).status == 200
    assert visitor.request.get(f"{base}/members/{member.pk}/", max_redirects=0).status == 302
    visitor.context.close()
