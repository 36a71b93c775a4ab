"""Rounds and their questionnaires. Questions change only while no one has answered."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from branches.access import can_manage_org
from branches.models import Organization, OrgKind
from campaigns.models import Campaign

from ..models import DEFAULT_COMMENT_PROMPT, FIVE_GOODS, Question, QuestionKind, Response, Round


def _check_manager(round_or_owner, by) -> None:
    owner = getattr(round_or_owner, "owner", round_or_owner)
    if not can_manage_org(by, owner):
        raise ValidationError(_("You may not run evaluations for this organization."))


def _clean_targets(*, owner, targets, by) -> list[Organization]:
    targets = list(targets)
    if not targets:
        raise ValidationError(_("Choose at least one organization to be evaluated."))
    for org in targets:
        if not org.path.startswith(owner.path):
            raise ValidationError(
                _("%(org)s is not under %(owner)s; a round evaluates organizations under the one that runs it.")
                % {"org": org.name, "owner": owner.name}
            )
        if not can_manage_org(by, org):
            raise ValidationError(_("You may not include %(org)s.") % {"org": org.name})
        if org.kind == OrgKind.GROUP:
            raise ValidationError(_("%(org)s is a party group; evaluate its branch instead.") % {"org": org.name})
    return targets


def _clean_dates(opens_at, closes_at) -> None:
    if closes_at <= opens_at:
        raise ValidationError(_("The round must close after it opens."))


def _clean_campaign(campaign, by) -> None:
    if campaign is not None and not Campaign.objects.visible_to(by).filter(pk=campaign.pk).exists():
        raise ValidationError(_("Choose a campaign you can see."))


def _targets_note(targets) -> str:
    return _("Evaluated: %(orgs)s") % {"orgs": "、".join(o.name for o in targets)}


def _locked(round_: Round) -> Round:
    """The round row locked for the rest of the transaction: questionnaire edits and the first answer
    take turns, so no answer is stored against a question that was just removed."""
    return Round.objects.select_for_update().get(pk=round_.pk)


def has_responses(round_: Round) -> bool:
    return Response.objects.filter(round=round_).exists()


@transaction.atomic
def round_create(
    *, owner, title, campaign, targets, opens_at, closes_at, allow_open_link, intro="", by, with_defaults=True
) -> Round:
    _check_manager(owner, by)
    targets = _clean_targets(owner=owner, targets=targets, by=by)
    _clean_dates(opens_at, closes_at)
    _clean_campaign(campaign, by)
    round_ = Round.objects.create(
        owner=owner,
        title=title.strip(),
        campaign=campaign,
        opens_at=opens_at,
        closes_at=closes_at,
        allow_open_link=allow_open_link,
        intro=intro.strip(),
        created_by=by,
    )
    round_.targets.set(targets)
    if with_defaults:
        Question.objects.bulk_create(
            [Question(round=round_, text=str(text), position=i) for i, text in enumerate(FIVE_GOODS)]
            + [Question(round=round_, text=str(DEFAULT_COMMENT_PROMPT), kind=QuestionKind.COMMENT, position=99)]
        )
    audit.record_create(round_, actor=by, note=_targets_note(targets))
    return round_


@transaction.atomic
def round_update(*, round, title, campaign, targets, opens_at, closes_at, allow_open_link, intro="", by) -> Round:
    _check_manager(round, by)
    round_ = _locked(round)
    _clean_dates(opens_at, closes_at)
    _clean_campaign(campaign, by)
    targets = _clean_targets(owner=round_.owner, targets=targets, by=by)
    old_targets = set(round_.targets.values_list("pk", flat=True))
    targets_changed = {t.pk for t in targets} != old_targets
    if targets_changed and has_responses(round_):
        raise ValidationError(_("People have already answered; the organizations evaluated can no longer change."))
    before = audit.snapshot(round_)
    round_.title = title.strip()
    round_.campaign = campaign
    round_.opens_at = opens_at
    round_.closes_at = closes_at
    round_.allow_open_link = allow_open_link
    round_.intro = intro.strip()
    round_.save()
    if targets_changed:
        round_.targets.set(targets)
    audit.record_update(round_, before, actor=by, note=_targets_note(targets) if targets_changed else "")
    return round_


@transaction.atomic
def round_close(*, round, by) -> Round:
    """Stop taking answers now; codes not yet used stop working."""
    _check_manager(round, by)
    round_ = _locked(round)
    now = timezone.now()
    if round_.closes_at <= now:
        raise ValidationError(_("This round has already closed."))
    before = audit.snapshot(round_)
    round_.closes_at = max(now, round_.opens_at + timedelta(seconds=1))
    round_.save(update_fields=["closes_at", "updated_at"])
    audit.record_update(round_, before, actor=by, note=_("Closed early"))
    return round_


def _check_questionnaire_open(round_: Round) -> None:
    if has_responses(round_):
        raise ValidationError(_("People have already answered; the questions can no longer change."))


@transaction.atomic
def question_add(*, round, text, kind=QuestionKind.RATING, by) -> Question:
    _check_manager(round, by)
    round_ = _locked(round)
    _check_questionnaire_open(round_)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the question."))
    if kind == QuestionKind.COMMENT and round_.questions.filter(kind=QuestionKind.COMMENT).exists():
        raise ValidationError(_("The questionnaire already has a comment box."))
    last = round_.questions.aggregate(m=Max("position"))["m"]
    question = Question.objects.create(round=round_, text=text, kind=kind, position=(last or 0) + 1)
    audit.record_create(question, actor=by, note=str(round_))
    return question


@transaction.atomic
def question_update(*, question, text, by) -> Question:
    _check_manager(question.round, by)
    _check_questionnaire_open(_locked(question.round))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the question."))
    before = audit.snapshot(question)
    question.text = text
    question.save(update_fields=["text"])
    audit.record_update(question, before, actor=by, note=str(question.round))
    return question


@transaction.atomic
def question_remove(*, question, by) -> None:
    _check_manager(question.round, by)
    round_ = _locked(question.round)
    _check_questionnaire_open(round_)
    if question.kind == QuestionKind.RATING and round_.questions.filter(kind=QuestionKind.RATING).count() <= 1:
        raise ValidationError(_("A questionnaire needs at least one rated question."))
    audit.record_delete(question, actor=by, note=str(round_))
    question.delete()


@transaction.atomic
def question_move(*, question, up: bool, by) -> None:
    """Swap with the neighbour above or below; positions are renumbered 0..n-1 on the way."""
    _check_manager(question.round, by)
    round_ = _locked(question.round)
    _check_questionnaire_open(round_)
    questions = list(round_.questions.order_by("position", "id"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(questions):
        questions[index], questions[other] = questions[other], questions[index]
    before = {q.pk: audit.snapshot(q) for q in questions}
    for position, q in enumerate(questions):
        q.position = position
    Question.objects.bulk_update(questions, ["position"])
    # The questionnaire's order is the manager's choice: the history shows who moved what.
    for q in questions:
        audit.record_update(q, before[q.pk], actor=by, note=str(round_))


@transaction.atomic
def comment_set_hidden(*, response, hidden: bool, by) -> Response:
    """Hide an abusive comment from the results (or show it again); the history keeps who and when."""
    _check_manager(response.round, by)
    if not response.comment:
        raise ValidationError(_("This answer has no comment."))
    before = audit.snapshot(response)
    response.comment_hidden = hidden
    response.hidden_by = by if hidden else None
    response.save(update_fields=["comment_hidden", "hidden_by"])
    audit.record_update(response, before, actor=by, note=_("Comment hidden") if hidden else _("Comment shown again"))
    return response
