"""Appraisals in the named world: branch A's members all have logins, so they can grade each other."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from appraisals import services
from appraisals.models import Title
from tests.factories import UserFactory


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def voters(world):
    """member_a (张党员) plus logins for 刘建国 and 赵敏."""
    users = [world.users.member_a]
    for member, username in zip(world.members_a[1:], ("liujianguo", "zhaomin"), strict=True):
        member.user = UserFactory(username=username, full_name=member.name)
        member.save()
        users.append(member.user)
    return users


@pytest.fixture
def round_a(world, voters, year):
    """Branch A's appraisal this year, opened by its secretary, at self-appraisal."""
    return services.appraisal_open(org=world.branch_a, year=year, by=world.users.secretary_a)


@pytest.fixture
def at_peer(round_a, world):
    return services.appraisal_move(appraisal_round=round_a, action="open_peer", by=world.users.secretary_a)


def entries_by_name(appraisal_round):
    return {e.member.name: e for e in appraisal_round.entries.select_related("member")}


def grade_others(appraisal_round, user, grade_of):
    """Hand in ``user``'s ballot: grade_of(name) -> grade for every other member."""
    entries = entries_by_name(appraisal_round)
    me = user.member.name
    grades = {e.pk: grade_of(name) for name, e in entries.items() if name != me}
    return services.peer_grading_submit(appraisal_round=appraisal_round, grades=grades, by=user)


@pytest.fixture
def selection_jy(world, year):
    """州教育局党委's 优秀共产党员 this year, with the default five-step chain, started."""
    sel = services.selection_create(owner=world.jy, title=Title.EXCELLENT_MEMBER, year=year, by=world.users.staff_jy)
    return sel


def started(selection, by):
    return services.selection_start(selection=selection, by=by)


def pass_steps(candidate, steps, by, *, n=None):
    for step in steps[: len(steps) if n is None else n]:
        services.step_decide(candidate=candidate, step=step, opinion="同意", passed=True, votes_for=20, by=by)
        candidate.refresh_from_db()
    return candidate


@pytest.fixture
def ns():
    return SimpleNamespace()
