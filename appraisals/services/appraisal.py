"""Writes on member appraisal rounds: validated first, each leaving history, except the peer ballot.

The peer ballot leaves no history row on purpose: a row with its actor and time beside the tallies'
change would say who gave which grade. What is recorded is that the member voted (``Ballot``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_create, record_update, snapshot
from branches.models import Organization, OrgKind
from members.models import Member
from notifications.models import Notification
from notifications.services import notify

from .. import appraisal_flow as flow
from ..access import can_manage_appraisal
from ..models import GRADE_ORDER, AppraisalEntry, AppraisalPhase, AppraisalRound, Ballot, Grade, PeerTally


def participants_of(org: Organization):
    """Party members of the branch and of its 党小组: those who are appraised and grade each other."""
    return Member.objects.party_members().in_subtree(org).order_by("name", "id")


def _require_manager(user, appraisal_round) -> None:
    if not can_manage_appraisal(user, appraisal_round):
        raise PermissionDenied


@transaction.atomic
def appraisal_open(*, org: Organization, year: int, note: str = "", by) -> AppraisalRound:
    draft = AppraisalRound(org=org, year=year, note=(note or "").strip(), opened_by=by)
    _require_manager(by, draft)
    errors = {}
    if org.kind != OrgKind.BRANCH:
        errors["org"] = _("Members are appraised in their branch: choose a party branch.")
    elif not org.is_active:
        errors["org"] = _("This branch has been dissolved.")
    this_year = timezone.localdate().year
    if not (this_year - 10 <= year <= this_year + 1):
        errors["year"] = _("Choose a year between %(first)s and %(last)s.") % {
            "first": this_year - 10,
            "last": this_year + 1,
        }
    if not errors and AppraisalRound.objects.filter(org=org, year=year).exists():
        errors["year"] = _("%(org)s already has an appraisal for %(year)s.") % {"org": org.name, "year": year}
    members = list(participants_of(org)) if not errors else []
    if not errors and not members:
        errors["org"] = _("This branch has no party members to appraise.")
    if errors:
        raise ValidationError(errors)
    draft.save()
    entries = AppraisalEntry.objects.bulk_create(AppraisalEntry(round=draft, member=m) for m in members)
    # Every counter exists from the start, so a ballot only ever updates rows and adds none.
    PeerTally.objects.bulk_create(PeerTally(entry=e, grade=g) for e in entries for g in GRADE_ORDER)
    record_create(draft, actor=by, note=_("%(n)s members to appraise") % {"n": len(entries)})
    return draft


@transaction.atomic
def appraisal_move(*, appraisal_round: AppraisalRound, action: str, by) -> AppraisalRound:
    appraisal_round = AppraisalRound.objects.select_for_update().select_related("org").get(pk=appraisal_round.pk)
    _require_manager(by, appraisal_round)
    move = flow.MOVES.get(action)
    if move is None or move.source != appraisal_round.phase:
        raise ValidationError(
            _("This step is not possible now: the appraisal is at %(phase)s.")
            % {"phase": appraisal_round.get_phase_display()}
        )
    if move.target == AppraisalPhase.CLOSED:
        undecided = appraisal_round.entries.filter(grade="").count()
        if undecided:
            raise ValidationError(
                _("%(n)s members have no decided grade yet; decide every member before closing.") % {"n": undecided}
            )
    before = snapshot(appraisal_round)
    appraisal_round.phase = move.target
    appraisal_round.save(update_fields=["phase", "updated_at"])
    record_update(appraisal_round, before, actor=by, note=str(move.label))
    if move.target == AppraisalPhase.PEER:
        voters = [e.member.user for e in appraisal_round.entries.select_related("member__user") if e.member.user_id]
        notify(
            recipients=voters,
            kind=Notification.Kind.OTHER,
            message=_(
                "Peer grading of the %(year)s member appraisal in %(org)s is open: please grade your fellow members."
            )
            % {"year": appraisal_round.year, "org": appraisal_round.org.name},
            url=reverse("appraisals:vote", args=[appraisal_round.pk]),
            key=f"appraisal-peer-{appraisal_round.pk}",
        )
    return appraisal_round


def _current_round(entry: AppraisalEntry) -> AppraisalRound:
    """The entry's round as it is now, locked: the caller's copy may predate a phase move."""
    entry.round = AppraisalRound.objects.select_for_update().select_related("org").get(pk=entry.round_id)
    return entry.round


def _own_entry(entry: AppraisalEntry, by) -> None:
    if entry.member.user_id is None or entry.member.user_id != getattr(by, "pk", None):
        raise PermissionDenied


@transaction.atomic
def self_appraisal_submit(*, entry: AppraisalEntry, text: str, by) -> AppraisalEntry:
    _own_entry(entry, by)
    text = (text or "").strip()
    if not flow.may_write_self(_current_round(entry)):
        raise ValidationError(_("Self-appraisals can only be written before peer grading opens."))
    if len(text) < 20:
        raise ValidationError({"self_text": _("Write at least 20 characters about your year.")})
    before = snapshot(entry)
    entry.self_text = text
    entry.self_submitted_at = timezone.now()
    entry.save(update_fields=["self_text", "self_submitted_at"])
    record_update(entry, before, actor=by)
    return entry


@transaction.atomic
def peer_grading_submit(*, appraisal_round: AppraisalRound, grades: Mapping[int, str], by) -> Ballot:
    """One member's grades for every other member of the round, counted without a trace of who gave them."""
    # Locked so that closing the grading cannot slip in between the check and the count.
    appraisal_round = AppraisalRound.objects.select_for_update().get(pk=appraisal_round.pk)
    voter = Member.objects.filter(user=by).first() if getattr(by, "is_authenticated", False) else None
    entries = {e.pk: e for e in appraisal_round.entries.all()}
    if voter is None or not any(e.member_id == voter.pk for e in entries.values()):
        raise PermissionDenied
    if not flow.may_vote(appraisal_round):
        raise ValidationError(_("Peer grading is not open."))
    if Ballot.objects.filter(round=appraisal_round, voter=voter).exists():
        raise ValidationError(_("You have already handed in your grades for this appraisal."))
    subjects = {pk for pk, e in entries.items() if e.member_id != voter.pk}
    given = {int(pk): grade for pk, grade in grades.items()}
    if any(entries.get(pk) is not None and entries[pk].member_id == voter.pk for pk in given):
        raise ValidationError(_("Members do not grade themselves."))
    if set(given) - subjects:
        raise ValidationError(_("Only members of this branch's appraisal can be graded."))
    if set(given) != subjects:
        raise ValidationError(_("Grade every other member of the branch."))
    if any(grade not in GRADE_ORDER for grade in given.values()):
        raise ValidationError(_("Choose one of the four grades."))
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(round=appraisal_round, voter=voter)
    except IntegrityError:
        raise ValidationError(_("You have already handed in your grades for this appraisal.")) from None
    for grade in GRADE_ORDER:
        picked = [pk for pk, g in given.items() if g == grade]
        if picked:
            PeerTally.objects.filter(entry_id__in=picked, grade=grade).update(count=F("count") + 1)
    return ballot


MASS_FIELDS = ("mass_excellent", "mass_qualified", "mass_basic", "mass_unqualified")


@transaction.atomic
def mass_opinion_record(*, entry: AppraisalEntry, counts: Mapping[str, int], by) -> AppraisalEntry:
    _require_manager(by, _current_round(entry))
    if not flow.may_enter_mass_opinion(entry.round):
        raise ValidationError(_("The appraisal is closed."))
    values = {name: counts.get(name) or 0 for name in MASS_FIELDS}
    if any(not isinstance(v, int) or v < 0 for v in values.values()):
        raise ValidationError(_("Counts are whole numbers, zero or more."))
    before = snapshot(entry)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.save(update_fields=list(MASS_FIELDS))
    record_update(entry, before, actor=by, note=_("Mass opinion"))
    return entry


@transaction.atomic
def appraisal_decide(
    *,
    entry: AppraisalEntry,
    grade: str,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    note: str = "",
    by,
) -> AppraisalEntry:
    _require_manager(by, _current_round(entry))
    if not flow.may_decide(entry.round):
        raise ValidationError(
            _("The branch decides grades after peer grading has closed and before the appraisal closes.")
        )
    errors = {}
    if grade not in GRADE_ORDER:
        errors["grade"] = _("Choose one of the four grades.")
    votes = [votes_for, votes_against, votes_abstain]
    if any(v is None or v < 0 for v in votes):
        errors["votes_for"] = _("Record the vote: for, against and abstaining, zero or more each.")
    else:
        present = entry.round.entries.count()
        if sum(votes) > present:
            errors["votes_for"] = _("%(n)s votes is more than the %(present)s members of the appraisal.") % {
                "n": sum(votes),
                "present": present,
            }
        elif sum(votes) == 0:
            errors["votes_for"] = _("Record how the meeting voted.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(entry)
    entry.grade = grade
    entry.votes_for, entry.votes_against, entry.votes_abstain = votes
    entry.decision_note = (note or "").strip()
    entry.decided_by = by
    entry.decided_at = timezone.now()
    entry.save(
        update_fields=[
            "grade",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "decision_note",
            "decided_by",
            "decided_at",
        ]
    )
    record_update(entry, before, actor=by, note=str(Grade(grade).label))
    return entry
