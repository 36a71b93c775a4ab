"""The member page: who sees it, who sees the full ID number, the timeline and the history."""

import pytest
from django.urls import reverse

from members import services
from members.idcard import mask
from members.models import Member


def detail(member):
    return reverse("members:member_detail", args=[member.pk])


@pytest.mark.parametrize("who", ["secretary_a", "staff_jy", "staff_zz", "admin"])
def test_managers_see_the_full_id_number(world, login, who):
    member = world.members_a[1]
    page = login(getattr(world.users, who)).get(detail(member)).content.decode()
    assert member.id_number in page


def test_the_member_sees_their_own_record_with_the_id_masked(world, login):
    member = world.members_a[0]
    response = login(world.users.member_a).get(reverse("members:me"))
    assert response.status_code == 200
    page = response.content.decode()
    assert member.name in page
    assert member.id_number not in page
    assert member.masked_id_number in page
    assert reverse("members:member_edit", args=[member.pk]) not in page


def test_a_contact_point_leader_reads_linked_members_masked(world, login):
    member = world.members_b[0]
    response = login(world.users.leader_c).get(detail(member))
    assert response.status_code == 200
    page = response.content.decode()
    assert member.id_number not in page
    assert member.masked_id_number in page


def test_history_hides_id_numbers_from_those_who_may_not_see_them(world, login):
    member = world.members_a[0]
    old = member.id_number
    new = "11010519491231002X"
    services.member_update(
        member=member, data={"id_number": new, "birth_date": None, "gender": ""}, by=world.users.admin
    )
    own_page = login(world.users.member_a).get(reverse("members:me")).content.decode()
    assert new not in own_page and old not in own_page
    assert "1101**********002X" in own_page
    manager_page = login(world.users.secretary_a).get(detail(member)).content.decode()
    # The manager sees the current number in full; the history keeps ID numbers masked only.
    assert new in manager_page and old not in manager_page
    assert mask(old) in manager_page


def test_a_member_gets_404_on_anyone_else(world, login):
    client = login(world.users.member_a)
    assert client.get(detail(world.members_a[1])).status_code == 404
    assert client.get(detail(world.members_b[0])).status_code == 404


def test_missing_and_foreign_members_look_the_same(world, login):
    client = login(world.users.secretary_a)
    foreign = client.get(detail(world.members_b[0]))
    missing = client.get(reverse("members:member_detail", args=[999999]))
    assert foreign.status_code == missing.status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("members:member_detail", "get"),
        ("members:member_edit", "get"),
        ("members:member_edit", "post"),
        ("members:member_advance", "post"),
        ("members:member_correct_stage", "get"),
        ("members:member_correct_stage", "post"),
        ("members:member_photo", "get"),
        ("members:member_photo", "post"),
        ("members:issue_login", "get"),
        ("members:issue_login", "post"),
    ],
)
def test_secretary_of_a_gets_404_on_every_page_and_action_of_branch_b(world, login, name, method):
    member = world.members_b[0]
    before = Member.objects.values().get(pk=member.pk)
    client = login(world.users.secretary_a)
    response = getattr(client, method)(reverse(name, args=[member.pk]), {"name": "改名", "on": "2020-01-01"})
    assert response.status_code == 404
    assert Member.objects.values().get(pk=member.pk) == before


def test_secretary_of_a_cannot_issue_logins_for_branch_b(world, login):
    client = login(world.users.secretary_a)
    url = reverse("members:issue_logins", args=[world.branch_b.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Member.objects.filter(org=world.branch_b, user__isnull=False).exists()


def test_the_timeline_shows_each_reached_step_with_its_date(world, login):
    from datetime import date

    from members.models import Stage

    member = services.member_create(
        data={
            "org": world.branch_a,
            "name": "钱进",
            "id_number": "11010519491231002X",
            "stage": Stage.APPLICANT,
            "stage_on": date(2023, 9, 1),
        },
        by=world.users.secretary_a,
    )
    services.member_advance_stage(member=member, on=date(2024, 3, 1), by=world.users.secretary_a, note="支部推荐")
    page = login(world.users.secretary_a).get(detail(member)).content.decode()
    assert "2024-03-01" in page and "支部推荐" in page
    timeline = page[page.index('class="xf-timeline"') :]
    assert timeline.index("入党申请人") < timeline.index("入党积极分子") < timeline.index("发展对象")
    assert "2023-09-01" in timeline


def test_the_page_shows_login_status_and_actions_to_managers_only(world, login):
    member = world.members_a[0]
    manager_page = login(world.users.secretary_a).get(detail(member)).content.decode()
    assert "member_a" in manager_page
    assert reverse("members:issue_login", args=[member.pk]) in manager_page
    own_page = login(world.users.member_a).get(detail(member)).content.decode()
    assert reverse("members:issue_login", args=[member.pk]) not in own_page


def test_history_shows_a_new_photo_not_a_file_path(world, login, make_picture):
    member = world.members_a[1]
    services.member_set_photo(member=member, upload=make_picture(), by=world.users.secretary_a)
    member.refresh_from_db()
    page = login(world.users.secretary_a).get(detail(member)).content.decode()
    history = page[page.index("xf-history") :]
    assert "新照片" in history
    assert member.photo.name not in history


def test_a_secretary_of_one_branch_gets_it_preselected_when_adding(world, login):
    response = login(world.users.secretary_a).get(reverse("members:member_create"))
    assert response.context["form"].chosen_org == world.branch_a
