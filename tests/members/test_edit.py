"""Adding and editing members: ID validation, derived fields, typed values kept, history."""

from datetime import date

import pytest
from django.urls import reverse

from audit.services import history_for
from members.models import Member, Stage, StageStep

CREATE = reverse("members:member_create")
VALID_ID = "11010519491231002X"  # a woman born 1949-12-31


def form_data(org, **overrides):
    data = {
        "org": org.pk,
        "name": "钱学英",
        "id_number": VALID_ID,
        "gender": "",
        "birth_date": "",
        "ethnicity": "汉族",
        "education": "university",
        "stage": Stage.FULL,
        "joined_on": "1975-07-01",
        "confirmed_on": "1976-07-01",
        "work_unit": "第一中学 教师",
        "party_post": "",
        "phone": "13912340000",
    }
    data.update(overrides)
    return data


def test_a_new_member_gets_birth_date_and_gender_from_the_id_number(world, login):
    response = login(world.users.secretary_a).post(CREATE, form_data(world.branch_a))
    member = Member.objects.get(id_number=VALID_ID)
    assert response.status_code == 302
    assert response["Location"] == member.get_absolute_url()
    assert member.birth_date == date(1949, 12, 31)
    assert member.gender == "female"
    assert member.org == world.branch_a
    assert history_for(member).filter(action="create").exists()


def test_lower_case_x_and_full_width_digits_are_accepted(world, login):
    login(world.users.secretary_a).post(
        CREATE, form_data(world.branch_a, id_number="１１０１０５１９４９１２３１００２x")
    )
    assert Member.objects.filter(id_number=VALID_ID).exists()


def test_a_wrong_check_digit_is_a_field_error_and_the_form_keeps_what_was_typed(world, login):
    response = login(world.users.secretary_a).post(
        CREATE, form_data(world.branch_a, id_number="110105194912310021", name="钱学英", work_unit="某某单位")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "校验位" in page
    assert 'value="110105194912310021"' in page
    assert 'value="某某单位"' in page
    assert 'value="钱学英"' in page
    assert "第一中学党支部" in page  # the chosen organization is still shown
    assert not Member.objects.filter(name="钱学英").exists()


def test_a_birth_date_contradicting_the_id_is_a_field_error(world, login):
    response = login(world.users.secretary_a).post(CREATE, form_data(world.branch_a, birth_date="1950-01-01"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "birth_date" in errors and "1949-12-31" in errors["birth_date"][0]
    assert 'value="1950-01-01"' in response.content.decode()


def test_a_gender_contradicting_the_id_is_a_field_error(world, login):
    response = login(world.users.secretary_a).post(CREATE, form_data(world.branch_a, gender="male"))
    assert "gender" in response.context["form"].errors
    assert not Member.objects.filter(id_number=VALID_ID).exists()


def test_a_duplicate_id_number_is_refused(world, login):
    existing = world.members_b[0]
    response = login(world.users.secretary_a).post(
        CREATE, form_data(world.branch_a, id_number=existing.id_number, joined_on="", confirmed_on="")
    )
    assert "id_number" in response.context["form"].errors


def test_an_org_outside_the_scope_cannot_be_chosen(world, login):
    response = login(world.users.secretary_a).post(CREATE, form_data(world.branch_b))
    assert "org" in response.context["form"].errors
    assert not Member.objects.filter(id_number=VALID_ID).exists()


def test_confirmation_before_joining_is_refused(world, login):
    response = login(world.users.secretary_a).post(
        CREATE, form_data(world.branch_a, joined_on="1980-01-01", confirmed_on="1979-01-01")
    )
    assert "confirmed_on" in response.context["form"].errors


def test_a_full_member_gets_dated_joining_and_confirmation_steps(world, login):
    login(world.users.secretary_a).post(CREATE, form_data(world.branch_a))
    member = Member.objects.get(id_number=VALID_ID)
    steps = dict(StageStep.objects.filter(member=member).values_list("stage", "on"))
    assert steps == {Stage.PROBATIONARY: date(1975, 7, 1), Stage.FULL: date(1976, 7, 1)}


def test_editing_writes_old_and_new_values_into_the_history(world, login):
    member = world.members_a[1]
    url = reverse("members:member_edit", args=[member.pk])
    client = login(world.users.secretary_a)
    data = form_data(
        world.branch_a,
        name=member.name,
        id_number=member.id_number,
        phone="13700001111",
        joined_on="",
        confirmed_on="",
        is_retired="on",
    )
    data.pop("stage")
    old_phone = member.phone
    response = client.post(url, data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "13700001111" and member.is_retired
    entry = history_for(member).filter(action="update").first()
    assert entry.actor == world.users.secretary_a
    # Phones are kept in the history masked (个人信息保护法); the manager sees the current one.
    assert entry.changes["phone"]["old"] == old_phone[:3] + "****" + old_phone[-4:]
    assert entry.changes["phone"]["new"] == "137****1111"
    page = client.get(member.get_absolute_url()).content.decode()
    assert old_phone not in page and "13700001111" in page


def test_edit_errors_keep_the_typed_values_and_change_nothing(world, login):
    member = world.members_a[1]
    before = Member.objects.values().get(pk=member.pk)
    data = form_data(world.branch_a, name="新名字", id_number="123", phone="abc")
    data.pop("stage")
    response = login(world.users.secretary_a).post(reverse("members:member_edit", args=[member.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="新名字"' in page and 'value="123"' in page
    assert {"id_number", "phone"} <= set(response.context["form"].errors)
    assert Member.objects.values().get(pk=member.pk) == before


def test_the_org_search_offers_only_managed_orgs(world, login):
    response = login(world.users.staff_jy).get(reverse("members:org_search"), {"org_q": "中学", "target": "form"})
    page = response.content.decode()
    assert "第一中学党支部" in page and "第二中学党支部" in page
    response = login(world.users.secretary_a).get(reverse("members:org_search"), {"org_q": "中学"})
    page = response.content.decode()
    assert "第一中学党支部" in page and "第二中学党支部" not in page


@pytest.mark.parametrize("who", ["member_a", "leader_c", "outsider"])
def test_people_who_manage_nothing_cannot_add_members(world, login, who):
    assert login(getattr(world.users, who)).post(CREATE, form_data(world.branch_a)).status_code == 404
    assert not Member.objects.filter(id_number=VALID_ID).exists()
