import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Activity, ActivityKind, AttendanceStatus
from activities.reminders import send_due_reminders
from branches.models import LeadershipPost, Post, Role
from campaigns.models import Campaign, Carrier
from notifications.models import Notification
from tests.factories import MemberFactory, UserFactory, grant, make_org


def test_secretary_logs_with_everyone_present_but_the_exceptions(world, login):
    client = login(world.users.secretary_a)
    page = client.get(reverse("activities:activity_create"))
    # One branch: no need to search for it; everyone is listed as present.
    assert page.context["org"] == world.branch_a
    html = page.content.decode()
    for member in world.members_a:
        assert f'name="att-{member.pk}" id="att-{member.pk}-present" value="present" checked' in html
    zhao = world.members_a[2]
    response = client.post(
        reverse("activities:activity_create"),
        {
            "org": world.branch_a.pk,
            "kind": ActivityKind.ASSEMBLY,
            "held_on": "2025-06-30",
            "starts_at": "15:00",
            "place": "会议室",
            "host": "刘建国",
            f"att-{zhao.pk}": AttendanceStatus.LEAVE,
        },
    )
    activity = Activity.objects.with_counts().get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert (activity.expected_count, activity.present_count, activity.leave_count) == (3, 2, 1)
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert "66.7%" in detail  # 2 of 3 present


def test_switching_to_a_committee_meeting_reloads_the_roster(world, login):
    LeadershipPost.objects.create(org=world.branch_a, member=world.members_a[1], post=Post.SECRETARY)
    client = login(world.users.secretary_a)
    response = client.get(
        reverse("activities:activity_create"),
        {"org": world.branch_a.pk, "kind": ActivityKind.COMMITTEE},
        headers={"HX-Request": "true", "HX-Target": "attendance"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="attendance"')
    assert "刘建国" in html and "赵敏" not in html


def test_a_form_error_keeps_what_was_marked(world, login):
    client = login(world.users.secretary_a)
    zhao = world.members_a[2]
    response = client.post(
        reverse("activities:activity_create"),
        {"org": world.branch_a.pk, "kind": ActivityKind.ASSEMBLY, "held_on": "", f"att-{zhao.pk}": "absent"},
    )
    assert response.status_code == 200
    assert f'id="att-{zhao.pk}-absent" value="absent" checked' in response.content.decode()
    assert not Activity.objects.exists()


def test_list_filters_and_scope(world, login, logged, log_activity):
    log_activity(world.branch_a, ActivityKind.LECTURE, date(2025, 5, 9), present=world.members_a, title="党课：初心")
    client = login(world.users.secretary_a)
    url = reverse("activities:activity_list")
    html = client.get(url).content.decode()
    assert "学习新党章" in html and "党课：初心" in html and "第二中学党员大会" not in html
    assert "党课：初心" not in client.get(url, {"kind": ActivityKind.ASSEMBLY}).content.decode()
    assert "学习新党章" not in client.get(url, {"start": "2025-04-01"}).content.decode()
    assert "学习新党章" in client.get(url, {"q": "会议室"}).content.decode()
    rows = client.get(url, {"q": "初心"}, headers={"HX-Request": "true", "HX-Target": "activity-rows"})
    assert rows.content.decode().lstrip().startswith('<div id="activity-rows"')


def test_carrier_filter(world, login, logged):
    campaign = Campaign.objects.create(
        org=world.jy, name="创先争优", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)
    )
    carrier = Carrier.objects.create(campaign=campaign, name="四争四创")
    other = Carrier.objects.create(campaign=campaign, name="一校一品")
    a, _b = logged
    a.carriers.add(carrier, other)
    client = login(world.users.secretary_a)
    html = client.get(reverse("activities:activity_list"), {"carrier": carrier.pk}).content.decode()
    assert html.count("学习新党章") == 1
    unused = Carrier.objects.create(campaign=campaign, name="两培两带")
    assert "学习新党章" not in client.get(reverse("activities:activity_list"), {"carrier": unused.pk}).content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_list_queries_do_not_grow_with_rows(world, login, log_activity, rows, django_assert_max_num_queries):
    campaign = Campaign.objects.create(
        org=world.jy, name="创先争优", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)
    )
    carrier = Carrier.objects.create(campaign=campaign, name="四争四创")
    for i in range(rows):
        activity = log_activity(
            world.branch_a, ActivityKind.THEME_DAY, date(2025, 1, 1 + i % 28), present=world.members_a
        )
        activity.carriers.add(carrier)
    client = login(world.users.staff_zz)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("activities:activity_list"))
    assert len(response.context["activities"]) == min(rows, 30)


@pytest.mark.parametrize("rows", [1, 50])
def test_my_activities_queries_do_not_grow(world, login, log_activity, rows, django_assert_max_num_queries):
    for i in range(rows):
        log_activity(world.branch_a, ActivityKind.THEME_DAY, date(2025, 2, 1 + i % 28), present=world.members_a)
    client = login(world.users.member_a)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("activities:mine"))
    assert response.context["summary"]["expected"] == rows


def test_export_has_the_filters_and_neutralizes_formulas(world, login, logged, log_activity):
    log_activity(world.branch_a, ActivityKind.OTHER, date(2025, 3, 20), present=world.members_a, title="=1+2")
    client = login(world.users.secretary_a)
    response = client.get(reverse("activities:activity_export"), {"start": "2025-03-01"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # header + two of branch A
    titles = {row[4] for row in rows[1:]}
    assert titles == {"'=1+2", "学习新党章"}
    logged_row = next(row for row in rows if row[4] == "学习新党章")
    assert logged_row[8:12] == (3, 2, 1, 0)


def test_member_sees_their_rate_and_the_activities_they_were_at(world, login, logged, log_activity):
    zhang = world.members_a[0]
    log_activity(world.branch_a, ActivityKind.LECTURE, date(2025, 4, 1), leave=[zhang])
    log_activity(world.branch_a, ActivityKind.THEME_DAY, date(2025, 4, 2), absent=[zhang], present=world.members_a[1:])
    log_activity(world.branch_a, ActivityKind.THEME_DAY, date(2025, 4, 3), present=world.members_a[1:])  # not expected
    client = login(world.users.member_a)
    response = client.get(reverse("activities:mine"))
    assert response.context["summary"] == {"expected": 3, "present": 1, "leave": 1, "absent": 1}
    html = response.content.decode()
    assert "33.3%" in html
    a, b = logged
    assert client.get(a.get_absolute_url()).status_code == 200  # was expected there
    assert client.get(b.get_absolute_url()).status_code == 404
    # A member with no org role is sent from the log to their own page.
    assert client.get(reverse("activities:activity_list"))["Location"] == reverse("activities:mine")


def test_compliance_page_lists_the_branches_falling_short(world, login, log_activity):
    for day in (date(2025, 2, 3), date(2025, 5, 3), date(2025, 8, 3), date(2025, 11, 3)):
        log_activity(world.branch_a, ActivityKind.ASSEMBLY, day, present=world.members_a)
        log_activity(world.branch_a, ActivityKind.LECTURE, day, present=world.members_a)
    world.group_a.is_active = False  # so A has no 党小组会 to hold
    world.group_a.save()
    client = login(world.users.staff_jy)
    response = client.get(reverse("activities:compliance"), {"range": "2025", "sort": "name"})
    assert response.status_code == 200
    names = [r.branch.name for r in response.context["page_obj"].object_list]
    assert names == ["第二中学党支部"]
    assert response.context["met_all"] == 1
    assert response.context["chart"]["short"] == [1, 1]


def test_calendar_shows_the_month_and_the_year_strip(world, login, logged):
    client = login(world.users.secretary_a)
    assert client.get(reverse("activities:calendar_home"))["Location"] == reverse(
        "activities:calendar", kwargs={"org_pk": world.branch_a.pk}
    )
    response = client.get(
        reverse("activities:calendar", args=[world.branch_a.pk]), {"month": "2025-03", "range": "2025"}
    )
    assert response.status_code == 200
    assert [a.title for a in response.context["activities"]] == ["学习新党章"]
    march = next(s for s in response.context["strip"] if s["month"] == date(2025, 3, 1))
    # One 大会 in March meets the first quarter, but no 党课 that quarter and no 党小组会 that month.
    assert march["total"] == 1 and march["state"] == "missed"
    assembly = next(row for row in response.context["matrix"] if row["rule"].kind == ActivityKind.ASSEMBLY)
    assert [(item["cell"].state, item["span"]) for item in assembly["cells"]][0] == ("met", 3)
    group = client.get(reverse("activities:calendar", args=[world.group_a.pk]))
    assert group["Location"].startswith(reverse("activities:calendar", args=[world.branch_a.pk]))


def test_rules_pages_for_staff_with_history(world, login):
    client = login(world.users.staff_jy)
    assert "支部党员大会" in client.get(reverse("activities:rule_list")).content.decode()
    response = client.post(
        reverse("activities:rule_create"),
        {
            "owner": world.jy.pk,
            "kind": ActivityKind.LECTURE,
            "period": "month",
            "minimum": 1,
            "applies_to": "all",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    edit = client.get(response["Location"])
    assert edit.context["history"]
    # Secretaries read the rules but change none.
    secretary = login(world.users.secretary_a)
    assert secretary.get(reverse("activities:rule_create"))["Location"] == reverse("activities:rule_list")
    assert secretary.post(reverse("activities:rule_create"), {"owner": world.jy.pk}).status_code == 302


def test_reminders_reach_the_secretary_once_near_the_end_of_a_period(world):
    organizer = UserFactory(username="organizer_a")
    grant(organizer, world.branch_a, Role.ORGANIZER)
    # The second quarter and June end in five days: no 大会, 党课 or 党小组会 held.
    near_end = date(2025, 6, 25)
    sent = send_due_reminders(today=near_end)
    notes = Notification.objects.filter(recipient=world.users.secretary_a, kind=Notification.Kind.ACTIVITY_DUE)
    assert notes.count() == 3
    assert Notification.objects.filter(recipient=organizer).count() == 3
    assert "第一中学党支部" in notes.first().message
    assert notes.first().url.startswith(reverse("activities:activity_create"))
    assert sent == 3 + 3 + 2  # secretary and organizer of A; secretary of B (no groups there)
    assert send_due_reminders(today=near_end) == 0  # idempotent while unread
    assert send_due_reminders(today=date(2025, 6, 10)) == 0  # too early in the quarter


def test_reminders_command_runs(world, capsys):
    call_command("activity_reminders")
    assert "活动提醒" in capsys.readouterr().out


def test_a_new_branch_and_its_groups_can_log_a_group_meeting(world, login):
    group_member = MemberFactory(org=world.group_a, name="孙小组")
    client = login(world.users.secretary_a)
    response = client.post(
        reverse("activities:activity_create"),
        {"org": world.group_a.pk, "kind": ActivityKind.GROUP, "held_on": "2025-06-03"},
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.branch == world.branch_a
    assert list(activity.attendances.values_list("member_id", flat=True)) == [group_member.pk]
    other = make_org("新支部", parent=world.jy, code="ZZ-JY-99")
    assert client.get(reverse("activities:activity_create"), {"org": other.pk}).status_code == 404


def test_editing_through_the_page_keeps_the_roster_and_records_the_change(world, login, logged):
    a, _b = logged
    zhang, liu, zhao = world.members_a
    client = login(world.users.secretary_a)
    page = client.get(reverse("activities:activity_edit", args=[a.pk]))
    assert f'id="att-{zhao.pk}-leave" value="leave" checked' in page.content.decode()
    response = client.post(
        reverse("activities:activity_edit", args=[a.pk]),
        {"kind": ActivityKind.ASSEMBLY, "held_on": "2025-03-12", "title": "学习新党章", f"att-{zhao.pk}": "present"},
    )
    assert response.status_code == 302
    a = Activity.objects.with_counts().get(pk=a.pk)
    assert (a.present_count, a.leave_count) == (3, 0)
    detail = client.get(a.get_absolute_url()).content.decode()
    assert "应到 3，实到 2，请假 1，缺席 0" in detail and "应到 3，实到 3，请假 0，缺席 0" in detail


def test_photos_through_the_page(world, login, logged):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from portal.media import file_url

    a, _b = logged
    buffer = BytesIO()
    Image.new("RGB", (640, 480), (10, 120, 10)).save(buffer, format="PNG")
    upload = SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")
    client = login(world.users.secretary_a)
    client.post(reverse("activities:photo_add", args=[a.pk]), {"photos": [upload]})
    photo = a.photos.get()
    html = client.get(a.get_absolute_url()).content.decode()
    assert file_url(photo.thumbnail) in html  # a signed URL, never the plain media path
    client.post(reverse("activities:photo_delete", args=[a.pk, photo.pk]))
    assert not a.photos.exists()
    # A member who attended sees the activity but cannot change it.
    member = login(world.users.member_a)
    assert member.post(reverse("activities:activity_delete", args=[a.pk])).status_code == 404
