"""Answering a round: with a one-time code or through the open link. No person, no code, no time is kept.

A code counts once because the database says so: inside the answer's transaction a single
``UPDATE code SET used = true WHERE code_hash = %s AND used = false`` must change exactly one row,
and only then is the response written. Fifty submissions of one code at the same moment see one
row change and forty-nine see none, whatever the timing (PostgreSQL re-checks ``used = false`` on the
row a concurrent transaction just committed).
"""

import functools
import random
import time

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import codes, tallies
from ..models import Answer, Code, Question, QuestionKind, Rating, Response, Round, RoundState

COMMENT_MAX = 1000
LOCKED_RETRIES = 60


def _retry_when_locked(function):
    """SQLite takes one writer at a time; a writer that finds the database (or, in shared-cache mode,
    a table) locked gets an error instead of a wait. The transaction rolled back whole, so running
    it again is safe: a crowd answering at once is served in turn. PostgreSQL never lands here."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        for attempt in range(LOCKED_RETRIES):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if (
                    "locked" not in str(error)
                    or attempt == LOCKED_RETRIES - 1
                    or transaction.get_connection().in_atomic_block
                ):
                    raise
                time.sleep(random.uniform(0.005, 0.03) * (1 + attempt // 10))
        raise AssertionError("unreachable")

    return wrapper


def state_error(round_: Round, now) -> ValidationError | None:
    state = round_.state(now)
    if state == RoundState.UPCOMING:
        local = timezone.localtime(round_.opens_at)
        return ValidationError(
            _("This evaluation opens on %(when)s. Please come back then; your code will work from that time.")
            % {"when": f"{local:%Y-%m-%d %H:%M}"},
            code="upcoming",
        )
    if state == RoundState.CLOSED:
        return ValidationError(_("This evaluation has ended; answers are no longer taken."), code="closed")
    return None


def usable_code(code_text: str, *, now=None) -> Code:
    """The code's row if it can be used now, else a ValidationError whose ``code`` says why
    (malformed, unknown, used, upcoming, closed), with a message for the person holding the slip."""
    now = now or timezone.now()
    code = codes.normalize(code_text)
    if not codes.is_well_formed(code):
        raise ValidationError(
            _("“%(code)s” is not a valid code. A code has 8 letters and digits, as printed on the slip.")
            % {"code": code_text[:20]},
            code="malformed",
        )
    row = Code.objects.select_related("round", "target_org").filter(code_hash=codes.code_hash(code)).first()
    if row is None:
        raise ValidationError(
            _("No evaluation has the code %(code)s. Check the letters and digits on your slip.")
            % {"code": codes.display(code)},
            code="unknown",
        )
    if row.used:
        raise ValidationError(_("This code has already been used. Each code counts once."), code="used")
    error = state_error(row.round, now)
    if error is not None:
        raise error
    return row


def _clean_answers(round_: Round, target_org, ratings: dict, comment: str):
    questions = list(Question.objects.filter(round=round_).order_by("position", "id"))
    rated = [q for q in questions if q.kind == QuestionKind.RATING]
    missing = [q.text for q in rated if ratings.get(q.pk) not in Rating.values]
    if missing:
        raise ValidationError(_("Please rate every item: %(items)s.") % {"items": "、".join(missing)}, code="missing")
    if not round_.targets.filter(pk=target_org.pk).exists():
        raise ValidationError(_("Choose the organization you are evaluating."), code="target")
    has_comment_box = any(q.kind == QuestionKind.COMMENT for q in questions)
    comment = (comment or "").strip()[:COMMENT_MAX] if has_comment_box else ""
    return [(q, ratings[q.pk]) for q in rated], comment


def _write(round_: Round, target_org, answers, comment: str, now) -> Response:
    response = Response.objects.create(
        round=round_, target_org=target_org, created_on=timezone.localdate(now), comment=comment
    )
    Answer.objects.bulk_create(Answer(response=response, question=q, rating=r) for q, r in answers)
    tallies.record(response, [(q.pk, r) for q, r in answers])
    return response


def _lock_open_round(round_id: int, now) -> Round:
    # Questionnaire edits lock the same row: an answer never lands on a question just removed.
    round_ = Round.objects.select_for_update().get(pk=round_id)
    error = state_error(round_, now)
    if error is not None:
        raise error
    return round_


@_retry_when_locked
@transaction.atomic
def response_submit_with_code(*, code_text: str, target_org, ratings: dict, comment: str = "") -> Response:
    now = timezone.now()
    code = usable_code(code_text, now=now)
    if code.target_org_id is not None:
        target_org = code.target_org  # a slip printed for one org rates that org, whatever the form says
    if target_org is None:
        raise ValidationError(_("Choose the organization you are evaluating."), code="target")
    round_ = _lock_open_round(code.round_id, now)
    answers, comment = _clean_answers(round_, target_org, ratings, comment)
    claimed = Code.objects.filter(code_hash=code.code_hash, used=False).update(used=True)
    if claimed != 1:
        raise ValidationError(_("This code has already been used. Each code counts once."), code="used")
    return _write(round_, target_org, answers, comment, now)


@_retry_when_locked
@transaction.atomic
def response_submit_open(*, round, target_org, ratings: dict, comment: str = "") -> Response:
    """An answer through the open link; the view has already applied the rate limit."""
    now = timezone.now()
    round_ = _lock_open_round(round.pk, now)
    if not round_.allow_open_link:
        raise ValidationError(_("This evaluation takes answers only with a printed code."), code="no_link")
    if target_org is None:
        raise ValidationError(_("Choose the organization you are evaluating."), code="target")
    answers, comment = _clean_answers(round_, target_org, ratings, comment)
    return _write(round_, target_org, answers, comment, now)
