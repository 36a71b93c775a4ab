"""The pages: upload, check, confirm, cancel, export, templates; all behind the access rule."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from imports import progress
from imports.models import ImportBatch
from members.idcard import parse
from members.models import Member
from tests.factories import MemberFactory
from tests.imports.conftest import upload, xlsx_bytes

START = reverse("imports:start")


def post_file(client, org, data, name="花名册.xlsx", kind="roster"):
    return client.post(START, {"kind": kind, "target_org": org.pk, "file": upload(data, name)})


def sheet_rows(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]


def uploads_left():
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_upload_check_confirm(world, login, ids):
    client = login(world.users.secretary_a)
    a, b = ids(2)
    data = xlsx_bytes([["姓名", "身份证号"], ["张三", a], ["李四", b[:-1] + ("0" if b[-1] != "0" else "1")]])
    response = post_file(client, world.branch_a, data)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()

    page = client.get(batch.get_absolute_url())
    assert page.status_code == 200
    assert "check digit" in page.text and "Leave out the 1 row in error" in page.text

    response = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert "1 rows have errors, so nothing was imported" in response.text
    assert not Member.objects.filter(id_number=a).exists()

    client.post(reverse("imports:confirm", args=[batch.pk]), {"skip_errors": "on"})
    batch.refresh_from_db()
    assert batch.status == "done"
    assert Member.objects.get(id_number=a).org == world.branch_a
    assert "1 added" in client.get(batch.get_absolute_url()).text


def test_cancel_deletes_the_upload_and_writes_nothing(world, login, ids):
    client = login(world.users.secretary_a)
    post_file(client, world.branch_a, xlsx_bytes([["姓名", "身份证号"], ["张三", ids(1)[0]]]))
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "cancelled" and not batch.file and uploads_left() == []


def test_error_filter_shows_only_rows_in_error(world, login, ids):
    client = login(world.users.staff_jy)
    rows = [["姓名", "身份证号"], *[[f"党员{i}", n] for i, n in enumerate(ids(3))], ["错号", "123"]]
    post_file(client, world.jy, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()
    page = client.get(batch.get_absolute_url(), {"show": "error"})
    assert "错号" in page.text and "党员0" not in page.text


@pytest.mark.parametrize("n", [1, 50])
def test_check_page_queries_do_not_grow_with_rows(world, login, ids, n, django_assert_max_num_queries):
    client = login(world.users.staff_jy)
    post_file(client, world.jy, xlsx_bytes([["姓名", "身份证号"], *[[f"党员{i}", x] for i, x in enumerate(ids(n))]]))
    batch = ImportBatch.objects.get()
    with django_assert_max_num_queries(12):
        assert client.get(batch.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"just some text, not a workbook", "roster.xlsx", "not a real Excel workbook"),
        (b"", "roster.xlsx", "file is empty"),
        (b"\x89PNG\r\n\x1a\n", "photo.png", "is not an Excel workbook"),
        ("名字,号码\n张三,1\n".encode(), "roster.csv", "No header row was found"),
        ("姓名,身份证号\n".encode(), "roster.csv", "no data rows"),
        ("姓名,手机\n张三,139\n".encode(), "roster.csv", "no column for"),
    ],
)
def test_broken_uploads_are_refused_with_a_reason_and_leave_nothing(world, login, data, name, message):
    client = login(world.users.secretary_a)
    response = post_file(client, world.branch_a, data, name)
    assert response.status_code == 200 and message in response.text
    assert not ImportBatch.objects.exists() and uploads_left() == []


def test_oversize_upload_is_refused(world, login, settings, ids):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    client = login(world.users.secretary_a)
    rows = [["姓名", "身份证号"], *[["张三", n] for n in ids(60)]]
    response = post_file(client, world.branch_a, xlsx_bytes(rows))
    assert "files up to" in response.text and not ImportBatch.objects.exists()


def test_secretary_of_branch_a_cannot_import_into_or_export_branch_b(world, login, ids):
    client = login(world.users.secretary_a)
    data = xlsx_bytes([["姓名", "身份证号"], ["张三", ids(1)[0]]])
    assert post_file(client, world.branch_b, data).status_code == 404
    assert client.get(START, {"org": world.branch_b.pk}).status_code == 404
    assert client.get(reverse("imports:export_orgs"), {"org": world.branch_b.pk}).status_code == 404
    assert client.get(reverse("imports:export_members"), {"org": world.branch_b.pk}).status_code == 404
    other = login(world.users.secretary_b)
    post_file(other, world.branch_b, data)
    batch = ImportBatch.objects.get()
    client = login(world.users.secretary_a)
    for name in ("imports:batch", "imports:progress"):
        assert client.get(reverse(name, args=[batch.pk])).status_code == 404
    for name in ("imports:confirm", "imports:cancel"):
        assert client.post(reverse(name, args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == "previewed"


def test_members_without_a_managing_role_see_no_import_pages(world, login):
    client = login(world.users.member_a)
    assert client.get(START).status_code == 404
    assert client.get(reverse("imports:template", args=["roster"])).status_code == 404
    assert client.get(reverse("imports:export_members")).status_code == 404


def test_org_search_offers_only_orgs_the_user_manages(world, login):
    client = login(world.users.staff_jy)
    response = client.get(reverse("imports:org_choices"), {"q": "党支部"})
    assert "第一中学党支部" in response.text and "人民医院党支部" not in response.text


def test_export_holds_only_manageable_members_in_full(world, login):
    client = login(world.users.secretary_a)
    rows = sheet_rows(client.get(reverse("imports:export_members")))
    exported = {r[4] for r in rows[1:]}
    assert exported == {m.id_number for m in world.members_a}


def test_export_then_import_round_trips_unchanged(world, login):
    MemberFactory(org=world.group_a, name="钱七", work_unit='=HYPERLINK("http://x")', phone="+8613900000000")
    for member in Member.objects.all():
        # The roster as the import leaves it: birth date and gender filled from the ID number.
        info = parse(member.id_number)
        Member.objects.filter(pk=member.pk).update(birth_date=info.birth_date, gender=info.gender)
    client = login(world.users.staff_jy)
    response = client.get(reverse("imports:export_members"))
    rows = sheet_rows(response)
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["钱七"][11].startswith("'=") and by_name["钱七"][13].startswith("'+")

    post_file(client, world.jy, response.content, "export.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.counts["unchanged"] == Member.objects.in_subtree(world.jy).count() == len(rows) - 1, batch.report


def test_org_export_round_trips_unchanged(world, login):
    client = login(world.users.staff_jy)
    response = client.get(reverse("imports:export_orgs"), {"org": world.jy.pk})
    assert [r[1] for r in sheet_rows(response)[1:]] == ["ZZ-JY", "ZZ-JY-01", "ZZ-JY-01-G1", "ZZ-JY-02"]
    post_file(client, world.jy, response.content, "orgs.xlsx", kind="orgs")
    batch = ImportBatch.objects.get()
    assert batch.counts["unchanged"] == 4, batch.report


def test_blank_templates_carry_the_import_columns(world, login):
    client = login(world.users.secretary_a)
    response = client.get(reverse("imports:template", args=["roster"]))
    workbook = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header[:5] == ["Name", "Gender", "Ethnicity", "Birth date", "Citizen ID number"]
    assert len(workbook.worksheets) == 2  # the second explains every column
    assert client.get(reverse("imports:template", args=["nonsense"])).status_code == 404


def test_large_files_run_in_the_background_with_progress(world, login, settings, ids):
    settings.IMPORT_BACKGROUND_THRESHOLD = 2
    client = login(world.users.staff_jy)
    post_file(client, world.jy, xlsx_bytes([["姓名", "身份证号"], *[[f"党员{i}", n] for i, n in enumerate(ids(5))]]))
    batch = ImportBatch.objects.get()
    assert batch.status == "previewed" and batch.counts["new"] == 5  # the task ran (inline in tests)

    ImportBatch.objects.filter(pk=batch.pk).update(status="importing")
    progress.write(batch.pk, 3)
    page = client.get(reverse("imports:progress", args=[batch.pk]))
    assert "3 / 5" in page.text and "60%" in page.text and 'hx-trigger="every 1s"' in page.text
    ImportBatch.objects.filter(pk=batch.pk).update(status="previewed")
    client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "done" and Member.objects.in_subtree(world.jy).filter(name__startswith="党员").count() == 5
    finished = client.get(reverse("imports:progress", args=[batch.pk]))
    assert finished["HX-Redirect"] == batch.get_absolute_url()
