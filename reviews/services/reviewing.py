"""Writing reviews: planning one, recording it, announcing it, and turning a shortcoming into an item."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import HistoryEntry
from audit.services import build_entries, diff, record_create, snapshot
from branches.models import Organization
from campaigns.models import Campaign
from campaigns.querysets import ancestor_paths
from members.models import Member
from reports.figures.cache import bump as bump_figures

from .. import review_flow
from ..models import Review, Shortcoming, Source, Stage
from ..permissions import head_of, leadership_for, may_review
from .rectifying import rectification_list

DEFAULT_DEADLINE_DAYS = 30


def _lock(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("org", "target_org", "target_member")
        .get(pk=review.pk)
    )


def _check_campaign(campaign: Campaign | None, org: Organization) -> None:
    if campaign is not None and campaign.org.path not in ancestor_paths(org.path):
        raise ValidationError({"campaign": _("This campaign does not cover the organization reviewed.")})


def _shortcomings_text(review: Review) -> str:
    return "\n".join(review.shortcomings.values_list("text", flat=True))


def _snapshot(review: Review) -> dict:
    data = snapshot(review)
    data["shortcomings"] = {"label": str(_("Shortcomings")), "value": _shortcomings_text(review)}
    return data


def record_update(review: Review, before: dict, *, actor, note: str = "") -> None:
    """audit's update row, with the shortcomings (kept in their own rows) in the same diff."""
    bump_figures(review.org)  # a review held, recorded or announced: the dashboards over its org count afresh
    changes = diff(before, _snapshot(review))
    if changes:
        (entry,) = build_entries(
            [(review, HistoryEntry.Action.UPDATE, changes)], actor=actor, source=HistoryEntry.Source.FORM, note=note
        )
        entry.save()


@transaction.atomic
def review_plan(
    *,
    target: Organization | Member,
    method: str,
    held_on: date,
    by,
    campaign: Campaign | None = None,
    place: str = "",
    preparation: str = "",
) -> Review:
    """A review planned by the user on an org (with its head) or a member; refused off the line."""
    decision = may_review(by, target)
    if not decision:
        raise PermissionDenied(decision.reason)
    is_org = isinstance(target, Organization)
    org = target if is_org else target.org
    _check_campaign(campaign, org)
    review = Review(
        campaign=campaign,
        reviewer_id=leadership_for(by).member_id,
        basis=decision.basis,
        target_org=target if is_org else None,
        target_head=head_of(target) if is_org else None,
        target_member=None if is_org else target,
        org=org,
        method=method,
        held_on=held_on,
        place=place.strip(),
        preparation=preparation.strip(),
        created_by=by,
    )
    review.full_clean(exclude=["reviewer", "org", "created_by"])
    review.save()
    record_create(review, actor=by)
    return review


@transaction.atomic
def review_update_plan(*, review: Review, data: dict, by) -> Review:
    review = _lock(review)
    if not review_flow.may_edit_plan(by, review):
        raise PermissionDenied
    _check_campaign(data.get("campaign"), review.org)
    before = _snapshot(review)
    for name in ("campaign", "method", "held_on", "place", "preparation"):
        if name in data:
            value = data[name]
            setattr(review, name, value.strip() if isinstance(value, str) else value)
    review.full_clean(exclude=["reviewer", "org", "created_by"])
    review.save()
    record_update(review, before, actor=by)
    return review


def _sync_shortcomings(review: Review, texts: list[str]) -> None:
    """One row per line; rows already turned into items stay, the others follow the text."""
    texts = [t.strip()[:300] for t in texts if t and t.strip()]
    existing = list(review.shortcomings.select_related("rectification_item"))
    kept_texts = set()
    for row in existing:
        linked = hasattr(row, "rectification_item")
        if row.text in texts and row.text not in kept_texts:
            kept_texts.add(row.text)
            row.position = texts.index(row.text)
            row.save(update_fields=["position"])
        elif linked:
            raise ValidationError(
                {
                    "shortcomings": _("“%(text)s” has become a rectification item and cannot be removed.")
                    % {"text": row.text}
                }
            )
        else:
            row.delete()
    Shortcoming.objects.bulk_create(
        Shortcoming(review=review, text=text, position=i) for i, text in enumerate(texts) if text not in kept_texts
    )


@transaction.atomic
def review_record(
    *,
    review: Review,
    held_on: date,
    duty_report: str,
    record: str,
    recorder: str,
    achievements: str,
    shortcomings: list[str],
    direction: str,
    by,
) -> Review:
    """What was said at the review (点评中): the first time, the review moves from planned to held."""
    review = _lock(review)
    if not review_flow.may_edit_content(by, review):
        raise PermissionDenied
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("A review is recorded once it has taken place; the date cannot be in the future.")
    if not achievements.strip():
        errors["achievements"] = _("Affirm the achievements (肯定成绩).")
    if not direction.strip():
        errors["direction"] = _("Give the direction for further effort (努力方向).")
    if not record.strip():
        errors["record"] = _("Write the record of what was said.")
    if errors:
        raise ValidationError(errors)
    before = _snapshot(review)
    from_stage = review.stage
    review.held_on = held_on
    review.duty_report = duty_report.strip()
    review.record = record.strip()
    review.recorder = recorder.strip()
    review.achievements = achievements.strip()
    review.direction = direction.strip()
    if review.stage == Stage.PLANNED:
        review.stage = Stage.HELD
    review.save()
    _sync_shortcomings(review, shortcomings)
    note = str(review_flow.MOVES["hold"].label) if from_stage == Stage.PLANNED else ""
    record_update(review, before, actor=by, note=note)
    return review


@transaction.atomic
def review_announce(*, review: Review, announcement: str, by) -> Review:
    """The opinions announced (通报); the review is closed for editing."""
    review = _lock(review)
    if not review_flow.may(by, review, "announce"):
        raise PermissionDenied
    if not announcement.strip():
        raise ValidationError({"announcement": _("Write what is announced and to whom.")})
    before = _snapshot(review)
    review.stage = Stage.ANNOUNCED
    review.announcement = announcement.strip()
    review.announced_on = timezone.localdate()
    review.save()
    record_update(review, before, actor=by, note=str(review_flow.MOVES["announce"].label))
    return review


def default_deadline(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=DEFAULT_DEADLINE_DAYS)


@transaction.atomic
def review_rectify(*, shortcoming: Shortcoming, deadline: date, by, measures: str = ""):
    """A shortcoming becomes a rectification item on the reviewed org and its head (or the member)."""
    review = shortcoming.review
    if not review_flow.may_rectify(by, review):
        raise PermissionDenied
    if Shortcoming.objects.filter(pk=shortcoming.pk, rectification_item__isnull=False).exists():
        raise ValidationError(_("This shortcoming is already on the rectification ledger."))
    owner_member = review.target_head if review.target_org_id else review.target_member
    return rectification_list(
        org=review.org,
        problem=shortcoming.text,
        owner_member=owner_member,
        deadline=deadline,
        source=Source.REVIEW,
        measures=measures,
        review=review,
        shortcoming=shortcoming,
        campaign=review.campaign,
        by=by,
    )
