"""The tallies: a round's answers counted per org (TargetTally), per org and question (AnswerTally) and
per question (QuestionTally).

Answers are append-only: the only write is ``record`` inside the transaction that stores a response
(services/answering.py), and the only deletes are cascades from the round or a question, which take
their tallies with them (same ``on_delete``). So the counts stay exactly what grouping the answers
would give; ``rebuild`` recomputes them set-based and ``differences`` compares them with the answers.

``record`` is one INSERT ... ON CONFLICT DO UPDATE per table adding to the counts in the database
(``count = count + excluded.count``), never read-modify-write in Python, so two answers about the same
org at the same moment both count (SQLite and PostgreSQL alike).
"""

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .models import Answer, AnswerTally, QuestionTally, Rating, Response, Round, TargetTally

# The count columns are named after the ratings, in Rating's order (as stats.Tally holds them).
RATINGS = list(Rating.values)

_COUNTS = ", ".join(RATINGS)
_ADD = ", ".join(f"{c} = {{table}}.{c} + excluded.{c}" for c in RATINGS)

_RECORD_ANSWERS = (
    f"INSERT INTO evaluations_answertally (round_id, target_id, question_id, {_COUNTS}) VALUES {{values}} "
    f"ON CONFLICT (round_id, target_id, question_id) DO UPDATE SET {_ADD.format(table='evaluations_answertally')}"
)
_RECORD_QUESTIONS = (
    f"INSERT INTO evaluations_questiontally (round_id, question_id, {_COUNTS}) VALUES {{values}} "
    f"ON CONFLICT (round_id, question_id) DO UPDATE SET {_ADD.format(table='evaluations_questiontally')}"
)
_RECORD_TARGET = (
    f"INSERT INTO evaluations_targettally (round_id, target_id, responses, comments, {_COUNTS}) "
    "VALUES (%s, %s, 1, %s, %s, %s, %s, %s) "
    "ON CONFLICT (round_id, target_id) DO UPDATE SET responses = evaluations_targettally.responses + 1, "
    "comments = evaluations_targettally.comments + excluded.comments, "
    f"{_ADD.format(table='evaluations_targettally')}"
)


def record(response: Response, ratings: list[tuple[int, str]]) -> None:
    """Count one answer sheet: ``ratings`` is (question id, rating) for each of its answers."""
    per_question: dict[int, list[int]] = {}
    total = [0, 0, 0, 0]
    for question_id, rating in ratings:
        i = RATINGS.index(rating)
        per_question.setdefault(question_id, [0, 0, 0, 0])[i] += 1
        total[i] += 1
    round_id, target_id = response.round_id, response.target_org_id
    with connection.cursor() as cursor:
        if per_question:
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(per_question))
            params = [p for q, counts in per_question.items() for p in (round_id, target_id, q, *counts)]
            cursor.execute(_RECORD_ANSWERS.format(values=values), params)
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(per_question))
            params = [p for q, counts in per_question.items() for p in (round_id, q, *counts)]
            cursor.execute(_RECORD_QUESTIONS.format(values=values), params)
        cursor.execute(_RECORD_TARGET, [round_id, target_id, 1 if response.comment else 0, *total])


_REBUILD_ANSWERS = f"""
INSERT INTO evaluations_answertally (round_id, target_id, question_id, {_COUNTS})
SELECT r.round_id, r.target_org_id, a.question_id,
       {", ".join(f"SUM(CASE WHEN a.rating = '{c}' THEN 1 ELSE 0 END)" for c in RATINGS)}
FROM evaluations_answer a JOIN evaluations_response r ON r.id = a.response_id
WHERE {{where}}
GROUP BY r.round_id, r.target_org_id, a.question_id
"""
_REBUILD_QUESTIONS = f"""
INSERT INTO evaluations_questiontally (round_id, question_id, {_COUNTS})
SELECT t.round_id, t.question_id, {", ".join(f"SUM(t.{c})" for c in RATINGS)}
FROM evaluations_answertally t WHERE {{where_t}}
GROUP BY t.round_id, t.question_id
"""
_REBUILD_TARGETS = f"""
INSERT INTO evaluations_targettally (round_id, target_id, responses, comments, {_COUNTS})
SELECT round_id, target_id, SUM(responses), SUM(comments), {", ".join(f"SUM({c})" for c in RATINGS)}
FROM (
    SELECT r.round_id, r.target_org_id AS target_id, COUNT(*) AS responses,
           SUM(CASE WHEN r.comment <> '' THEN 1 ELSE 0 END) AS comments, {", ".join(f"0 AS {c}" for c in RATINGS)}
    FROM evaluations_response r WHERE {{where}} GROUP BY r.round_id, r.target_org_id
    UNION ALL
    SELECT t.round_id, t.target_id, 0, 0, {", ".join(f"SUM(t.{c})" for c in RATINGS)}
    FROM evaluations_answertally t WHERE {{where_t}} GROUP BY t.round_id, t.target_id
) parts
GROUP BY round_id, target_id
"""


@transaction.atomic
def rebuild(round=None) -> int:  # noqa: A002 - the services' keyword for a round
    """Recompute the tallies of one round (or of all) from the answers; returns the org rows written.

    The rounds' rows are locked first, as an answer locks its round: none lands half-counted."""
    rounds = Round.objects.select_for_update().order_by("pk")
    if round is not None:
        rounds = rounds.filter(pk=round.pk)
    ids = list(rounds.values_list("pk", flat=True))
    if round is None:
        where, where_t, params = "1 = 1", "1 = 1", []
        for model in (AnswerTally, QuestionTally, TargetTally):
            model.objects.all().delete()
    else:
        where, where_t, params = "r.round_id = %s", "t.round_id = %s", [round.pk]
        for model in (AnswerTally, QuestionTally, TargetTally):
            model.objects.filter(round=round).delete()
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_REBUILD_ANSWERS.format(where=where), params)
        cursor.execute(_REBUILD_QUESTIONS.format(where_t=where_t), params)
        cursor.execute(_REBUILD_TARGETS.format(where=where, where_t=where_t), params * 2)
        return cursor.rowcount


def _by_rating():
    return {c: Count("pk", filter=Q(rating=c)) for c in RATINGS}


def truth(round_) -> tuple[dict, dict]:
    """What grouping the answers gives, for checks: ({(org, question): counts}, {org: (responses,
    comments, counts)}, {question: counts}), counts being the four ratings' numbers."""
    per_question = {
        (row["response__target_org"], row["question"]): tuple(row[c] for c in RATINGS)
        for row in Answer.objects.filter(response__round=round_)
        .values("response__target_org", "question")
        .order_by()
        .annotate(**_by_rating())
    }
    per_org: dict = {}
    for (org, _question), counts in per_question.items():
        per_org[org] = tuple(a + b for a, b in zip(per_org.get(org, (0, 0, 0, 0)), counts, strict=True))
    sheets = (
        Response.objects.filter(round=round_)
        .values("target_org")
        .order_by()
        .annotate(n=Count("pk"), c=Count("pk", filter=~Q(comment="")))
    )
    targets = {row["target_org"]: (row["n"], row["c"], per_org.get(row["target_org"], (0, 0, 0, 0))) for row in sheets}
    questions: dict = {}
    for (_org, question), counts in per_question.items():
        questions[question] = tuple(a + b for a, b in zip(questions.get(question, (0, 0, 0, 0)), counts, strict=True))
    return per_question, targets, questions


def stored(round_) -> tuple[dict, dict]:
    """The tallies in the same shape as ``truth``."""
    per_question = {
        (t.target_id, t.question_id): tuple(getattr(t, c) for c in RATINGS)
        for t in AnswerTally.objects.filter(round=round_)
    }
    targets = {
        t.target_id: (t.responses, t.comments, tuple(getattr(t, c) for c in RATINGS))
        for t in TargetTally.objects.filter(round=round_)
    }
    questions = {
        t.question_id: tuple(getattr(t, c) for c in RATINGS) for t in QuestionTally.objects.filter(round=round_)
    }
    return per_question, targets, questions


def differences(round_) -> list[str]:
    """Where the tallies of a round differ from its answers (empty when exact)."""
    out = []
    for name, have, want in zip(("org and question", "org", "question"), stored(round_), truth(round_), strict=True):
        for key in sorted(have.keys() | want.keys(), key=str):
            if have.get(key) != want.get(key):
                out.append(f"{name} {key}: tally {have.get(key)} ≠ answers {want.get(key)}")
    return out


def forget_question(question) -> None:
    """A question about to be deleted with answers (only the admin can: the service refuses once anyone
    answered) takes its AnswerTally and QuestionTally rows with it by cascade; its counts leave the org
    totals here."""
    gone = AnswerTally.objects.filter(round_id=question.round_id, question=question, target=OuterRef("target"))
    TargetTally.objects.filter(
        round_id=question.round_id, target__in=AnswerTally.objects.filter(question=question).values("target")
    ).update(**{c: F(c) - Coalesce(Subquery(gone.values(c)[:1]), 0) for c in RATINGS})
