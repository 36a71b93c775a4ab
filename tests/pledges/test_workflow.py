"""Every move, legal and illegal, and who may make it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Notification
from pledges import services, workflow
from pledges.models import Category, Outcome, Pledge, PledgeTransition, Status
from tests.factories import MemberFactory, UserFactory

from .conftest import item

pytestmark = pytest.mark.django_db

ALL_STATUSES = list(Status)
LEGAL = {
    ("propose", Status.NEEDS): Status.DRAFT,
    ("submit", Status.DRAFT): Status.SUBMITTED,
    ("submit", Status.RETURNED): Status.SUBMITTED,
    ("return", Status.SUBMITTED): Status.RETURNED,
    ("approve", Status.SUBMITTED): Status.APPROVED,
    ("publish", Status.APPROVED): Status.PUBLISHED,
    ("close", Status.PUBLISHED): Status.CLOSED,
}


def test_the_table_of_moves_is_exactly_the_legal_one():
    table = {(action, source): move.target for action, move in workflow.MOVES.items() for source in move.sources}
    assert table == LEGAL


def _actor(world, action):
    return world.users.member_a if workflow.MOVES[action].actor == workflow.AUTHOR else world.users.secretary_a


@pytest.mark.parametrize("action", list(workflow.MOVES))
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_each_move_from_each_state(world, pl, action, status):
    """From every state, every move either lands where the table says or is refused and changes nothing."""
    pledge = pl.draft()
    items = pledge.items.count()
    Pledge.objects.filter(pk=pledge.pk).update(status=status, outcome=Outcome.KEPT if status == Status.CLOSED else "")
    pledge.refresh_from_db()
    by = _actor(world, action)
    steps_before = PledgeTransition.objects.filter(pledge=pledge).count()
    run = services.MOVE_SERVICES[action]
    if (action, status) in LEGAL:
        run(pledge, by, reason="理由", outcome=Outcome.PARTLY)
        pledge.refresh_from_db()
        assert pledge.status == LEGAL[(action, status)]
        last = pledge.transitions.last()
        assert (last.action, last.from_status, last.to_status, last.by) == (action, status, pledge.status, by)
    else:
        with pytest.raises(PermissionDenied):
            run(pledge, by, reason="理由", outcome=Outcome.PARTLY)
        pledge.refresh_from_db()
        assert pledge.status == status
        assert PledgeTransition.objects.filter(pledge=pledge).count() == steps_before
    assert pledge.items.count() == items


def test_the_whole_life_with_a_return_keeps_who_when_why(world, pl):
    u = world.users
    pledge = pl.draft()
    assert pledge.status == Status.DRAFT
    services.pledge_submit(pledge=pledge, by=u.member_a)
    services.pledge_return(pledge=pledge, reason="目标不够具体，请写明次数", by=u.secretary_a)
    pledge.refresh_from_db()
    assert pledge.status == Status.RETURNED
    services.pledge_update(
        pledge=pledge,
        data={"category": Category.DUTY},
        items=[{**item(), "id": pledge.items.get().pk, "target": "每月1次，全年12次"}],
        by=u.member_a,
    )
    services.pledge_submit(pledge=pledge, by=u.member_a)
    services.pledge_approve(pledge=pledge, by=u.secretary_a)
    services.pledge_publish(pledge=pledge, by=u.secretary_a)
    services.pledge_close(pledge=pledge, outcome=Outcome.KEPT, comment="按期兑现，群众满意", by=u.staff_jy)
    pledge.refresh_from_db()
    assert pledge.status == Status.CLOSED
    assert (pledge.outcome, pledge.judge_comment) == (Outcome.KEPT, "按期兑现，群众满意")
    assert all((pledge.submitted_at, pledge.approved_at, pledge.published_at, pledge.closed_at))
    steps = list(pledge.transitions.values_list("action", "by__username", "reason"))
    assert steps == [
        ("create", "member_a", ""),
        ("submit", "member_a", ""),
        ("return", "secretary_a", "目标不够具体，请写明次数"),
        ("submit", "member_a", ""),
        ("approve", "secretary_a", ""),
        ("publish", "secretary_a", ""),
        ("close", "staff_jy", "按期兑现，群众满意"),
    ]
    assert pledge.items.get().target == "每月1次，全年12次"


def test_a_secretary_of_branch_a_cannot_approve_a_pledge_of_branch_b(world, pl):
    member_b = world.members_b[0]
    member_b.user = UserFactory(username="member_b")
    member_b.save()
    pledge = pl.at(Status.SUBMITTED, member_b, author=member_b.user, approver=world.users.secretary_b)
    for action in ("approve", "return"):
        with pytest.raises(PermissionDenied):
            services.MOVE_SERVICES[action](pledge, world.users.secretary_a, reason="x")
    assert not workflow.is_approver(world.users.secretary_a, pledge)
    services.pledge_approve(pledge=pledge, by=world.users.secretary_b)
    assert Pledge.objects.get(pk=pledge.pk).status == Status.APPROVED


def test_a_member_cannot_approve_their_own_pledge_even_as_secretary(world, pl):
    u = world.users
    secretary_member = MemberFactory(org=world.branch_a, name="李书记", user=u.secretary_a)
    pledge = pl.at(Status.SUBMITTED, secretary_member, author=u.secretary_a, approver=u.staff_jy)
    with pytest.raises(PermissionDenied):
        services.pledge_approve(pledge=pledge, by=u.secretary_a)
    assert Pledge.objects.filter(pk=pledge.pk).approvable_by(u.secretary_a).count() == 0
    # The committee above approves it instead.
    services.pledge_approve(pledge=pledge, by=u.staff_jy)


def test_a_member_cannot_approve_or_move_a_branch_mates_pledge(world, pl):
    pledge = pl.at(Status.SUBMITTED, world.members_a[1], author=world.users.secretary_a)
    with pytest.raises(PermissionDenied):
        services.pledge_approve(pledge=pledge, by=world.users.member_a)


def test_a_secretary_writes_an_oral_pledge_for_a_frail_member_and_a_member_cannot_write_for_another(world, pl):
    frail = world.members_a[2]
    pledge = pl.draft(frail, by=world.users.secretary_a)
    assert pledge.is_oral and pledge.entered_by == world.users.secretary_a
    services.pledge_submit(pledge=pledge, by=world.users.secretary_a)
    with pytest.raises(PermissionDenied):
        pl.draft(world.members_a[1], by=world.users.member_a)


def test_an_org_pledge_is_approved_by_the_org_above(world, pl):
    u = world.users
    pledge = services.pledge_create(
        campaign=pl.campaign,
        owner_org=world.branch_a,
        data={"category": Category.LIVELIHOOD, "needs_notes": "座谈会收集意见8条"},
        items=[item("开展党员志愿服务", "每季度2次")],
        by=u.secretary_a,
    )
    services.pledge_submit(pledge=pledge, by=u.secretary_a)
    with pytest.raises(PermissionDenied):
        services.pledge_approve(pledge=pledge, by=u.secretary_a)  # its own branch's pledge
    with pytest.raises(PermissionDenied):
        services.pledge_approve(pledge=pledge, by=u.staff_zjl)  # another tree
    services.pledge_approve(pledge=pledge, by=u.staff_jy)
    with pytest.raises(ValidationError):
        services.pledge_create(
            campaign=pl.campaign,
            owner_org=world.branch_b,
            data={"category": Category.STUDY},
            items=[],
            by=u.secretary_b,
        )


def test_submitting_needs_items_and_needs_notes(world, pl):
    pledge = pl.draft(items=[], needs="")
    assert pledge.status == Status.NEEDS
    with pytest.raises(ValidationError):
        services.pledge_propose(pledge=pledge, by=world.users.member_a)
    services.pledge_update(pledge=pledge, data={}, items=[item()], by=world.users.member_a)
    pledge.refresh_from_db()
    assert pledge.status == Status.DRAFT  # adding items proposed them
    assert pledge.transitions.last().action == "propose"
    with pytest.raises(ValidationError, match="调研走访"):
        services.pledge_submit(pledge=pledge, by=world.users.member_a)


def test_return_and_close_need_a_reason_and_an_outcome(world, pl):
    pledge = pl.at(Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.pledge_return(pledge=pledge, reason="  ", by=world.users.secretary_a)
    services.pledge_approve(pledge=pledge, by=world.users.secretary_a)
    services.pledge_publish(pledge=pledge, by=world.users.secretary_a)
    with pytest.raises(ValidationError):
        services.pledge_close(pledge=pledge, outcome="", comment="很好", by=world.users.secretary_a)
    with pytest.raises(ValidationError):
        services.pledge_close(pledge=pledge, outcome=Outcome.KEPT, comment="", by=world.users.secretary_a)
    assert Pledge.objects.get(pk=pledge.pk).status == Status.PUBLISHED


def test_only_the_author_edits_and_only_while_editable(world, pl):
    pledge = pl.at(Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.pledge_update(pledge=pledge, data={}, items=[item()], by=world.users.member_a)
    draft = pl.draft(world.members_a[2], by=world.users.secretary_a)
    with pytest.raises(PermissionDenied):
        services.pledge_update(pledge=draft, data={}, items=[item()], by=world.users.member_a)


def test_items_need_a_target_and_a_date_inside_the_campaign(world, pl):
    with pytest.raises(ValidationError) as caught:
        pl.draft(items=[{"content": "学习", "target": "", "due_on": None}])
    assert "items" in caught.value.error_dict
    with pytest.raises(ValidationError):
        pl.draft(items=[item(days=400)])
    assert not Pledge.objects.exists()


def test_one_pledge_per_member_and_campaign(world, pl):
    pl.draft()
    with pytest.raises(ValidationError):
        pl.draft()


def test_notifications_on_submit_return_and_approve(world, pl):
    u = world.users
    pledge = pl.draft()
    services.pledge_submit(pledge=pledge, by=u.member_a)
    waiting = Notification.objects.get(kind=Notification.Kind.APPROVAL_WAITING)
    assert waiting.recipient == u.secretary_a and waiting.url == pledge.get_absolute_url()
    services.pledge_return(pledge=pledge, reason="请补充目标", by=u.secretary_a)
    returned = Notification.objects.get(kind=Notification.Kind.PLEDGE_RETURNED)
    assert returned.recipient == u.member_a and "请补充目标" in returned.message
    services.pledge_submit(pledge=pledge, by=u.member_a)
    services.pledge_approve(pledge=pledge, by=u.secretary_a)
    assert Notification.objects.get(kind=Notification.Kind.PLEDGE_APPROVED).recipient == u.member_a


def test_a_branch_without_a_secretary_is_approved_by_its_committee(world, campaign):
    hospital_user = UserFactory(username="doctor")
    doctor = world.hospital_members[0]
    doctor.user = hospital_user
    doctor.save()
    c = campaign.__class__.objects.create(
        org=world.zz, name="州直创先争优", starts_on=campaign.starts_on, ends_on=campaign.ends_on
    )
    pledge = services.pledge_create(
        campaign=c,
        owner_member=doctor,
        data={"category": Category.DUTY, "needs_notes": "门诊走访"},
        items=[item()],
        by=hospital_user,
    )
    services.pledge_submit(pledge=pledge, by=hospital_user)
    # Nobody holds a role on 人民医院党支部 or 州卫健委党总支: 州直机关工委's staff hear of it.
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["staff_zz"]


def test_history_records_each_change_with_items(world, pl):
    from audit.services import history_for

    pledge = pl.draft()
    services.pledge_update(
        pledge=pledge,
        data={"show_phone": True, "service_phone": "13900001111"},
        items=[{**item(), "id": pledge.items.get().pk, "target": "全年15次"}],
        by=world.users.member_a,
    )
    services.pledge_submit(pledge=pledge, by=world.users.member_a)
    entries = list(history_for(pledge))
    assert len(entries) == 3
    edit = entries[1]
    assert "全年15次" in edit.changes["pledge_items"]["new"] and "全年不少于12次" in edit.changes["pledge_items"]["old"]
    assert edit.changes["service_phone"]["new"] == "139****1111"  # kept masked, like members' phones
    assert entries[0].changes["status"]["new"] == str(Status.SUBMITTED.label)
