from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from activities import services
from activities.models import Activity, ActivityKind, ActivityPhoto, AttendanceStatus, ComplianceRule, Period
from activities.roster import expected_members
from audit.models import HistoryEntry
from audit.services import history_for
from branches.models import LeadershipPost, Post
from campaigns.models import Campaign, Carrier
from tests.factories import MemberFactory


def _picture(name="meeting.jpg", size=(800, 600)):
    buffer = BytesIO()
    Image.new("RGB", size, (180, 20, 20)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _data(**extra):
    return {"kind": ActivityKind.ASSEMBLY, "held_on": date(2025, 3, 12), **extra}


def test_logging_counts_come_from_the_attendance(world, logged):
    a, _b = logged
    a = Activity.objects.with_counts().get(pk=a.pk)
    assert (a.expected_count, a.present_count, a.leave_count) == (3, 2, 1)
    assert a.branch == world.branch_a
    # The host typed as a roster name is linked to that member; the text is kept as typed.
    assert (a.host, a.host_name) == (world.members_a[1], "刘建国")
    entry = history_for(a).get()
    assert entry.action == HistoryEntry.Action.CREATE
    assert entry.actor == world.users.secretary_a
    assert entry.changes["attendance"]["new"] == "应到 3，实到 2，请假 1，缺席 0"
    assert entry.changes["on_leave"]["new"] == "赵敏"


def test_the_roster_is_the_branch_party_members_or_the_committee(world):
    MemberFactory(org=world.branch_a, name="钱积极", stage="activist")
    MemberFactory(org=world.group_a, name="孙小组")
    assembly = [m.name for m in expected_members(world.branch_a, ActivityKind.ASSEMBLY)]
    assert sorted(assembly) == sorted(["张党员", "刘建国", "赵敏", "孙小组"])  # no activist, group members included
    assert [m.name for m in expected_members(world.group_a, ActivityKind.GROUP)] == ["孙小组"]
    LeadershipPost.objects.create(org=world.branch_a, member=world.members_a[1], post=Post.SECRETARY)
    assert [m.name for m in expected_members(world.branch_a, ActivityKind.COMMITTEE)] == ["刘建国"]


def test_a_secretary_cannot_log_for_a_sibling_branch(world):
    with pytest.raises(PermissionDenied):
        services.activity_create(
            org=world.branch_b,
            data=_data(),
            statuses={world.members_b[0].pk: AttendanceStatus.PRESENT},
            by=world.users.secretary_a,
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"held_on": "tomorrow"}, "held_on"),
        ({"kind": ActivityKind.GROUP, "org": "jy"}, "kind"),
    ],
)
def test_invalid_activities_are_refused_in_chinese(world, change, field):
    data = _data()
    org = world.branch_a
    if change.get("held_on") == "tomorrow":
        data["held_on"] = timezone.localdate() + timedelta(days=1)
    if change.get("org") == "jy":
        org, data["kind"] = world.jy, change["kind"]
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            org=org, data=data, statuses={world.members_a[0].pk: "present"}, by=world.users.staff_zz
        )
    assert field in error.value.error_dict
    assert not Activity.objects.exists()


def test_attendance_must_name_the_roster_and_someone_present(world):
    with pytest.raises(ValidationError, match="不在本次活动的应到名单内"):
        services.activity_create(
            org=world.branch_a,
            data=_data(),
            statuses={world.members_b[0].pk: AttendanceStatus.PRESENT},
            by=world.users.secretary_a,
        )
    with pytest.raises(ValidationError, match="请至少标记一人出席"):
        services.activity_create(
            org=world.branch_a,
            data=_data(),
            statuses={m.pk: AttendanceStatus.ABSENT for m in world.members_a},
            by=world.users.secretary_a,
        )


def test_carriers_must_belong_to_a_campaign_covering_the_branch(world):
    ours = Campaign.objects.create(
        org=world.jy, name="创先争优", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)
    )
    theirs = Campaign.objects.create(
        org=world.wj, name="医德医风", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)
    )
    good = Carrier.objects.create(campaign=ours, name="四争四创")
    bad = Carrier.objects.create(campaign=theirs, name="三好一满意")
    statuses = {world.members_a[0].pk: AttendanceStatus.PRESENT}
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            org=world.branch_a, data=_data(carriers=[bad]), statuses=statuses, by=world.users.secretary_a
        )
    assert "carriers" in error.value.error_dict
    activity = services.activity_create(
        org=world.branch_a, data=_data(carriers=[good]), statuses=statuses, by=world.users.secretary_a
    )
    assert list(activity.carriers.all()) == [good]


def test_editing_changes_statuses_and_writes_what_changed(world, logged):
    a, _b = logged
    zhang, liu, zhao = world.members_a
    services.activity_update(
        activity=a,
        data=_data(title="学习新党章（补记）", host="刘建国", recorder="赵敏"),
        statuses={zhang.pk: "present", liu.pk: "absent", zhao.pk: "present"},
        by=world.users.secretary_a,
    )
    a = Activity.objects.with_counts().get(pk=a.pk)
    assert (a.expected_count, a.present_count, a.leave_count) == (3, 2, 0)
    entry = history_for(a).filter(action=HistoryEntry.Action.UPDATE).get()
    assert set(entry.changes) >= {"title", "attendance", "absent", "on_leave"}
    assert entry.changes["absent"] == {"label": entry.changes["absent"]["label"], "old": "", "new": "刘建国"}


def test_editing_cannot_add_someone_who_was_not_expected(world, logged):
    a, _b = logged
    newcomer = MemberFactory(org=world.branch_a, name="新党员")
    with pytest.raises(ValidationError):
        services.activity_update(
            activity=a,
            data=_data(),
            statuses={newcomer.pk: "present"},
            by=world.users.secretary_a,
        )


def test_photos_are_processed_and_noted_in_the_history(world, logged):
    a, _b = logged
    photos = services.activity_add_photos(
        activity=a, uploads=[_picture(), _picture("2.jpg")], by=world.users.secretary_a
    )
    assert len(photos) == 2
    with Image.open(photos[0].thumbnail.path) as thumb:
        assert thumb.size == services.PHOTO_THUMBNAIL
    assert history_for(a).first().changes["photos"]["new"] == "2"
    bad = SimpleUploadedFile("notes.jpg", b"not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.activity_add_photos(activity=a, uploads=[bad], by=world.users.secretary_a)
    assert ActivityPhoto.objects.filter(activity=a).count() == 2
    services.activity_remove_photo(photo=photos[0], by=world.users.secretary_a)
    assert history_for(a).first().changes["photos"] == {
        "label": history_for(a).first().changes["photos"]["label"],
        "old": "2",
        "new": "1",
    }


def test_deleting_keeps_a_history_row(world, logged):
    a, _b = logged
    pk = a.pk
    services.activity_delete(activity=a, by=world.users.secretary_a)
    assert not Activity.objects.filter(pk=pk).exists()
    assert HistoryEntry.objects.filter(object_id=str(pk), action=HistoryEntry.Action.DELETE).exists()


def test_committee_staff_set_rules_for_their_subtree_only(world):
    data = {"kind": ActivityKind.LECTURE, "period": Period.MONTH, "minimum": 1, "applies_to": "all", "is_active": True}
    rule = services.rule_create(owner=world.jy, data=data, by=world.users.staff_jy)
    assert history_for(rule).get().action == HistoryEntry.Action.CREATE
    with pytest.raises(PermissionDenied):
        services.rule_create(owner=world.wj, data=data, by=world.users.staff_jy)
    with pytest.raises(PermissionDenied):  # a secretary manages a branch but sets no rules
        services.rule_create(owner=world.branch_a, data=data, by=world.users.secretary_a)
    with pytest.raises(ValidationError):  # one rule per org and kind
        services.rule_create(owner=world.jy, data=data, by=world.users.staff_zz)
    services.rule_update(rule=rule, data={**data, "minimum": 2}, by=world.users.staff_zz)
    assert history_for(rule).first().changes["minimum"]["new"] == "2"
    default = ComplianceRule.objects.get(owner=None, kind=ActivityKind.ASSEMBLY)
    with pytest.raises(PermissionDenied):
        services.rule_update(rule=default, data={**data, "kind": ActivityKind.ASSEMBLY}, by=world.users.staff_zz)
