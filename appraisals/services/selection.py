"""Writes on exemplar selections: the round and its chain, candidates, step decisions, criteria scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import HistoryEntry
from audit.services import build_entries, record_create, record_delete, record_update, snapshot
from branches.models import Organization, OrgKind
from members.models import Member

from .. import chain
from ..access import can_manage_selection
from ..models import (
    CRITERIA,
    DEFAULT_CHAIN,
    MEMBER_TITLES,
    ORG_TITLES,
    Candidate,
    CandidateKind,
    CriteriaSet,
    CriterionScore,
    Outcome,
    SelectionRound,
    SelectionStatus,
    SelectionStep,
    StepDecision,
    Title,
)
from ..models.selection import CRITERION_MAX

MEMBER_CRITERIA = (CriteriaSet.FIVE_MODELS, CriteriaSet.FIVE_VANGUARDS)


def _require_manager(user, selection) -> None:
    if not can_manage_selection(user, selection):
        raise PermissionDenied


def _note(instance, *, key: str, label: str, old: str = "", new: str = "", by) -> None:
    """A history line for a change that is not a field of the record (its chain, its scores)."""
    changes = {key: {"label": label, "old": old, "new": new}}
    (entry,) = build_entries(
        [(instance, HistoryEntry.Action.UPDATE, changes)], actor=by, source=HistoryEntry.Source.FORM
    )
    entry.save()


def default_kind(title: str) -> str:
    return CandidateKind.ORG if title in ORG_TITLES else CandidateKind.MEMBER


def default_chain(owner: Organization) -> list[tuple[str, str]]:
    """The street committee's five steps, the last one decided by the organizing org itself."""
    steps = [(str(name), str(body)) for name, body in DEFAULT_CHAIN]
    steps[-1] = (steps[-1][0], owner.short_name or owner.name)
    return steps


def _check_chain(steps: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = [((name or "").strip(), (body or "").strip()) for name, body in steps]
    cleaned = [(name, body) for name, body in cleaned if name]
    if not cleaned:
        raise ValidationError(_("The chain needs at least one step."))
    names = [name for name, _body in cleaned]
    if len(set(names)) != len(names):
        raise ValidationError(_("Two steps have the same name."))
    if any(len(name) > 40 or len(body) > 60 for name, body in cleaned):
        raise ValidationError(_("Step names are at most 40 characters, deciding bodies at most 60."))
    return cleaned


@transaction.atomic
def selection_create(
    *,
    owner: Organization,
    title: str,
    year: int,
    name: str = "",
    candidate_kind: str = "",
    criteria: str = "",
    quota: int | None = None,
    campaign=None,
    steps: Sequence[tuple[str, str]] | None = None,
    by,
) -> SelectionRound:
    candidate_kind = candidate_kind or default_kind(title)
    if not criteria:
        criteria = CriteriaSet.FIVE_GOOD if candidate_kind == CandidateKind.ORG else CriteriaSet.FIVE_MODELS
    selection = SelectionRound(
        owner=owner,
        title=title,
        name=(name or "").strip(),
        candidate_kind=candidate_kind,
        criteria=criteria,
        year=year,
        quota=quota,
        campaign=campaign,
        created_by=by,
    )
    _require_manager(by, selection)
    errors = {}
    if title not in Title.values:
        errors["title"] = _("Choose a title.")
    elif title == Title.OTHER and not selection.name:
        errors["name"] = _("Name the honour when the title is not one of the four.")
    if title in MEMBER_TITLES and candidate_kind != CandidateKind.MEMBER:
        errors["candidate_kind"] = _("This title is given to party members.")
    if title in ORG_TITLES and candidate_kind != CandidateKind.ORG:
        errors["candidate_kind"] = _("This title is given to party organizations.")
    if candidate_kind == CandidateKind.ORG and criteria != CriteriaSet.FIVE_GOOD:
        errors["criteria"] = _("Organizations are measured by the five goods.")
    if candidate_kind == CandidateKind.MEMBER and criteria not in MEMBER_CRITERIA:
        errors["criteria"] = _("Members are measured by the five models or the five vanguards.")
    this_year = timezone.localdate().year
    if not (this_year - 10 <= year <= this_year + 1):
        errors["year"] = _("Choose a year between %(first)s and %(last)s.") % {
            "first": this_year - 10,
            "last": this_year + 1,
        }
    if quota is not None and quota < 1:
        errors["quota"] = _("At least one place.")
    if errors:
        raise ValidationError(errors)
    cleaned = _check_chain(steps if steps is not None else default_chain(owner))
    selection.save()
    SelectionStep.objects.bulk_create(
        SelectionStep(round=selection, position=i, name=n, body=b) for i, (n, b) in enumerate(cleaned)
    )
    record_create(selection, actor=by, note=" → ".join(n for n, _b in cleaned))
    return selection


@transaction.atomic
def selection_chain_update(*, selection: SelectionRound, steps: Sequence[tuple[str, str]], by) -> SelectionRound:
    selection = SelectionRound.objects.select_for_update().select_related("owner").get(pk=selection.pk)
    _require_manager(by, selection)
    if not chain.may_edit_chain(selection):
        raise ValidationError(_("The chain can only be changed before the selection starts."))
    cleaned = _check_chain(steps)
    old = " → ".join(selection.steps.values_list("name", flat=True))
    selection.steps.all().delete()
    SelectionStep.objects.bulk_create(
        SelectionStep(round=selection, position=i, name=n, body=b) for i, (n, b) in enumerate(cleaned)
    )
    new = " → ".join(n for n, _b in cleaned)
    if old != new:
        _note(selection, key="steps", label=_("Steps"), old=old, new=new, by=by)
    return selection


def _move(selection: SelectionRound, source: str, target: str, by, note: str) -> SelectionRound:
    selection = SelectionRound.objects.select_for_update().select_related("owner").get(pk=selection.pk)
    _require_manager(by, selection)
    if selection.status != source:
        raise ValidationError(
            _("This step is not possible now: the selection is %(status)s.")
            % {"status": selection.get_status_display()}
        )
    before = snapshot(selection)
    selection.status = target
    selection.save(update_fields=["status", "updated_at"])
    record_update(selection, before, actor=by, note=note)
    return selection


@transaction.atomic
def selection_start(*, selection: SelectionRound, by) -> SelectionRound:
    return _move(selection, SelectionStatus.DRAFT, SelectionStatus.RUNNING, by, _("Selection started"))


@transaction.atomic
def selection_close(*, selection: SelectionRound, by) -> SelectionRound:
    """Close the round; whoever is still in the chain is not selected this year."""
    selection = _move(selection, SelectionStatus.RUNNING, SelectionStatus.CLOSED, by, _("Selection closed"))
    # One by one, not a queryset update(): each candidate's history shows the outcome it got.
    for candidate in selection.candidates.filter(outcome=Outcome.PENDING):
        before = snapshot(candidate)
        candidate.outcome = Outcome.NOT_SELECTED
        candidate.save(update_fields=["outcome"])
        record_update(candidate, before, actor=by, note=_("Selection closed"))
    return selection


@transaction.atomic
def candidate_add(
    *, selection: SelectionRound, member: Member | None = None, org: Organization | None = None, deeds: str = "", by
) -> Candidate:
    selection = SelectionRound.objects.select_for_update().select_related("owner").get(pk=selection.pk)
    _require_manager(by, selection)
    if not chain.may_add_candidates(selection):
        raise ValidationError(_("The selection is closed."))
    owner = selection.owner
    if selection.for_members:
        if member is None or org is not None:
            raise ValidationError({"member": _("Choose a party member.")})
        if not member.org.path.startswith(owner.path):
            raise ValidationError(
                {"member": _("Candidates come from %(owner)s and the organizations under it.") % {"owner": owner.name}}
            )
        if not member.is_party_member:
            raise ValidationError({"member": _("Only party members can be candidates for this title.")})
        unit = member.org
        if selection.candidates.filter(member=member).exists():
            raise ValidationError({"member": _("%(name)s is already a candidate.") % {"name": member.name}})
    else:
        if org is None or member is not None:
            raise ValidationError({"org": _("Choose a party organization.")})
        if not org.path.startswith(owner.path) or org.pk == owner.pk:
            raise ValidationError(
                {"org": _("Candidates come from the organizations under %(owner)s.") % {"owner": owner.name}}
            )
        if org.kind == OrgKind.GROUP or not org.is_active:
            raise ValidationError({"org": _("Choose an active party organization (not a party group).")})
        unit = org
        if selection.candidates.filter(member__isnull=True, unit=org).exists():
            raise ValidationError({"org": _("%(name)s is already a candidate.") % {"name": org.name}})
    candidate = Candidate.objects.create(
        round=selection, member=member, unit=unit, deeds=(deeds or "").strip(), added_by=by
    )
    record_create(candidate, actor=by)
    return candidate


@transaction.atomic
def candidate_remove(*, candidate: Candidate, by) -> None:
    """Only a candidate nobody has decided on yet: decisions are a record, never erased."""
    _require_manager(by, candidate.round)
    if candidate.decisions.exists():
        raise ValidationError(
            _("%(name)s has decisions recorded and stays on the record.") % {"name": candidate.display_name}
        )
    record_delete(candidate, actor=by)
    candidate.delete()


@transaction.atomic
def step_decide(
    *,
    candidate: Candidate,
    step: SelectionStep,
    opinion: str,
    passed: bool,
    votes_for: int = 0,
    votes_against: int = 0,
    votes_abstain: int = 0,
    by,
) -> StepDecision:
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("round__owner", "member", "unit")
        .get(pk=candidate.pk)
    )
    selection = candidate.round
    _require_manager(by, selection)
    if step.round_id != selection.pk:
        raise ValidationError(_("This step belongs to another selection."))
    if not chain.may_decide(selection):
        raise ValidationError(_("Decisions are recorded while the selection is under way."))
    steps = list(selection.steps.order_by("position"))
    problem = chain.order_error(candidate, step, steps)
    if problem:
        raise ValidationError(problem)
    errors = {}
    if not (opinion or "").strip():
        errors["opinion"] = _("Write the opinion of this step.")
    votes = [votes_for, votes_against, votes_abstain]
    if any(v is None or v < 0 for v in votes):
        errors["votes_for"] = _("Votes are whole numbers, zero or more.")
    last = chain.is_last(step, steps)
    if passed and last and selection.quota:
        honoured = selection.candidates.filter(outcome=Outcome.HONOURED).count()
        if honoured >= selection.quota:
            errors["passed"] = _("All %(n)s places have been filled.") % {"n": selection.quota}
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    decision = StepDecision.objects.create(
        candidate=candidate,
        step=step,
        opinion=opinion.strip(),
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        passed=passed,
        decided_by=by,
        decided_at=now,
    )
    before = snapshot(candidate)
    if passed:
        candidate.steps_passed += 1
        if last:
            candidate.outcome = Outcome.HONOURED
            candidate.honoured_on = timezone.localdate(now)
    else:
        candidate.outcome = Outcome.NOT_SELECTED
    candidate.save(update_fields=["steps_passed", "outcome", "honoured_on"])
    record_update(candidate, before, actor=by, note=f"{step.name}：{'通过' if passed else '未通过'}")
    return decision


@transaction.atomic
def scores_record(*, candidate: Candidate, scores: Mapping[str, int | None], by) -> list[CriterionScore]:
    selection = SelectionRound.objects.select_related("owner").get(pk=candidate.round_id)
    _require_manager(by, selection)
    if selection.status == SelectionStatus.CLOSED:
        raise ValidationError(_("The selection is closed."))
    items = dict(CRITERIA[CriteriaSet(selection.criteria)])
    if set(scores) - set(items):
        raise ValidationError(_("Score only the items of %(set)s.") % {"set": selection.get_criteria_display()})
    for item, value in scores.items():
        if value is not None and not (0 <= value <= CRITERION_MAX):
            raise ValidationError({item: _("A score is between 0 and %(max)s.") % {"max": CRITERION_MAX}})
    existing = {s.item: s for s in candidate.scores.all()}
    changes = []
    for item, value in scores.items():
        row = existing.get(item)
        if value is None:
            if row is not None:
                row.delete()
                changes.append(f"{items[item]}：{row.score} → —")
            continue
        if row is None:
            CriterionScore.objects.create(candidate=candidate, item=item, score=value)
            changes.append(f"{items[item]}：{value}")
        elif row.score != value:
            changes.append(f"{items[item]}：{row.score} → {value}")
            row.score = value
            row.save(update_fields=["score"])
    if changes:
        _note(candidate, key="scores", label=_("Criteria scores"), new="；".join(changes), by=by)
    return list(candidate.scores.all())
