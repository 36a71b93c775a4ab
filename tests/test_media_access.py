"""Uploads reach browsers only through signed, expiring /files/ URLs (portal/media.py) handed out by
pages that passed the access rule; a guessed, tampered, expired or plain /media/ path opens nothing."""

import io
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from members.services import member_set_photo
from portal import media


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ACCEL = ""


def jpeg(colour=(180, 20, 20), size=(300, 400)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return SimpleUploadedFile("portrait.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def photographed(world):
    """A member of branch A with a photo and its thumbnail stored."""
    member = world.members_a[1]
    member_set_photo(member=member, upload=jpeg(), by=world.users.secretary_a)
    member.refresh_from_db()
    assert member.photo and member.photo_thumbnail
    return member


def image_sources(html: str) -> list[str]:
    return re.findall(r'<img[^>]+src="([^"]+)"', html)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_signed_url_serves_the_file(photographed, client):
    url = media.file_url(photographed.photo)
    assert url.startswith("/files/") and photographed.photo.name not in url
    response = client.get(url)  # no login: the signature is the permission
    assert response.status_code == 200
    assert body(response) == photographed.photo.read()
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private, max-age=")
    assert 3600 <= int(response["Cache-Control"].rsplit("=", 1)[1]) <= 7200
    assert "sandbox" in response["Content-Security-Policy"] and response["X-Content-Type-Options"] == "nosniff"


def test_urls_are_stable_within_the_hour_and_expire(photographed, client):
    name = photographed.photo.name
    start = (int(time.time()) // 3600) * 3600
    assert media.sign(name, now=start + 5) == media.sign(name, now=start + 3500)  # the browser cache works
    assert media.sign(name, now=start + 5) != media.sign(name, now=start + 3605)
    expired = media.sign(name, now=time.time() - 2 * 3600 - 1)
    assert client.get(reverse("media_file", args=[expired])).status_code == 404
    # Still good a little over an hour after it was handed out.
    assert media.unsign(media.sign(name), now=time.time() + 3599)[0] == name


def test_tampered_guessed_and_plain_media_paths_give_404(world, photographed, client, login):
    token = media.sign(photographed.photo.name)
    value, signature = token.rsplit(":", 1)
    other = media.sign(photographed.photo_thumbnail.name)
    tampered = [
        value + ":" + signature[:-1] + ("A" if signature[-1] != "A" else "B"),
        other.rsplit(":", 1)[0] + ":" + signature,  # another file's path under this signature
        value,
        "nothing-here",
    ]
    for bad in tampered:
        assert client.get(reverse("media_file", args=[bad])).status_code == 404, bad
    # A signature over a path outside MEDIA_ROOT or of a file that is gone opens nothing either.
    for name in ("../config/settings.py", "members/photos/gone.jpg"):
        assert client.get(reverse("media_file", args=[media.sign(name)])).status_code == 404
    # MEDIA_ROOT is not served by plain path, not even to a manager.
    assert login(world.users.admin).get("/media/" + photographed.photo.name).status_code == 404


def test_pages_render_working_image_urls(world, photographed, login):
    client = login(world.users.secretary_a)
    html = client.get(reverse("members:member_detail", args=[photographed.pk])).content.decode()
    sources = [src for src in image_sources(html) if src.startswith("/files/")]
    assert sources and "/media/" not in html
    for src in sources:
        response = client.get(src)
        assert response.status_code == 200
        with Image.open(io.BytesIO(body(response))) as picture:
            assert picture.size == (300, 400)


def test_a_secretary_of_another_branch_cannot_obtain_the_url(world, photographed, login):
    client = login(world.users.secretary_b)
    assert client.get(reverse("members:member_detail", args=[photographed.pk])).status_code == 404
    assert client.get(reverse("members:member_photo", args=[photographed.pk])).status_code == 404
    signed = {media.file_url(photographed.photo), media.file_url(photographed.photo_thumbnail)}
    for page in (reverse("home"), reverse("members:member_list"), reverse("members:member_list") + "?q=" + "李"):
        html = client.get(page).content.decode()
        assert not signed & set(image_sources(html))
        assert photographed.photo.name not in html and photographed.photo_thumbnail.name not in html


def test_x_accel_redirect_when_enabled(photographed, client, settings):
    settings.MEDIA_ACCEL = "/internal-media/"
    response = client.get(media.file_url(photographed.photo))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/internal-media/" + photographed.photo.name
    assert response["Content-Type"] == "image/jpeg" and response["Cache-Control"].startswith("private")
    # A Chinese file name travels percent-encoded (nginx decodes it).
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("activities/photos/大会.jpg", ContentFile(b"\xff\xd8 picture"))
    response = client.get(media.file_url(name))
    assert response["X-Accel-Redirect"] == "/internal-media/activities/photos/%E5%A4%A7%E4%BC%9A.jpg"


def test_a_file_that_is_not_a_picture_is_sent_as_a_download(client):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("activities/photos/page.html", ContentFile(b"<script>alert(1)</script>"))
    response = client.get(media.file_url(name))
    assert response.status_code == 200 and response["Content-Disposition"] == "attachment"


def test_the_template_filter_signs_and_skips_empty_fields(world, photographed):
    from django.template import Context, Template

    template = Template("{% load files %}[{{ a|file_url }}][{{ b|file_url }}]")
    html = template.render(Context({"a": photographed.photo_thumbnail, "b": world.members_a[0].photo}))
    assert html == f"[{media.file_url(photographed.photo_thumbnail)}][]"


def test_a_files_own_url_is_the_signed_one_too(world, photographed, login, client):
    """What still asks a file for its URL (the admin's file widget) gets a working, signed one."""
    assert photographed.photo.url == media.file_url(photographed.photo)
    page = login(world.users.admin).get(reverse("admin:members_member_change", args=[photographed.pk]))
    links = re.findall(r'href="(/files/[^"]+)"', page.content.decode())
    assert links and all(client.get(link).status_code == 200 for link in links)
