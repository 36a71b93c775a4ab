"""One-time codes: each counts once, expired and used codes are refused with a clear reason,
and nothing links a response back to its code or to a person."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, models
from django.utils import timezone

from evaluations import codes, tallies
from evaluations.models import Answer, Code, Rating, Response, Round, TargetTally
from evaluations.services import (
    question_add,
    response_submit_open,
    response_submit_with_code,
    round_update,
    usable_code,
)

from .conftest import all_ratings, issue_codes, make_round

pytestmark = pytest.mark.django_db


def submit(round_, code, org=None, **extra):
    return response_submit_with_code(code_text=code, target_org=org, ratings=all_ratings(round_), **extra)


def test_a_code_gives_one_anonymous_response(world, round_):
    (code,) = issue_codes(round_)
    response = submit(round_, code, world.branch_a, comment="希望多开展志愿服务")
    assert Response.objects.count() == 1
    assert response.target_org == world.branch_a
    assert response.created_on == timezone.localdate()
    assert Answer.objects.filter(response=response).count() == 5
    assert Code.objects.get().used is True


def test_the_code_can_be_typed_loosely(world, round_):
    (code,) = issue_codes(round_)
    submit(round_, f" {code[:4].lower()}-{code[4:].lower()} ", world.branch_a)
    assert Response.objects.count() == 1


def test_a_used_code_is_refused_and_adds_nothing(world, round_):
    (code,) = issue_codes(round_)
    submit(round_, code, world.branch_a)
    with pytest.raises(ValidationError) as refused:
        submit(round_, code, world.branch_b)
    assert refused.value.code == "used"
    assert "已经使用" in " ".join(refused.value.messages)
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("opens", "closes", "reason", "words"),
    [
        (timedelta(days=-10), timedelta(days=-1), "closed", "已结束"),
        (timedelta(days=2), timedelta(days=9), "upcoming", "开始"),
    ],
)
def test_codes_outside_the_round_are_refused(world, opens, closes, reason, words):
    now = timezone.now()
    round_ = make_round(world, opens=now + opens, closes=now + closes)
    (code,) = issue_codes(round_)
    with pytest.raises(ValidationError) as refused:
        submit(round_, code, world.branch_a)
    assert refused.value.code == reason
    assert words in " ".join(refused.value.messages)
    assert not Response.objects.exists()
    assert Code.objects.get().used is False  # still good if the round is reopened or extended


def test_unknown_and_malformed_codes_are_told_apart(round_):
    with pytest.raises(ValidationError) as unknown:
        usable_code("ABCD-EFGH")
    assert unknown.value.code == "unknown"
    with pytest.raises(ValidationError) as malformed:
        usable_code("1234")
    assert malformed.value.code == "malformed"


def test_a_slip_for_one_org_rates_that_org_whatever_the_form_says(world, round_):
    (code,) = issue_codes(round_, org=world.branch_b)
    response = submit(round_, code, world.branch_a)
    assert response.target_org == world.branch_b


def test_an_incomplete_questionnaire_leaves_the_code_unused(world, round_):
    (code,) = issue_codes(round_)
    ratings = all_ratings(round_)
    ratings.popitem()
    with pytest.raises(ValidationError) as refused:
        response_submit_with_code(code_text=code, target_org=world.branch_a, ratings=ratings)
    assert refused.value.code == "missing"
    assert Code.objects.get().used is False


def test_an_org_outside_the_round_is_refused(world, round_):
    (code,) = issue_codes(round_)
    with pytest.raises(ValidationError):
        submit(round_, code, world.hospital)
    assert Code.objects.get().used is False


def test_nothing_links_a_response_to_its_code_or_a_person():
    """The schema itself: no relation either way, no time of use, no user, a random key."""
    response_fields = {f.name: f for f in Response._meta.get_fields()}
    code_fields = {f.name: f for f in Code._meta.get_fields()}
    assert not [f for f in response_fields.values() if f.is_relation and f.related_model is Code]
    assert not [f for f in code_fields.values() if f.is_relation and f.related_model in (Response, Answer)]
    assert not [f for f in code_fields.values() if isinstance(f, models.DateField | models.DateTimeField)]
    # A day, not a moment; no field holds a person except who hid a comment (staff).
    assert isinstance(response_fields["created_on"], models.DateField)
    assert not isinstance(response_fields["created_on"], models.DateTimeField)
    people = [f.name for f in response_fields.values() if f.is_relation and f.related_model.__name__ == "User"]
    assert people == ["hidden_by"]
    assert isinstance(Response._meta.pk, models.UUIDField)
    assert isinstance(Answer._meta.pk, models.UUIDField)


def test_the_code_table_holds_no_plaintext(world, round_):
    (code,) = issue_codes(round_)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Code._meta.db_table}")
        rows = cursor.fetchall()
    assert code not in repr(rows)
    assert codes.code_hash(code) in repr(rows)


def test_response_keys_do_not_follow_the_order_answers_came_in(world, round_):
    plain = issue_codes(round_, 20)
    made = [submit(round_, c, world.branch_a).pk for c in plain]
    assert sorted(made) != made  # 20 random UUIDs in order by chance: 1 in 20!


def test_questions_change_only_until_the_first_answer(world, round_):
    question_add(round=round_, text="服务群众好", by=world.users.staff_jy)
    (code,) = issue_codes(round_)
    submit(round_, code, world.branch_a)
    with pytest.raises(ValidationError, match="已有人作答"):
        question_add(round=round_, text="又一个问题", by=world.users.staff_jy)


def test_targets_change_only_until_the_first_answer_but_dates_may(world, round_):
    (code,) = issue_codes(round_)
    submit(round_, code, world.branch_a)
    fields = {
        "title": round_.title,
        "campaign": None,
        "opens_at": round_.opens_at,
        "closes_at": round_.closes_at + timedelta(days=7),
        "allow_open_link": True,
        "by": world.users.staff_jy,
    }
    with pytest.raises(ValidationError):
        round_update(round=round_, targets=[world.branch_a], **fields)
    round_update(round=round_, targets=[world.branch_a, world.branch_b], **fields)
    round_.refresh_from_db()
    assert round_.closes_at.date() >= (timezone.now() + timedelta(days=19)).date()


def test_open_link_answers_only_when_the_round_allows(world):
    round_ = make_round(world, allow_open_link=False)
    with pytest.raises(ValidationError) as refused:
        response_submit_open(round=round_, target_org=world.branch_a, ratings=all_ratings(round_))
    assert refused.value.code == "no_link"
    round_.allow_open_link = True
    round_.save()
    response_submit_open(round=round_, target_org=world.branch_a, ratings=all_ratings(round_, Rating.BASIC))
    assert Answer.objects.filter(rating=Rating.BASIC).count() == 5


def test_answered_on_is_the_local_day(world, round_):
    (code,) = issue_codes(round_)
    response = submit(round_, code, world.branch_a)
    assert isinstance(response.created_on, date)


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_submissions_of_one_code_give_one_response(world):
    """On PostgreSQL the conditional UPDATE decides; on SQLite the database lock serializes the writers
    (the service runs a transaction again when it found the database locked). Either way exactly one
    thread wins; on PostgreSQL every other one is told the code was used."""
    round_ = make_round(world)
    (code,) = issue_codes(round_)
    ratings = all_ratings(round_)
    round_id = round_.pk
    threads_n = 50
    barrier = threading.Barrier(threads_n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt():
        try:
            barrier.wait()
            response_submit_with_code(code_text=code, target_org=world.branch_a, ratings=ratings)
            result = "ok"
        except ValidationError as error:
            result = error.code
        except Exception as error:  # noqa: BLE001 - SQLite's "database is locked" is a refusal too
            result = type(error).__name__
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == threads_n
    assert outcomes.count("ok") == 1
    assert Response.objects.filter(round_id=round_id).count() == 1
    assert Answer.objects.filter(response__round_id=round_id).count() == len(ratings)
    assert Code.objects.get(round_id=round_id).used is True
    assert tallies.differences(round_) == []  # the one answer counted once
    assert TargetTally.objects.get(round_id=round_id).responses == 1
    if connection.vendor == "postgresql":
        # No thread failed for another reason: each of the 49 was told the code was used.
        assert outcomes.count("used") == threads_n - 1
    assert Round.objects.filter(pk=round_id).exists()
