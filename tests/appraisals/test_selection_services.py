"""选树先进典型: the chain enforces its order, decisions are written once, the honour and its counts."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisals import services
from appraisals.models import CandidateKind, CriteriaSet, Outcome, StepDecision, Title
from appraisals.stats import honour_counts

from .conftest import pass_steps, started


def steps_of(selection):
    return list(selection.steps.order_by("position"))


def test_a_new_selection_gets_the_street_committees_five_steps(selection_jy, world):
    names = [s.name for s in steps_of(selection_jy)]
    assert names == ["民主推荐", "民主评议", "支部申报", "上级党组织考核", "审批"]
    assert steps_of(selection_jy)[-1].body == world.jy.name
    assert selection_jy.candidate_kind == CandidateKind.MEMBER
    assert selection_jy.criteria == CriteriaSet.FIVE_MODELS


def test_the_chain_enforces_its_order(selection_jy, world):
    staff = world.users.staff_jy
    candidate = services.candidate_add(selection=selection_jy, member=world.members_a[1], by=staff)
    steps = steps_of(selection_jy)
    with pytest.raises(ValidationError, match="进行中"):
        services.step_decide(candidate=candidate, step=steps[0], opinion="同意", passed=True, by=staff)
    started(selection_jy, staff)
    # Step 2 before step 1, the last before the rest: refused, nothing written.
    for step in (steps[1], steps[4]):
        with pytest.raises(ValidationError, match="须先通过“民主推荐”"):
            services.step_decide(candidate=candidate, step=step, opinion="同意", passed=True, by=staff)
    assert not StepDecision.objects.exists()
    pass_steps(candidate, steps, staff, n=2)
    # Step 1 again: decided once, never changed.
    with pytest.raises(ValidationError, match="已在“民主推荐”环节作出决定"):
        services.step_decide(candidate=candidate, step=steps[0], opinion="改判", passed=False, by=staff)
    with pytest.raises(ValidationError, match="须先通过“支部申报”"):
        services.step_decide(candidate=candidate, step=steps[3], opinion="同意", passed=True, by=staff)
    pass_steps(candidate, steps[2:], staff)
    assert candidate.outcome == Outcome.HONOURED and candidate.honoured_on is not None
    assert [d.step.name for d in candidate.decisions.select_related("step").order_by("step__position")] == [
        s.name for s in steps
    ]
    assert all(d.decided_by == staff for d in candidate.decisions.all())


def test_failing_a_step_ends_the_candidacy(selection_jy, world):
    staff = world.users.staff_jy
    candidate = services.candidate_add(selection=selection_jy, member=world.members_a[2], by=staff)
    started(selection_jy, staff)
    steps = steps_of(selection_jy)
    services.step_decide(
        candidate=candidate, step=steps[0], opinion="票数未过半", passed=False, votes_for=3, votes_against=12, by=staff
    )
    candidate.refresh_from_db()
    assert candidate.outcome == Outcome.NOT_SELECTED
    with pytest.raises(ValidationError, match="未通过此前的环节"):
        services.step_decide(candidate=candidate, step=steps[1], opinion="同意", passed=True, by=staff)


def test_only_the_organizers_managers_decide_and_the_chain_changes_only_before_the_start(selection_jy, world):
    candidate = services.candidate_add(selection=selection_jy, member=world.members_a[0], by=world.users.staff_zz)
    with pytest.raises(PermissionDenied):
        services.selection_chain_update(selection=selection_jy, steps=[("民主推荐", "")], by=world.users.secretary_a)
    services.selection_chain_update(
        selection=selection_jy,
        steps=[("民主推荐", "党员群众"), ("", ""), ("局党委审批", "教育局党委")],
        by=world.users.staff_jy,
    )
    assert [s.name for s in steps_of(selection_jy)] == ["民主推荐", "局党委审批"]
    started(selection_jy, world.users.staff_jy)
    with pytest.raises(ValidationError, match="开始后不能再修改"):
        services.selection_chain_update(selection=selection_jy, steps=[("审批", "")], by=world.users.staff_jy)
    with pytest.raises(PermissionDenied):
        services.step_decide(
            candidate=candidate, step=steps_of(selection_jy)[0], opinion="同意", passed=True, by=world.users.secretary_a
        )


def test_candidates_come_from_the_organizers_subtree(selection_jy, world):
    staff = world.users.staff_jy
    with pytest.raises(ValidationError) as error:
        services.candidate_add(selection=selection_jy, member=world.hospital_members[0], by=staff)
    assert "member" in error.value.error_dict
    services.candidate_add(selection=selection_jy, member=world.members_b[0], by=staff)
    with pytest.raises(ValidationError, match="已是候选人"):
        services.candidate_add(selection=selection_jy, member=world.members_b[0], by=staff)
    orgs = services.selection_create(owner=world.jy, title=Title.ADVANCED_ORG, year=selection_jy.year, by=staff)
    assert orgs.criteria == CriteriaSet.FIVE_GOOD
    with pytest.raises(ValidationError):
        services.candidate_add(selection=orgs, member=world.members_a[0], by=staff)
    with pytest.raises(ValidationError):
        services.candidate_add(selection=orgs, org=world.hospital, by=staff)
    assert services.candidate_add(selection=orgs, org=world.branch_a, by=staff).unit == world.branch_a


def test_the_last_places_and_scores(selection_jy, world):
    staff = world.users.staff_jy
    selection_jy.quota = 1
    selection_jy.save()
    first = services.candidate_add(selection=selection_jy, member=world.members_a[0], by=staff)
    second = services.candidate_add(selection=selection_jy, member=world.members_a[1], by=staff)
    started(selection_jy, staff)
    steps = steps_of(selection_jy)
    pass_steps(first, steps, staff)
    pass_steps(second, steps, staff, n=4)
    with pytest.raises(ValidationError, match="1 个名额已满"):
        services.step_decide(candidate=second, step=steps[4], opinion="同意", passed=True, by=staff)
    with pytest.raises(ValidationError):
        services.scores_record(candidate=first, scores={"study": 21}, by=staff)
    with pytest.raises(ValidationError):
        services.scores_record(candidate=first, scores={"leadership": 18}, by=staff)
    services.scores_record(candidate=first, scores={"study": 18, "teaching": 19, "ethics": None}, by=staff)
    assert sorted(first.scores.values_list("score", flat=True)) == [18, 19]


def test_honour_counts_per_title_for_a_subtree_and_period(selection_jy, world):
    staff = world.users.staff_jy
    honoured = services.candidate_add(selection=selection_jy, member=world.members_a[0], by=staff)
    services.candidate_add(selection=selection_jy, member=world.members_b[0], by=staff)
    started(selection_jy, staff)
    pass_steps(honoured, steps_of(selection_jy), staff)
    today = honoured.honoured_on
    assert honour_counts(world.zz)[Title.EXCELLENT_MEMBER] == 1
    assert honour_counts(world.branch_a)[Title.EXCELLENT_MEMBER] == 1
    assert honour_counts(world.branch_b)[Title.EXCELLENT_MEMBER] == 0  # nominated, not honoured
    assert honour_counts(world.zjl) == dict.fromkeys(Title.values, 0)
    assert honour_counts(world.zz, start=date(today.year + 1, 1, 1))[Title.EXCELLENT_MEMBER] == 0
    assert honour_counts(world.zz, start=today, end=today)[Title.EXCELLENT_MEMBER] == 1
    services.selection_close(selection=selection_jy, by=staff)
    assert selection_jy.candidates.filter(outcome=Outcome.NOT_SELECTED).count() == 1
