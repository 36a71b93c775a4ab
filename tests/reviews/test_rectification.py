"""The rectification ledger: every move from every state, who may make it, evidence, notifications, rate."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews import rectification_flow as flow
from reviews import services
from reviews.models import Attachment, RectificationItem, Status
from reviews.rates import rectification_rates

from .conftest import pdf, picture

MOVES = {
    "report": lambda item, by: services.rectification_report(item=item, text="已整改", by=by),
    "request": lambda item, by: services.rectification_request(item=item, by=by),
    "confirm": lambda item, by: services.rectification_confirm(item=item, by=by),
    "return": lambda item, by: services.rectification_return(item=item, reason="佐证不足", by=by),
}
LEGAL = {
    Status.LISTED: {"report"},
    Status.IN_PROGRESS: {"report", "request"},
    Status.REQUESTED: {"confirm", "return"},
    Status.STRUCK_OFF: set(),
}


@pytest.mark.parametrize("status", list(LEGAL))
@pytest.mark.parametrize("action", list(MOVES))
def test_every_move_from_every_state(world, heads, rv, status, action):
    item = rv.at(status)
    actor = world.users.staff_jy if flow.MOVES[action].actor == flow.VERIFIER else world.users.secretary_a
    if action in LEGAL[status]:
        MOVES[action](item, actor)
        item.refresh_from_db()
        assert item.status == flow.MOVES[action].target
    else:
        with pytest.raises(PermissionDenied):
            MOVES[action](item, actor)
        item.refresh_from_db()
        assert item.status == status


def test_the_whole_way_with_a_return_leaves_every_step(world, heads, rv):
    item = rv.at(Status.REQUESTED)
    services.rectification_return(item=item, reason="照片看不出制度牌内容", by=world.users.staff_jy)
    item.refresh_from_db()
    assert (item.status, item.return_reason) == (Status.IN_PROGRESS, "照片看不出制度牌内容")
    services.rectification_report(item=item, text="补拍了照片", by=world.users.secretary_a)
    services.rectification_request(item=item, by=world.users.secretary_a)
    services.rectification_confirm(item=item, by=world.users.staff_jy)
    item.refresh_from_db()
    assert item.status == Status.STRUCK_OFF and item.struck_off_on == rv.today
    assert item.confirmed_by == world.users.staff_jy
    steps = list(item.transitions.values_list("action", "to_status"))
    assert steps == [
        ("list", "listed"),
        ("report", "in_progress"),
        ("request", "requested"),
        ("return", "in_progress"),
        ("request", "requested"),
        ("confirm", "struck_off"),
    ]


def test_owners_work_and_the_superior_verifies(world, heads, rv):
    item = rv.at(Status.IN_PROGRESS)
    # The sibling branch's secretary and the contact-point leader of B are not owners of A's item.
    for user in (world.users.secretary_b, world.users.leader_c, world.users.member_a):
        assert not flow.may(user, item, "request")
    # The responsible person reports without any managing role: 刘建国 is the owner (secretary_a's login).
    assert flow.may(world.users.secretary_a, item, "request")
    item = rv.at(Status.REQUESTED)
    assert flow.may(world.users.staff_jy, item, "confirm")  # manages the committee above
    assert flow.may(world.users.staff_zz, item, "confirm")  # and further up
    assert not flow.may(world.users.secretary_b, item, "confirm")
    assert not flow.may(world.users.member_a, item, "confirm")


def test_the_branch_itself_cannot_strike_off_its_own_item(world, heads, rv):
    item = rv.at(Status.REQUESTED)
    with pytest.raises(PermissionDenied):
        services.rectification_confirm(item=item, by=world.users.secretary_a)


def test_nobody_verifies_their_own_request(world, heads, rv):
    item = rv.at(Status.IN_PROGRESS, owner_user=world.users.staff_jy)
    services.rectification_request(item=item, by=world.users.staff_jy)
    item.refresh_from_db()
    assert not flow.may(world.users.staff_jy, item, "confirm")
    assert flow.may(world.users.staff_zz, item, "confirm")


def test_the_reviewer_confirms_items_from_their_review(world, heads, rv):
    review = rv.held(world.branch_b, by=world.users.leader_c)  # the contact-point leader
    item = services.review_rectify(shortcoming=review.shortcomings.first(), deadline=rv.today, by=world.users.leader_c)
    services.rectification_report(item=item, text="已整改", by=world.users.secretary_b)
    services.rectification_request(item=item, by=world.users.secretary_b)
    assert world.users.leader_c.notifications.filter(url=item.get_absolute_url(), message__contains="申请销号").exists()
    services.rectification_confirm(item=item, by=world.users.leader_c)
    item.refresh_from_db()
    assert item.status == Status.STRUCK_OFF


def test_a_strike_off_needs_a_progress_report_first(world, heads, rv):
    item = rv.item()
    with pytest.raises(PermissionDenied):  # listed: report first
        services.rectification_request(item=item, by=world.users.secretary_a)


def test_a_return_needs_a_reason(world, heads, rv):
    item = rv.at(Status.REQUESTED)
    with pytest.raises(ValidationError):
        services.rectification_return(item=item, reason="  ", by=world.users.staff_jy)
    item.refresh_from_db()
    assert item.status == Status.REQUESTED


def test_notifications_on_request_return_and_confirmation(world, heads, rv):
    item = rv.at(Status.REQUESTED)
    staff = world.users.staff_jy.notifications.filter(url=item.get_absolute_url())
    assert staff.filter(message__contains="申请销号").count() == 1
    services.rectification_return(item=item, reason="佐证不足", by=world.users.staff_jy)
    owner = world.users.secretary_a.notifications.filter(url=item.get_absolute_url())
    assert owner.filter(message="销号申请被退回：佐证不足").exists()
    services.rectification_report(item=item, text="补充佐证", by=world.users.secretary_a)
    services.rectification_request(item=item, by=world.users.secretary_a)
    services.rectification_confirm(item=item, by=world.users.staff_jy)
    assert owner.filter(message__startswith="已销号：").exists()


def test_listing_is_for_managers_of_the_org_or_above(world, heads, rv):
    with pytest.raises(PermissionDenied):
        rv.item(world.branch_b, by=world.users.secretary_a, owner=heads.head_b)
    with pytest.raises(PermissionDenied):
        rv.item(world.branch_a, by=world.users.leader_c)
    assert rv.item(world.branch_a, by=world.users.secretary_a).listed_by == world.users.secretary_a


def test_listing_validates_the_deadline_and_the_owner(world, heads, rv):
    with pytest.raises(ValidationError) as error:
        rv.item(deadline=rv.today - timedelta(days=1), owner=world.members_b[1])
    assert set(error.value.error_dict) == {"deadline", "owner_member"}


def test_evidence_with_a_photo_and_a_document(world, heads, rv):
    item = rv.item()
    evidence = services.rectification_report(
        item=item, text="制度牌已上墙", files=[picture("现场.jpg"), pdf()], by=world.users.secretary_a
    )
    kinds = dict(evidence.attachments.values_list("kind", "name"))
    assert kinds == {"photo": "现场.jpg", "file": "整改报告.pdf"}
    photo = evidence.attachments.get(kind=Attachment.Kind.PHOTO)
    assert photo.thumbnail and photo.file.name.endswith(".jpg")
    document = evidence.attachments.get(kind=Attachment.Kind.FILE)
    assert document.file.name.startswith("rectification/files/") and "整改报告" not in document.file.name


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("run.exe", b"MZ...."), "只接受"),
        (SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>"), "不是 PDF"),
        (SimpleUploadedFile("table.xlsx", b"PK\x03\x04garbage"), "损坏"),
        (SimpleUploadedFile("photo.png", b"not an image"), "图片"),
    ],
)
def test_evidence_files_are_checked(world, heads, rv, upload, message):
    item = rv.item()
    with pytest.raises(ValidationError, match=message):
        services.rectification_report(item=item, text="已整改", files=[upload], by=world.users.secretary_a)
    item.refresh_from_db()
    assert item.status == Status.LISTED and not item.evidence.exists()


def test_evidence_files_have_a_size_limit(world, heads, rv, monkeypatch):
    monkeypatch.setattr("reviews.uploads.MAX_FILE_BYTES", 100)
    with pytest.raises(ValidationError, match="太大"):
        services.rectification_report(
            item=rv.item(), text="已整改", files=[pdf(body=b"%PDF-" + b"0" * 200)], by=world.users.secretary_a
        )


def test_uploaded_names_are_sanitized(world, heads, rv):
    from reviews.uploads import display_name

    assert display_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert display_name("C:\\Users\\李\\整改 报告<1>.pdf") == "整改_报告1.pdf"
    assert display_name("..") == "file"
    assert len(display_name("长" * 300 + ".pdf")) == 100


def test_overdue_is_past_the_deadline_and_not_struck_off(world, heads, rv):
    late = rv.item(listed_on=rv.today - timedelta(days=40), deadline=rv.today - timedelta(days=1))
    done_late = rv.at(
        Status.STRUCK_OFF, rv.item(listed_on=rv.today - timedelta(days=40), deadline=rv.today - timedelta(days=1))
    )
    due_today = rv.item(deadline=rv.today)
    assert late.is_overdue() and not done_late.is_overdue() and not due_today.is_overdue()
    assert list(RectificationItem.objects.overdue(rv.today)) == [late]


def test_the_rate_per_subtree_and_period(world, heads, rv):
    start, end = rv.today - timedelta(days=60), rv.today
    # Branch A: 3 listed in the period, 2 struck off. Branch B: 1 listed, still open and overdue.
    for _ in range(2):
        rv.at(Status.STRUCK_OFF, rv.item(listed_on=rv.today - timedelta(days=30)))
    rv.at(Status.IN_PROGRESS, rv.item(listed_on=rv.today - timedelta(days=10)))
    rv.item(
        world.branch_b,
        owner=heads.head_b,
        listed_on=rv.today - timedelta(days=20),
        deadline=rv.today - timedelta(days=1),
    )
    # Listed before the period: not counted, even though struck off in it.
    rv.at(Status.STRUCK_OFF, rv.item(listed_on=rv.today - timedelta(days=90), deadline=rv.today))
    # Another tree: never counted.
    rv.item(world.hospital, owner=world.hospital_members[0], by=world.users.staff_zz)
    items = RectificationItem.objects.all()
    rates = rectification_rates(world.jy, start, end, items=items, today=rv.today)
    assert (rates.total.listed, rates.total.struck_off, rates.total.overdue) == (4, 2, 1)
    assert rates.total.rate == pytest.approx(0.5)
    by_org = {r.org: (r.listed, r.struck_off, r.rate) for r in rates.rows}
    assert by_org == {world.branch_a: (3, 2, pytest.approx(2 / 3)), world.branch_b: (1, 0, 0.0)}


def test_the_rate_counts_a_strike_off_only_by_the_end_of_the_period(world, heads, rv):
    rv.at(Status.STRUCK_OFF, rv.item(listed_on=rv.today - timedelta(days=30)))  # struck off today
    rates = rectification_rates(
        world.jy,
        rv.today - timedelta(days=40),
        rv.today - timedelta(days=1),
        items=RectificationItem.objects.all(),
        today=rv.today,
    )
    assert (rates.total.listed, rates.total.struck_off) == (1, 0)


def test_nothing_listed_gives_no_rate(world, heads, rv):
    rates = rectification_rates(
        world.hospital, rv.today, rv.today, items=RectificationItem.objects.all(), today=rv.today
    )
    assert rates.total.listed == 0 and rates.total.rate is None and rates.rows == []


def test_the_rate_is_one_query(world, heads, rv, django_assert_num_queries):
    for org, owner in ((world.branch_a, heads.head_a), (world.branch_b, heads.head_b)):
        rv.item(org, owner=owner)
    items = RectificationItem.objects.all()
    with django_assert_num_queries(2):  # the grouped counts, and the names of the children
        rectification_rates(world.zz, rv.today, rv.today, items=items, today=rv.today)
