"""The development pipeline: one dated step at a time, dates of joining and confirmation follow."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.services import history_for
from members import services
from members.models import Member, Stage, StageStep
from tests.factories import MemberFactory


@pytest.fixture
def applicant(world):
    member = MemberFactory(org=world.branch_a, name="新申请人", stage=Stage.APPLICANT)
    StageStep.objects.create(member=member, stage=Stage.APPLICANT, on=date(2022, 3, 1))
    return member


def advance(member, on, by, note=""):
    return services.member_advance_stage(member=member, on=on, by=by, note=note)


def test_walking_the_whole_pipeline_records_each_step(world, applicant):
    by = world.users.secretary_a
    for on in (date(2022, 9, 1), date(2023, 3, 1), date(2023, 7, 1), date(2024, 7, 1)):
        member = advance(applicant, on, by)
    assert member.stage == Stage.FULL
    assert member.joined_on == date(2023, 7, 1)
    assert member.confirmed_on == date(2024, 7, 1)
    steps = list(StageStep.objects.filter(member=member).order_by("on").values_list("stage", flat=True))
    assert steps == [Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL]
    assert history_for(member).filter(action="update").count() == 4


def test_a_full_member_cannot_advance(world):
    with pytest.raises(ValidationError):
        advance(world.members_a[1], date(2024, 1, 1), world.users.secretary_a)


def test_a_step_cannot_be_dated_before_the_previous_one_or_in_the_future(world, applicant):
    with pytest.raises(ValidationError) as exc:
        advance(applicant, date(2021, 1, 1), world.users.secretary_a)
    assert "on" in exc.value.error_dict
    with pytest.raises(ValidationError):
        advance(applicant, timezone.localdate() + timedelta(days=1), world.users.secretary_a)
    assert Member.objects.get(pk=applicant.pk).stage == Stage.APPLICANT


def test_advancing_through_the_page(world, login, applicant):
    client = login(world.users.secretary_a)
    response = client.post(
        reverse("members:member_advance", args=[applicant.pk]), {"on": "2022-10-01", "note": "支委会确定"}
    )
    assert response.status_code == 302
    assert Member.objects.get(pk=applicant.pk).stage == Stage.ACTIVIST
    page = client.get(applicant.get_absolute_url()).content.decode()
    assert "支委会确定" in page


def test_a_bad_date_on_the_page_is_explained(world, login, applicant):
    response = login(world.users.secretary_a).post(
        reverse("members:member_advance", args=[applicant.pk]), {"on": "2020-01-01"}
    )
    assert response.status_code == 400
    assert "2022-03-01" in response.content.decode()
    assert Member.objects.get(pk=applicant.pk).stage == Stage.APPLICANT


def test_a_correction_moves_back_and_drops_later_steps(world, login, applicant):
    by = world.users.secretary_a
    member = advance(applicant, date(2022, 9, 1), by)
    member = advance(member, date(2023, 3, 1), by)
    response = login(by).post(
        reverse("members:member_correct_stage", args=[member.pk]),
        {"stage": Stage.ACTIVIST, "on": "2022-09-01", "note": "误录为发展对象"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.stage == Stage.ACTIVIST
    assert not StageStep.objects.filter(member=member, stage=Stage.CANDIDATE).exists()
    assert "误录为发展对象" in history_for(member).first().note


def test_a_correction_needs_a_reason(world, login, applicant):
    response = login(world.users.secretary_a).post(
        reverse("members:member_correct_stage", args=[applicant.pk]),
        {"stage": Stage.FULL, "on": "2022-09-01", "note": ""},
    )
    assert response.status_code == 200
    assert Member.objects.get(pk=applicant.pk).stage == Stage.APPLICANT
