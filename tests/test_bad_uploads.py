"""A corpus of broken uploads, each posted to the real upload endpoints (roster import, member
photo, pledge progress photos, rectification evidence): every one gets a clear Chinese message and
leaves nothing behind (no batch, member, progress or evidence rows; no file under MEDIA_ROOT).

The corpus is made here, small: where size is the point, the limit is lowered instead.
"""

import io
import re
import zipfile
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from PIL import Image

from imports.models import ImportBatch
from members.models import Member
from pledges.models import ProgressUpdate
from reviews.models import Attachment, Evidence
from tests.factories import make_id_number

CJK = re.compile(r"[\u4e00-\u9fff]")


# --- the corpus -------------------------------------------------------------------------------


def roster_xlsx(rows=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "身份证号", "人员类别", "入党时间"])
    for row in rows or [["刘洋", "男", make_id_number(), "正式党员", "2010-06-01"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb_xlsx() -> bytes:
    """A real workbook whose sheet XML is padded with a few megabytes of whitespace: it compresses
    to a few kilobytes, so the ratio gives it away before any of it is decompressed."""
    source = zipfile.ZipFile(io.BytesIO(roster_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (8 * 1024 * 1024))
            bomb.writestr(entry.filename, data)
    return out.getvalue()


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(40, 30), *, noise=False) -> bytes:
    buffer = io.BytesIO()
    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, (30, 120, 200))
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


def lower_limits_for(case, settings):
    """Size is the point of these cases: the limit comes down to the file rather than the file up."""
    if case == "an oversized picture":
        settings.PHOTO_MAX_UPLOAD_BYTES = 4096


ROSTERS = {
    "a picture renamed to .xlsx": ("花名册.xlsx", png_bytes),
    "a text file renamed to .xlsx": ("花名册.xlsx", lambda: "姓名,性别\n刘洋,男\n".encode()),
    "a zip that is no workbook": ("花名册.xlsx", lambda: _zip({"readme.txt": b"hello"})),
    "a zip bomb": ("花名册.xlsx", zip_bomb_xlsx),
    "a huge file": ("花名册.xlsx", lambda: roster_xlsx() + b"\0" * 4096),  # over the lowered limit
    "invalid UTF-8 in a CSV": ("花名册.csv", lambda: b"\xff\xfe\xff\xfd,\xff\n\xfe\xff,\x80\x81\xff\n"),
    "binary data in a CSV": ("花名册.csv", lambda: "姓名,性别\n刘洋\x00,男\n".encode()),
    "an empty file": ("花名册.xlsx", lambda: b""),
    "an empty CSV": ("花名册.csv", lambda: b""),
    "a header and no rows": ("花名册.xlsx", lambda: roster_xlsx([[]])),
    "a workbook of formulas": (
        "花名册.xlsx",
        lambda: _sheet([['=HYPERLINK("http://x","姓名")', "=1+1"], ["=A1", "=B1"]]),
    ),
    "a wrong extension": ("花名册.exe", lambda: b"MZ\x90\x00"),
}


def _zip(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _sheet(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PICTURES = {
    "a text file named .jpg": ("照片.jpg", lambda: b"this is not a picture"),
    "a PDF named .png": ("照片.png", lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    "a GIF": ("照片.jpg", lambda: _gif()),
    "a truncated JPEG": ("照片.jpg", lambda: jpeg_bytes((400, 300))[:300]),
    "an empty file": ("照片.jpg", lambda: b""),
    "an oversized picture": ("照片.jpg", lambda: jpeg_bytes((200, 200), noise=True)),  # over the lowered limit
    "too many pixels": ("照片.png", lambda: png_bytes((3000, 3000))),  # over the lowered pixel limit
}


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, format="GIF")
    return buffer.getvalue()


# --- the checks ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def limits(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("portal.images.MAX_PIXELS", 4_000_000)
    monkeypatch.setattr("reviews.uploads.MAX_FILE_BYTES", 4096)
    return settings


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def messages_of(response) -> str:
    """What the page says: the rendered page, or the flash messages of a redirect."""
    if response.status_code == 302:
        return " ".join(str(m) for m in response.wsgi_request._messages)
    return unescape(response.content.decode())


def assert_refused_in_chinese(response, must_say: str):
    assert response.status_code in (200, 302), response.status_code
    text = messages_of(response)
    assert must_say in text, f"expected “{must_say}” in the answer"


def test_the_corpus_is_valid_where_it_should_be(world, login, settings):
    """The good file goes through, so each refusal below is about what was broken."""
    client = login(world.users.secretary_a)
    response = client.post(
        reverse("imports:start"),
        {"kind": "roster", "target_org": world.branch_a.pk, "file": SimpleUploadedFile("花名册.xlsx", roster_xlsx())},
    )
    assert response.status_code == 302 and ImportBatch.objects.count() == 1


ROSTER_MESSAGES = {
    "a picture renamed to .xlsx": "不是真正的 Excel",
    "a text file renamed to .xlsx": "不是真正的 Excel",
    "a zip that is no workbook": "",
    "a zip bomb": "不予读取",
    "a huge file": "最大只能导入",
    "invalid UTF-8 in a CSV": "",
    "binary data in a CSV": "",
    "an empty file": "",
    "an empty CSV": "",
    "a header and no rows": "",
    "a workbook of formulas": "",
    "a wrong extension": "",
}


@pytest.mark.parametrize("case", ROSTERS)
def test_a_broken_roster_is_refused_and_nothing_is_kept(case, world, login, limits):
    name, make = ROSTERS[case]
    if case == "a huge file":
        limits.IMPORT_MAX_UPLOAD_BYTES = len(roster_xlsx()) + 1024
    members_before = Member.objects.count()
    client = login(world.users.secretary_a)
    response = client.post(
        reverse("imports:start"),
        {"kind": "roster", "target_org": world.branch_a.pk, "file": SimpleUploadedFile(name, make())},
    )
    assert response.status_code == 200, f"{case}: {response.status_code}"
    text = messages_of(response)
    errors = re.findall(r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)</', text, re.S)
    shown = " ".join(errors)
    assert CJK.search(shown), f"{case}: no Chinese error shown ({shown!r})"
    assert ROSTER_MESSAGES[case] in shown, f"{case}: {shown!r}"
    assert not ImportBatch.objects.exists()
    assert Member.objects.count() == members_before
    assert stored_files(limits) == []


PHOTO_MESSAGES = {
    "a text file named .jpg": "图片",
    "a PDF named .png": "图片",
    "a GIF": "只能上传 JPEG",
    "a truncated JPEG": "损坏",
    "an empty file": "",
    "an oversized picture": "照片文件太大",
    "too many pixels": "像素过多",
}


def _cjk_error(response) -> str:
    text = messages_of(response)
    if response.status_code == 302:
        return text
    errors = re.findall(r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist|alert)[^"]*"[^>]*>(.*?)</', text, re.S)
    return " ".join(errors)


@pytest.mark.parametrize("case", PICTURES)
def test_a_broken_member_photo_is_refused_and_nothing_is_kept(case, world, login, limits):
    name, make = PICTURES[case]
    lower_limits_for(case, limits)
    member = world.members_a[1]
    response = login(world.users.secretary_a).post(
        reverse("members:member_photo", args=[member.pk]), {"photo": SimpleUploadedFile(name, make())}
    )
    assert response.status_code == 200, f"{case}: {response.status_code}"
    shown = _cjk_error(response)
    assert CJK.search(shown) and PHOTO_MESSAGES[case] in shown, f"{case}: {shown!r}"
    member.refresh_from_db()
    assert not member.photo and not member.photo_thumbnail
    assert stored_files(limits) == []


@pytest.fixture
def published_pledge(world):
    from campaigns.models import Campaign
    from pledges import services
    from pledges.models import Category

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        org=world.jy, name="创先争优活动", starts_on=today - timedelta(days=90), ends_on=today + timedelta(days=180)
    )
    pledge = services.pledge_create(
        campaign=campaign,
        owner_member=world.members_a[0],
        data={"category": Category.DUTY, "needs_notes": "走访社区"},
        items=[{"content": "义务理发", "target": "全年12次", "due_on": today + timedelta(days=60)}],
        by=world.users.member_a,
    )
    for action in ("submit", "approve", "publish"):
        by = world.users.member_a if action == "submit" else world.users.secretary_a
        pledge = services.MOVE_SERVICES[action](pledge, by, reason="", outcome="kept")
    return pledge


@pytest.mark.parametrize("case", PICTURES)
def test_a_broken_pledge_evidence_photo_is_refused_and_nothing_is_kept(case, world, login, limits, published_pledge):
    name, make = PICTURES[case]
    lower_limits_for(case, limits)
    response = login(world.users.member_a).post(
        reverse("pledges:progress_add", args=[published_pledge.pk]),
        {
            "on": timezone.localdate().isoformat(),
            "text": "为老人理发",
            "photos": [SimpleUploadedFile("好.jpg", jpeg_bytes((20, 20))), SimpleUploadedFile(name, make())],
        },
    )
    assert response.status_code == 200, f"{case}: {response.status_code}"
    shown = _cjk_error(response)
    assert CJK.search(shown) and PHOTO_MESSAGES[case] in shown, f"{case}: {shown!r}"
    assert not ProgressUpdate.objects.exists()
    assert stored_files(limits) == []


EVIDENCE = {
    **PICTURES,
    "a text file named .pdf": ("报告.pdf", lambda: b"just text"),
    "a zip named .docx": ("报告.docx", lambda: _zip({"readme.txt": b"x"})),
    "a workbook zip bomb as evidence": ("台账.xlsx", lambda: b"PK\x03\x04" + b"\0" * 8000),
    "an executable": ("报告.exe", lambda: b"MZ\x90\x00"),
    "a huge document": ("报告.pdf", lambda: b"%PDF-1.4\n" + b"0" * 8000),
}
EVIDENCE_MESSAGES = {
    **PHOTO_MESSAGES,
    "a text file named .pdf": "不是 PDF",
    "a zip named .docx": "",
    "a workbook zip bomb as evidence": "",
    "an executable": "",
    "a huge document": "太大",
}


@pytest.fixture
def rectification_item(world):
    from reviews import services
    from reviews.models import Source
    from tests.reviews.conftest import make_heads

    heads = make_heads(world)
    return services.rectification_list(
        org=world.branch_a,
        problem="党员活动室制度未上墙",
        owner_member=heads.head_a,
        deadline=timezone.localdate() + timedelta(days=30),
        source=Source.INSPECTION,
        listed_on=None,
        by=world.users.staff_jy,
    )


@pytest.mark.parametrize("case", EVIDENCE)
def test_broken_rectification_evidence_is_refused_and_nothing_is_kept(case, world, login, limits, rectification_item):
    name, make = EVIDENCE[case]
    lower_limits_for(case, limits)
    response = login(world.users.secretary_a).post(
        reverse("reviews:item_report", args=[rectification_item.pk]),
        {
            "text": "已上墙",
            "files": [SimpleUploadedFile("好.jpg", jpeg_bytes((20, 20))), SimpleUploadedFile(name, make())],
        },
    )
    shown = _cjk_error(response)
    assert CJK.search(shown) and EVIDENCE_MESSAGES[case] in shown, f"{case}: {shown!r}"
    assert not Evidence.objects.exists() and not Attachment.objects.exists()
    rectification_item.refresh_from_db()
    assert rectification_item.status == "listed"
    assert stored_files(limits) == []


def test_the_zip_bomb_is_judged_by_its_directory_before_anything_is_unpacked(monkeypatch, settings):
    from imports import readers
    from members.resources import MemberResource

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(readers.CalamineWorkbook, "from_filelike", never)
    with pytest.raises(readers.UnreadableFile, match="不予读取|refused"):
        readers.read_table(zip_bomb_xlsx(), "花名册.xlsx", MemberResource.COLUMNS)
    # By total size too, whatever the ratio: a workbook of many well-compressed sheets.
    settings.IMPORT_MAX_UNZIPPED_BYTES = 1024
    with pytest.raises(readers.UnreadableFile):
        readers.read_table(roster_xlsx(), "花名册.xlsx", MemberResource.COLUMNS)
