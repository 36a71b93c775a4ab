"""The pages: members write and submit, secretaries review, boards, public page, poster, statistics."""

import io
import re
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pledges import services
from pledges.models import BoardLink, Outcome, Pledge, PledgeItem, Status
from tests.factories import MemberFactory

from .conftest import item, picture

pytestmark = pytest.mark.django_db


def _items_post(rows, prefix="items"):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{n}-{key}"] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_a_member_writes_and_submits_a_pledge_through_the_pages(world, pl, login):
    client = login(world.users.member_a)
    assert client.get(reverse("pledges:mine")).status_code == 200
    response = client.post(
        reverse("pledges:pledge_create"),
        {
            "campaign": pl.campaign.pk,
            "category": "duty",
            "needs_notes": "走访楼院住户10户",
            "show_phone": "on",
            "service_phone": "13900001111",
            **_items_post([item(), {"content": "", "target": "", "due_on": ""}]),
        },
    )
    pledge = Pledge.objects.get()
    assert response.status_code == 302 and response["Location"] == pledge.get_absolute_url()
    assert pledge.status == Status.DRAFT and pledge.items.count() == 1 and not pledge.is_oral
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert "提交审核" in page
    response = client.post(reverse("pledges:pledge_move", args=[pledge.pk, "submit"]))
    assert response.status_code == 302
    assert Pledge.objects.get().status == Status.SUBMITTED
    # The member cannot approve it: the page offers no button and the POST is refused.
    assert "审核通过" not in client.get(pledge.get_absolute_url()).content.decode()
    assert client.post(reverse("pledges:pledge_move", args=[pledge.pk, "approve"])).status_code == 403


def test_returning_without_a_reason_shows_the_error_and_changes_nothing(world, pl, login):
    pledge = pl.at(Status.SUBMITTED)
    client = login(world.users.secretary_a)
    response = client.post(reverse("pledges:pledge_move", args=[pledge.pk, "return"]), {"reason": ""})
    assert response.status_code == 400
    assert "请说明需要修改的地方" in response.content.decode()
    assert Pledge.objects.get().status == Status.SUBMITTED
    response = client.post(
        reverse("pledges:pledge_move", args=[pledge.pk, "return"]), {"reason": "请写明服务次数", "next": "queue"}
    )
    assert response["Location"] == reverse("pledges:queue")
    assert Pledge.objects.get().status == Status.RETURNED


def test_an_unknown_move_is_not_found(world, pl, login):
    pledge = pl.at(Status.SUBMITTED)
    assert login(world.users.secretary_a).post(f"/pledges/{pledge.pk}/move/delete/").status_code == 404


def test_the_queue_lists_what_waits_for_this_secretary_only(world, pl, login):
    mine = pl.at(Status.SUBMITTED)
    pl.at(Status.SUBMITTED, world.members_b[0], author=world.users.secretary_b, approver=world.users.secretary_b)
    text = login(world.users.secretary_a).get(reverse("pledges:queue")).content.decode()
    assert mine.owner_name in text and "孙丽" not in text


def test_progress_with_a_photo_moves_the_item_and_records_history(world, pl, login):
    pledge = pl.at(Status.PUBLISHED)
    target = pledge.items.get()
    client = login(world.users.member_a)
    response = client.post(
        reverse("pledges:progress_add", args=[pledge.pk]),
        {
            "item": target.pk,
            "on": timezone.localdate().isoformat(),
            "percent": "100",
            "text": "为12位老人理发",
            "photos": [picture("a.jpg"), picture("b.png")],
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.percent == 100 and target.done_on == timezone.localdate()
    update = pledge.updates.get()
    assert update.photos.count() == 2
    assert all(p.image.name.startswith("pledges/evidence/") for p in update.photos.all())
    page = client.get(pledge.get_absolute_url()).content.decode()
    assert "为12位老人理发" in page and "xf-evidence" in page


def test_a_broken_photo_is_refused_and_nothing_is_recorded(world, pl, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pledge = pl.at(Status.PUBLISHED)
    response = login(world.users.member_a).post(
        reverse("pledges:progress_add", args=[pledge.pk]),
        {
            "on": timezone.localdate().isoformat(),
            "text": "有进展",
            "photos": [SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")],
        },
    )
    assert response.status_code == 200
    assert "只能上传" in response.content.decode() or "图片" in response.content.decode()
    assert not pledge.updates.exists()


def test_progress_only_while_published_and_by_the_author(world, pl, login):
    draft = pl.at(Status.APPROVED)
    assert login(world.users.member_a).get(reverse("pledges:progress_add", args=[draft.pk])).status_code == 403
    services.pledge_publish(pledge=draft, by=world.users.secretary_a)
    assert login(world.users.secretary_a).get(reverse("pledges:progress_add", args=[draft.pk])).status_code == 403


def test_a_member_sees_the_published_board_of_their_branch_but_not_drafts(world, pl, login):
    published = pl.at(Status.PUBLISHED, world.members_a[1], author=world.users.secretary_a)
    pl.draft(world.members_a[2], by=world.users.secretary_a, items=[item("不应出现的草稿事项")])
    client = login(world.users.member_a)
    text = client.get(reverse("pledges:board", args=[world.branch_a.pk])).content.decode()
    assert published.owner_name in text and "不应出现的草稿事项" not in text
    # A branch-mate's pledge itself is not theirs to open.
    assert client.get(published.get_absolute_url()).status_code == 404
    assert client.get(reverse("pledges:board", args=[world.branch_b.pk])).status_code == 404


def test_the_public_page_shows_published_pledges_and_nothing_personal(world, pl, client):
    member = world.members_a[0]
    published = pl.at(Status.PUBLISHED)
    Pledge.objects.filter(pk=published.pk).update(show_phone=False, service_phone="13700009999")
    pl.at(Status.SUBMITTED, world.members_a[1], author=world.users.secretary_a)
    closed = pl.at(Status.CLOSED, world.members_a[2], author=world.users.secretary_a)
    Pledge.objects.filter(pk=closed.pk).update(show_phone=True, service_phone="13800007777")
    link = services.board_link_create(org=world.branch_a, campaign=pl.campaign, by=world.users.secretary_a)
    assert len(link.token) >= 32
    response = client.get(reverse("pledges:board_public", args=[link.token]))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "csrftoken" not in response.cookies
    text = response.content.decode()
    assert member.name in text and world.members_a[2].name in text
    assert world.members_a[1].name not in text  # submitted, not published
    assert "13800007777" in text and "13700009999" not in text  # only the phone chosen to show
    for personal in (member.id_number, member.phone, "走访了社区12户老党员"):
        assert personal not in text
    services.board_link_revoke(link=link, by=world.users.secretary_a)
    assert client.get(reverse("pledges:board_public", args=[link.token])).status_code == 404
    assert client.get(reverse("pledges:board_public", args=["x" * 32])).status_code == 404


def test_a_secretary_makes_and_revokes_the_link_from_the_board(world, pl, login):
    client = login(world.users.secretary_a)
    url = reverse("pledges:board_link_create", args=[world.branch_a.pk])
    client.post(url, {"campaign": pl.campaign.pk})
    client.post(url, {"campaign": pl.campaign.pk})
    link = BoardLink.objects.get()  # a second click keeps the same link
    board = client.get(reverse("pledges:board", args=[world.branch_a.pk])).content.decode()
    assert link.token in board
    client.post(reverse("pledges:board_link_revoke", args=[link.pk]))
    assert BoardLink.objects.active().count() == 0
    assert login(world.users.member_a).post(url, {"campaign": pl.campaign.pk}).status_code == 404


def test_the_poster_is_a_pdf_with_an_embedded_chinese_font_and_the_qr_link(world, pl, login, tmp_path):
    pl.at(Status.PUBLISHED)
    services.board_link_create(org=world.branch_a, campaign=pl.campaign, by=world.users.secretary_a)
    client = login(world.users.secretary_a)
    for size in ("A4", "A3"):
        response = client.get(reverse("pledges:board_poster", args=[world.branch_a.pk]), {"size": size})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        path = tmp_path / f"poster-{size}.pdf"
        path.write_bytes(response.content)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"Noto-S(ans|erif)-CJK-SC.*\byes\b", fonts), fonts
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert world.members_a[0].name in text and "第一中学党支部" in text
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        expected = "841.89 x 1190.55" if size == "A3" else "595.276 x 841.89"
        assert expected in info.replace("595.28", "595.276"), info
    assert client.get(reverse("pledges:board_poster", args=[world.branch_a.pk]), {"size": "B5"}).status_code == 404


def test_statistics_per_branch_and_category_with_rates(world, pl, login):
    u = world.users
    pl.at(Status.CLOSED)  # kept
    pl.at(Status.RETURNED, world.members_a[1], author=u.secretary_a)
    pl.quick(world.members_b[0], Status.PUBLISHED, overdue=1)
    client = login(u.staff_jy)
    response = client.get(reverse("pledges:stats"), {"org": world.jy.pk, "campaign": pl.campaign.pk})
    assert response.status_code == 200
    stats = response.context["stats"]
    rows = {r.label: r for r in stats.branches}
    a, b = rows["第一中学党支部"], rows["第二中学党支部"]
    assert (a.members, a.member_pledges, a.submitted, a.approved, a.closed, a.kept) == (3, 1, 2, 1, 1, 1)
    assert a.approval_rate == 0.5 and a.kept_rate == 1.0 and a.participation == pytest.approx(1 / 3)
    assert (b.member_pledges, b.overdue, b.closed) == (1, 1, 0)
    assert b.kept_rate is None  # nothing judged yet: no rate, not 0%
    centre = next(r for r in stats.categories if r.key == "centre")
    assert (centre.submitted, centre.approval_rate) == (0, None)
    assert stats.total.overdue == 1 and stats.overdue_count == 1
    text = response.content.decode()
    assert "echarts.min.js" in text and "pledge-chart-data" in text and "—" in text
    export = client.get(reverse("pledges:stats_export"), {"org": world.jy.pk, "campaign": pl.campaign.pk})
    book = load_workbook(io.BytesIO(export.content), read_only=True)
    assert len(book.sheetnames) == 3 and book.sheetnames[1:] == ["按类别", "逾期事项"]
    org_rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert org_rows[1][:3] == ("第一中学党支部", 3, 1)
    overdue = list(book["逾期事项"].iter_rows(values_only=True))
    assert len(overdue) == 2 and overdue[1][0] == "孙丽"


def test_statistics_exports_neutralize_formulas(world, pl, login):
    evil = MemberFactory(org=world.branch_a, name="=HYPERLINK(1)")
    pl.quick(evil, Status.PUBLISHED, overdue=1)
    export = login(world.users.staff_jy).get(reverse("pledges:stats_export"), {"org": world.jy.pk})
    book = load_workbook(io.BytesIO(export.content), read_only=True)
    names = [row[0] for row in book["逾期事项"].iter_rows(values_only=True)]
    assert "'=HYPERLINK(1)" in names


def test_a_member_has_no_statistics_or_queue(world, login):
    client = login(world.users.member_a)
    assert client.get(reverse("pledges:stats")).status_code == 404
    assert client.get(reverse("pledges:queue")).status_code == 404


@pytest.mark.parametrize(
    ("name", "user", "kwargs"),
    [
        ("pledges:pledge_list", "staff_jy", None),
        ("pledges:queue", "secretary_a", None),
        ("pledges:board", "secretary_a", "branch_a"),
        ("pledges:stats", "staff_jy", None),
    ],
)
def test_lists_and_boards_read_the_same_number_of_queries_for_1_and_50_rows(
    world, pl, login, django_assert_max_num_queries, name, user, kwargs
):
    client = login(getattr(world.users, user))
    url = reverse(name, args=[getattr(world, kwargs).pk] if kwargs else None)
    bound = 24

    def fill(n):
        Pledge.objects.all().delete()
        for k in range(n):
            member = MemberFactory(org=world.branch_a, name=f"党员{k:02d}")
            status = Status.SUBMITTED if name == "pledges:queue" else Status.PUBLISHED
            pl.quick(member, status, items=3, overdue=1, phone="13900000000")

    for rows in (1, 50):
        fill(rows)
        with django_assert_max_num_queries(bound):
            response = client.get(url)
        assert response.status_code == 200


def test_the_pledge_reminders_command_is_idempotent(world, pl):
    from django.core.management import call_command

    from notifications.models import Notification

    pledge = pl.at(Status.PUBLISHED)
    PledgeItem.objects.filter(pledge=pledge).update(due_on=timezone.localdate() - timedelta(days=3))
    call_command("pledge_reminders")
    call_command("pledge_reminders")
    sent = Notification.objects.filter(kind=Notification.Kind.ITEM_OVERDUE)
    assert sorted(sent.values_list("recipient__username", flat=True)) == ["member_a", "secretary_a"]
    services.progress_record(
        pledge=pledge,
        item=pledge.items.get(),
        on=timezone.localdate(),
        percent=100,
        text="完成",
        by=world.users.member_a,
    )
    Notification.objects.update(read_at=timezone.now())
    call_command("pledge_reminders")
    assert sent.count() == 2  # done items are not overdue any more


def test_closing_records_the_judgement(world, pl, login):
    pledge = pl.at(Status.PUBLISHED)
    login(world.users.staff_jy).post(
        reverse("pledges:pledge_move", args=[pledge.pk, "close"]), {"outcome": Outcome.PARTLY, "reason": "完成大半"}
    )
    pledge.refresh_from_db()
    assert (pledge.status, pledge.outcome, pledge.judge_comment) == (Status.CLOSED, Outcome.PARTLY, "完成大半")
