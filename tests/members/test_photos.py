"""Photo upload: only real pictures, bounded, upright, without metadata, with a thumbnail."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from members import photos, services
from members.models import Member
from portal import images


def stored_image(field):
    field.open("rb")
    try:
        return Image.open(BytesIO(field.read()))
    finally:
        field.close()


def upload(world, login, file):
    member = world.members_a[1]
    response = login(world.users.secretary_a).post(reverse("members:member_photo", args=[member.pk]), {"photo": file})
    member.refresh_from_db()
    return response, member


def test_a_portrait_photo_is_stored_upright_without_exif_with_a_thumbnail(world, login, make_picture):
    # 40 wide, 20 high, tagged "rotate 90° clockwise to view" (orientation 6) as a phone writes it.
    response, member = upload(world, login, make_picture((40, 20), exif_orientation=6))
    assert response.status_code == 302
    image = stored_image(member.photo)
    assert image.size == (20, 40)
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "exif" not in image.info
    thumbnail = stored_image(member.photo_thumbnail)
    assert thumbnail.size == photos.THUMBNAIL_SIZE


def test_png_and_webp_are_accepted(world, make_picture):
    for fmt, name in (("PNG", "a.png"), ("WEBP", "a.webp")):
        processed = photos.process_photo(make_picture(fmt=fmt, name=name))
        assert Image.open(BytesIO(processed.photo.read())).format == "JPEG"


def test_a_text_file_named_jpg_is_refused_and_nothing_is_saved(world, login):
    fake = SimpleUploadedFile("photo.jpg", b"this is not a picture at all", content_type="image/jpeg")
    response, member = upload(world, login, fake)
    assert response.status_code == 200
    assert "JPEG" in response.context["form"].errors["photo"][0]
    assert not member.photo and not member.photo_thumbnail


def test_a_gif_is_refused(world, make_picture):
    with pytest.raises(ValidationError) as exc:
        photos.process_photo(make_picture(fmt="GIF", name="a.gif"))
    assert exc.value.code == "format"


def test_a_damaged_jpeg_is_refused(world, make_picture):
    good = make_picture((200, 200)).read()
    broken = SimpleUploadedFile("broken.jpg", good[: len(good) // 2])
    with pytest.raises(ValidationError) as exc:
        photos.process_photo(broken)
    assert exc.value.code == "invalid"


def test_a_file_over_the_size_limit_is_refused(world, login, make_picture, settings):
    picture = make_picture((300, 300))
    settings.PHOTO_MAX_UPLOAD_BYTES = picture.size - 1
    response, member = upload(world, login, picture)
    assert response.status_code == 200
    assert "MB" in response.context["form"].errors["photo"][0]
    assert not member.photo


def test_too_many_pixels_are_refused(world, login, make_picture, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    response, member = upload(world, login, make_picture((101, 100)))
    assert response.status_code == 200
    assert "101 × 100" in response.context["form"].errors["photo"][0]
    assert not member.photo


def test_replacing_a_photo_removes_the_old_files_once_committed(
    world, make_picture, django_capture_on_commit_callbacks
):
    member = world.members_a[1]
    by = world.users.secretary_a
    services.member_set_photo(member=member, upload=make_picture(), by=by)
    storage = member.photo.storage
    old = [member.photo.name, member.photo_thumbnail.name]
    assert all(storage.exists(name) for name in old)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.member_set_photo(
            member=Member.objects.get(pk=member.pk), upload=make_picture(color=(0, 0, 255)), by=by
        )
    assert all(storage.exists(name) for name in old)  # still there until the commit
    for callback in callbacks:
        callback()
    member.refresh_from_db()
    assert not any(storage.exists(name) for name in old)
    assert storage.exists(member.photo.name) and storage.exists(member.photo_thumbnail.name)


def test_the_stored_name_does_not_come_from_the_upload(world, make_picture):
    member = world.members_a[1]
    services.member_set_photo(member=member, upload=make_picture(name="../../etc/evil.jpg"), by=world.users.secretary_a)
    assert "evil" not in member.photo.name
    assert member.photo.name.startswith("members/photos/")


def test_a_damaged_jpeg_is_refused_even_after_weasyprint_was_imported(world, make_picture):
    import weasyprint  # noqa: F401  (sets Pillow's global LOAD_TRUNCATED_IMAGES)

    good = make_picture((200, 200)).read()
    broken = SimpleUploadedFile("broken.jpg", good[: len(good) // 2])
    with pytest.raises(ValidationError) as exc:
        photos.process_photo(broken)
    assert exc.value.code == "invalid"
