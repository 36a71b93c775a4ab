"""Writes on campaigns, their phases and carriers: validated first, each leaving history.

Phase and carrier changes get their own history rows and also a line on the campaign, because the
campaign's page is where a reader looks for "who changed what here" and a removed phase is gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from audit.models import HistoryEntry
from audit.services import build_entries, diff, record_create, record_delete, record_update, snapshot
from branches import access
from branches.models import Organization

from .access import can_manage_campaign
from .models import DEFAULT_PHASES, Campaign, Carrier, Phase, PhaseKind


class PhasePlan(NamedTuple):
    kind: str
    name: str
    starts_on: date
    ends_on: date


class CarrierPlan(NamedTuple):
    name: str
    description: str = ""


def split_period(starts_on: date, ends_on: date, kinds: Sequence[str] = DEFAULT_PHASES) -> list[PhasePlan]:
    """The phases one after another over the period, each an equal share of its days; the first
    phases take the odd days. A period shorter than the list gets one day per phase while it lasts."""
    total = (ends_on - starts_on).days + 1
    if total <= 0:
        return []
    base, extra = divmod(total, len(kinds))
    plans, start = [], starts_on
    for index, kind in enumerate(kinds):
        length = base + (1 if index < extra else 0)
        if length == 0:
            break
        end = start + timedelta(days=length - 1)
        plans.append(PhasePlan(kind, str(PhaseKind(kind).label), start, end))
        start = end + timedelta(days=1)
    return plans


def _span(starts_on: date, ends_on: date) -> str:
    return f"{starts_on.isoformat()}～{ends_on.isoformat()}"


def _describe_phase(phase) -> str:
    return f"{phase.name}（{_span(phase.starts_on, phase.ends_on)}）"


def _describe_carrier(carrier) -> str:
    return f"{carrier.name}：{carrier.description}" if carrier.description else carrier.name


def _check_period(starts_on: date, ends_on: date, name: str) -> None:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the campaign a name.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The campaign cannot end before it starts.")
    if errors:
        raise ValidationError(errors)


def check_phases(starts_on: date, ends_on: date, phases: Iterable) -> None:
    """Each phase named, its dates in order, inside the campaign's period, and none overlapping.
    The messages name the phase rather than a field: on the create page several phases share a form."""
    phases = list(phases)
    for phase in phases:
        if not (phase.name or "").strip():
            raise ValidationError(_("Every phase needs a name."))
        if phase.ends_on < phase.starts_on:
            raise ValidationError(_("The phase %(name)s ends before it starts.") % {"name": phase.name})
        if phase.starts_on < starts_on or phase.ends_on > ends_on:
            raise ValidationError(
                _("The phase %(name)s (%(phase)s) lies outside the campaign period %(period)s.")
                % {
                    "name": phase.name,
                    "phase": _span(phase.starts_on, phase.ends_on),
                    "period": _span(starts_on, ends_on),
                }
            )
    ordered = sorted(phases, key=lambda p: (p.starts_on, p.ends_on))
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.starts_on <= earlier.ends_on:
            raise ValidationError(
                _("The phases %(a)s and %(b)s overlap; one phase must end before the next begins.")
                % {"a": _describe_phase(earlier), "b": _describe_phase(later)}
            )


def _check_carrier_name(campaign: Campaign | None, name: str, *, taken: Iterable[str] = (), pk=None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the carrier a name.")})
    names = {n.strip().casefold() for n in taken}
    if campaign is not None:
        names |= {c.name.strip().casefold() for c in campaign.carriers.exclude(pk=pk)}
    if name.casefold() in names:
        raise ValidationError({"name": _("This campaign already has a carrier named %(name)s.") % {"name": name}})
    return name


def _require_manage(by, campaign: Campaign) -> None:
    if not can_manage_campaign(by, campaign):
        raise PermissionDenied


def _note(campaign: Campaign, *, key: str, label: str, old: str = "", new: str = "", by) -> None:
    changes = {key: {"label": label, "old": old, "new": new}}
    (entry,) = build_entries(
        [(campaign, HistoryEntry.Action.UPDATE, changes)], actor=by, source=HistoryEntry.Source.FORM
    )
    entry.save()


def _renumber(campaign: Campaign) -> None:
    """Positions follow the dates, so the timeline reads in order whatever was edited last."""
    phases = list(Phase.objects.filter(campaign=campaign).order_by("starts_on", "id"))
    for index, phase in enumerate(phases):
        phase.position = index
    Phase.objects.bulk_update(phases, ["position"])


def created_changes(campaign: Campaign, phases, carriers) -> dict:
    """The campaign's fields plus its phases and carriers, for the one "created" row on its page."""
    changes = diff({}, snapshot(campaign))
    if phases:
        changes["phases"] = {"label": _("Phases"), "old": "", "new": "；".join(_describe_phase(p) for p in phases)}
    if carriers:
        changes["carriers"] = {"label": _("Carriers"), "old": "", "new": "、".join(c.name for c in carriers)}
    return changes


@transaction.atomic
def campaign_create(
    *,
    org: Organization,
    name: str,
    starts_on: date,
    ends_on: date,
    description: str = "",
    phases: Sequence[PhasePlan] | None = None,
    carriers: Sequence[CarrierPlan] = (),
    by,
) -> Campaign:
    """A campaign over org's subtree; without ``phases``, the six usual ones split over the period."""
    if not access.can_manage_org(by, org):
        raise PermissionDenied
    if not org.is_active:
        raise ValidationError({"org": _("%(org)s has been dissolved.") % {"org": org.name}})
    _check_period(starts_on, ends_on, name)
    phases = split_period(starts_on, ends_on) if phases is None else list(phases)
    check_phases(starts_on, ends_on, phases)
    seen: list[str] = []
    for carrier in carriers:
        seen.append(_check_carrier_name(None, carrier.name, taken=seen))
    campaign = Campaign.objects.create(
        org=org,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    ordered = sorted(phases, key=lambda p: p.starts_on)
    rows = Phase.objects.bulk_create(
        Phase(campaign=campaign, position=i, kind=p.kind, name=p.name.strip(), starts_on=p.starts_on, ends_on=p.ends_on)
        for i, p in enumerate(ordered)
    )
    carrier_rows = Carrier.objects.bulk_create(
        Carrier(campaign=campaign, name=c.name.strip(), description=c.description.strip()) for c in carriers
    )
    (entry,) = build_entries(
        [(campaign, HistoryEntry.Action.CREATE, created_changes(campaign, rows, carrier_rows))],
        actor=by,
        source=HistoryEntry.Source.FORM,
    )
    entry.save()
    return campaign


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, name: str, starts_on: date, ends_on: date, description: str = "", by
) -> Campaign:
    _require_manage(by, campaign)
    _check_period(starts_on, ends_on, name)
    outside = [p for p in campaign.phases.all() if p.starts_on < starts_on or p.ends_on > ends_on]
    if outside:
        raise ValidationError(
            _("The new period %(period)s leaves out the phases %(phases)s; change their dates first.")
            % {"period": _span(starts_on, ends_on), "phases": "、".join(_describe_phase(p) for p in outside)}
        )
    before = snapshot(campaign)
    campaign.name, campaign.starts_on, campaign.ends_on = name.strip(), starts_on, ends_on
    campaign.description = description.strip()
    campaign.save()
    record_update(campaign, before, actor=by)
    return campaign


@transaction.atomic
def phase_add(*, campaign: Campaign, kind: str, name: str, starts_on: date, ends_on: date, by) -> Phase:
    _require_manage(by, campaign)
    phase = Phase(campaign=campaign, kind=kind, name=(name or "").strip(), starts_on=starts_on, ends_on=ends_on)
    check_phases(campaign.starts_on, campaign.ends_on, [*Phase.objects.filter(campaign=campaign), phase])
    phase.save()
    _renumber(campaign)
    record_create(phase, actor=by)
    _note(campaign, key="phases", label=_("Phases"), new=_describe_phase(phase), by=by)
    return phase


@transaction.atomic
def phase_update(*, phase: Phase, kind: str, name: str, starts_on: date, ends_on: date, by) -> Phase:
    campaign = phase.campaign
    _require_manage(by, campaign)
    name = (name or "").strip()
    others = Phase.objects.filter(campaign=campaign).exclude(pk=phase.pk)
    # Checked on a copy, so a refused change leaves the phase as it is stored.
    candidate = PhasePlan(kind, name, starts_on, ends_on)
    check_phases(campaign.starts_on, campaign.ends_on, [*others, candidate])
    old, before = _describe_phase(phase), snapshot(phase)
    phase.kind, phase.name, phase.starts_on, phase.ends_on = kind, name, starts_on, ends_on
    phase.save()
    _renumber(campaign)
    if record_update(phase, before, actor=by) is not None:
        _note(campaign, key="phases", label=_("Phases"), old=old, new=_describe_phase(phase), by=by)
    return phase


@transaction.atomic
def phase_remove(*, phase: Phase, by) -> None:
    campaign = phase.campaign
    _require_manage(by, campaign)
    record_delete(phase, actor=by)
    _note(campaign, key="phases", label=_("Phases"), old=_describe_phase(phase), by=by)
    phase.delete()
    _renumber(campaign)


@transaction.atomic
def carrier_add(*, campaign: Campaign, name: str, description: str = "", by) -> Carrier:
    _require_manage(by, campaign)
    name = _check_carrier_name(campaign, name)
    carrier = Carrier.objects.create(campaign=campaign, name=name, description=(description or "").strip())
    record_create(carrier, actor=by)
    _note(campaign, key="carriers", label=_("Carriers"), new=_describe_carrier(carrier), by=by)
    return carrier


@transaction.atomic
def carrier_update(*, carrier: Carrier, name: str, description: str = "", by) -> Carrier:
    campaign = carrier.campaign
    _require_manage(by, campaign)
    name = _check_carrier_name(campaign, name, pk=carrier.pk)
    old, before = _describe_carrier(carrier), snapshot(carrier)
    carrier.name, carrier.description = name, (description or "").strip()
    carrier.save()
    if record_update(carrier, before, actor=by) is not None:
        _note(campaign, key="carriers", label=_("Carriers"), old=old, new=_describe_carrier(carrier), by=by)
    return carrier


@transaction.atomic
def carrier_remove(*, carrier: Carrier, by) -> None:
    campaign = carrier.campaign
    _require_manage(by, campaign)
    old = _describe_carrier(carrier)
    try:
        # Pledges and activities tagged with a carrier keep it: removing it would rewrite their record.
        with transaction.atomic():
            record_delete(carrier, actor=by)
            carrier.delete()
    except ProtectedError:
        raise ValidationError(
            _("%(name)s is already used by pledges or activities and cannot be removed.") % {"name": carrier.name}
        ) from None
    _note(campaign, key="carriers", label=_("Carriers"), old=old, new="", by=by)
