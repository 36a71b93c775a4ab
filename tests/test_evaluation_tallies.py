"""The evaluation tallies equal what grouping the answers gives: after answers (with a code, through the
open link, a code used twice), after a rebuild, after every delete path; the report figures read from
them equal the figures from the answers."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from evaluations import tallies
from evaluations.models import AnswerTally, Rating, Round, TargetTally
from evaluations.services import response_submit_open, response_submit_with_code
from evaluations.stats import Tally
from reports.figures.evaluations import evaluation_figures
from tests.evaluations.conftest import all_ratings, issue_codes, make_round

pytestmark = pytest.mark.django_db

RATINGS = list(Rating.values)


def answer(round_, org, ratings=None, comment=""):
    """One sheet; ``ratings`` is a rating for all items, or a list giving one per item in order."""
    questions = list(round_.questions.filter(kind="rating").order_by("position", "id"))
    if ratings is None or isinstance(ratings, str):
        given = {q.pk: ratings or Rating.SATISFIED for q in questions}
    else:
        given = {q.pk: r for q, r in zip(questions, ratings, strict=True)}
    return response_submit_open(round=round_, target_org=org, ratings=given, comment=comment)


def mixed_answers(world, round_):
    answer(round_, world.branch_a, Rating.SATISFIED, comment="好")
    answer(round_, world.branch_a, [Rating.BASIC, Rating.DISSATISFIED, Rating.UNKNOWN, Rating.SATISFIED, Rating.BASIC])
    answer(round_, world.branch_a, Rating.DISSATISFIED)
    answer(round_, world.branch_b, Rating.UNKNOWN, comment="不了解")
    answer(
        round_, world.branch_b, [Rating.SATISFIED, Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED, Rating.UNKNOWN]
    )


def test_tallies_follow_every_answer(world):
    round_ = make_round(world)
    assert tallies.differences(round_) == []
    mixed_answers(world, round_)
    assert tallies.differences(round_) == []
    a = TargetTally.objects.get(round=round_, target=world.branch_a)
    assert (a.responses, a.comments) == (3, 1)
    assert (a.satisfied, a.basic, a.dissatisfied, a.unknown) == (6, 2, 6, 1)
    first = round_.questions.filter(kind="rating").order_by("position", "id").first()
    cell = AnswerTally.objects.get(round=round_, target=world.branch_a, question=first)
    assert (cell.satisfied, cell.basic, cell.dissatisfied, cell.unknown) == (1, 1, 1, 0)


def test_a_code_used_twice_counts_once(world):
    round_ = make_round(world, allow_open_link=False)
    [code] = issue_codes(round_, 1, org=world.branch_a)
    response_submit_with_code(code_text=code, target_org=None, ratings=all_ratings(round_))
    with pytest.raises(ValidationError):
        response_submit_with_code(code_text=code, target_org=None, ratings=all_ratings(round_, Rating.DISSATISFIED))
    tally = TargetTally.objects.get(round=round_, target=world.branch_a)
    assert (tally.responses, tally.satisfied, tally.dissatisfied) == (1, 5, 0)
    assert tallies.differences(round_) == []


def test_a_refused_answer_counts_nothing(world):
    round_ = make_round(world)
    answer(round_, world.branch_a)
    with pytest.raises(ValidationError):  # an item left out: the whole sheet is refused
        response_submit_open(round=round_, target_org=world.branch_a, ratings={})
    assert TargetTally.objects.get(round=round_, target=world.branch_a).responses == 1
    assert tallies.differences(round_) == []


def test_rebuild_restores_tallies_gone_wrong(world):
    round_ = make_round(world)
    other = make_round(world, title="另一轮")
    mixed_answers(world, round_)
    answer(other, world.branch_b, Rating.BASIC)
    TargetTally.objects.update(responses=F("responses") + 7, satisfied=0)
    AnswerTally.objects.filter(round=round_).first().delete()
    assert tallies.differences(round_) and tallies.differences(other)
    tallies.rebuild(round_)
    assert tallies.differences(round_) == []
    assert tallies.differences(other)  # only the round asked for
    call_command("rebuild_evaluation_tallies")
    assert tallies.differences(other) == []
    call_command("rebuild_evaluation_tallies", "--check")


def test_the_check_command_fails_on_a_difference(world):
    round_ = make_round(world)
    answer(round_, world.branch_a)
    TargetTally.objects.update(comments=3)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rebuild_evaluation_tallies", "--check", "--round", str(round_.pk))


def test_deleting_a_round_takes_its_tallies(world):
    round_ = make_round(world)
    kept = make_round(world, title="另一轮")
    mixed_answers(world, round_)
    answer(kept, world.branch_a)
    round_.delete()
    assert not TargetTally.objects.filter(round_id=round_.pk).exists()
    assert not AnswerTally.objects.filter(round_id=round_.pk).exists()
    assert tallies.differences(kept) == []


def test_deleting_an_answered_question_in_the_admin_keeps_the_org_totals_exact(world):
    round_ = make_round(world)
    mixed_answers(world, round_)
    round_.questions.filter(kind="rating").order_by("position", "id")[1].delete()
    assert tallies.differences(round_) == []


def test_the_demo_reset_leaves_no_tallies(world):
    round_ = make_round(world)
    mixed_answers(world, round_)
    Round.objects.all().delete()
    assert not TargetTally.objects.exists() and not AnswerTally.objects.exists()


def _figures_from_answers(org, start, end):
    """The report figures as they were computed before the tallies: every answer grouped."""
    from django.db.models import Count, Q

    from evaluations.models import Answer, Response

    rounds = Round.objects.filter(targets__path__startswith=org.path).distinct().order_by("opens_at", "id")
    overall, responses, per_org = Tally(), 0, []
    for round_ in rounds:
        grouped = {
            row["response__target_org"]: Tally(*(row[c] for c in RATINGS))
            for row in Answer.objects.filter(response__round=round_)
            .values("response__target_org")
            .annotate(**{c: Count("pk", filter=Q(rating=c)) for c in RATINGS})
        }
        for target in sorted(round_.targets.all(), key=lambda o: o.path):
            if not target.path.startswith(org.path):
                continue
            tally = grouped.get(target.pk, Tally())
            overall.add(tally)
            responses += Response.objects.filter(round=round_, target_org=target).count()
            per_org.append((target.pk, tally.counts(), tally.rate))
    return rounds.count(), responses, overall, per_org


def test_report_figures_from_tallies_equal_the_answers(world):
    first = make_round(world)
    second = make_round(world, owner=world.zz, targets=[world.branch_a, world.hospital], by=world.users.staff_zz)
    mixed_answers(world, first)
    answer(second, world.branch_a, Rating.BASIC)
    answer(second, world.hospital, Rating.DISSATISFIED)
    today = timezone.localdate()
    for org in (world.zz, world.jy, world.branch_a, world.wj):
        figures = evaluation_figures(org, None, today - timedelta(days=30), today + timedelta(days=30))
        rounds, responses, overall, per_org = _figures_from_answers(org, None, None)
        assert figures.rounds == rounds
        assert figures.responses == responses
        assert figures.overall == overall and figures.overall.rate == overall.rate
        assert [(r.id, r.tally.counts(), r.tally.rate) for r in figures.orgs] == per_org
    jy = evaluation_figures(world.jy, None, today - timedelta(days=30), today + timedelta(days=30))
    assert [r.label for r in jy.low] == ["第一中学党支部", "第二中学党支部"]  # 8 of 14 judged: 57%; 3 of 4
