"""民主评议党员 pages: the rounds, a branch's sheet, one member's entry, the member's own page, the ballot."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import history_for
from branches.access import get_object_for_user_or_404, scope_for
from branches.views.common import add_service_error

from .. import appraisal_flow as flow
from .. import services
from ..access import (
    can_manage_appraisal,
    get_appraisal_entry_for_user_or_404,
    get_appraisal_round_for_user_or_404,
    manages_anything,
)
from ..forms import AppraisalOpenForm, DecisionForm, MassOpinionForm, PeerGradingForm, SelfAppraisalForm, year_choices
from ..models import GRADE_ORDER, AppraisalEntry, AppraisalRound, Ballot, Grade, PeerTally

NAV = "appraisals"
PAGE_SIZE = 20


def _tallies(entry) -> list[int]:
    """The peer counts in grade order, from the prefetched tallies."""
    by_grade = {t.grade: t.count for t in entry.tallies.all()}
    return [by_grade.get(g, 0) for g in GRADE_ORDER]


def round_list(request):
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.read_paths):
        if scope.member_id:
            return redirect("appraisals:mine")
        raise Http404
    rounds = AppraisalRound.objects.visible_to(request.user)
    year = request.GET.get("year", "")
    if year.isdigit():
        rounds = rounds.filter(year=int(year))
    rounds = (
        rounds.select_related("org")
        .annotate(
            members=Count("entries", distinct=True),
            decided=Count("entries", filter=~Q(entries__grade=""), distinct=True),
            excellent=Count("entries", filter=Q(entries__grade=Grade.EXCELLENT), distinct=True),
        )
        .order_by("-year", "org__path")
    )
    page_obj = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "rounds": page_obj.object_list,
        "year": year,
        "years": year_choices(),
        "can_open": manages_anything(request.user),
    }
    return render(request, "appraisals/round_list.html", context)


@require_http_methods(["GET", "POST"])
def round_create(request):
    form = AppraisalOpenForm(request.POST or None, user=request.user)
    if not form.fields["org"].queryset.exists():
        raise Http404
    if request.method == "GET" and request.GET.get("org"):
        org = (
            form.fields["org"].queryset.filter(pk=request.GET["org"]).first() if request.GET["org"].isdigit() else None
        )
        if org is None:
            raise Http404
        form.initial["org"] = org
    if request.method == "POST" and form.is_valid():
        try:
            appraisal_round = services.appraisal_open(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The %(year)s appraisal of %(org)s is open for self-appraisals.")
                % {
                    "year": appraisal_round.year,
                    "org": appraisal_round.org.name,
                },
            )
            return redirect(appraisal_round)
    return render(request, "appraisals/round_form.html", {"form": form, "nav_active": NAV})


def _sheet_entries(appraisal_round):
    return list(
        appraisal_round.entries.select_related("member__org").prefetch_related(
            Prefetch("tallies", queryset=PeerTally.objects.order_by())
        )
    )


def round_detail(request, pk):
    appraisal_round = get_appraisal_round_for_user_or_404(request.user, pk)
    entries = _sheet_entries(appraisal_round)
    rows = [(e, _tallies(e)) for e in entries]
    voted = Ballot.objects.filter(round=appraisal_round).count()
    context = {
        "nav_active": NAV,
        "round": appraisal_round,
        "rows": rows,
        "grades": Grade.choices,
        "members": len(entries),
        "self_done": sum(1 for e in entries if e.has_self_appraisal),
        "decided": sum(1 for e in entries if e.is_decided),
        "voted": voted,
        "phases": flow.phase_states(appraisal_round),
        "next_move": flow.next_move(appraisal_round),
        "can_manage": can_manage_appraisal(request.user, appraisal_round),
        "history": history_for(appraisal_round)[:30],
    }
    return render(request, "appraisals/round_detail.html", context)


@require_POST
def round_move(request, pk, action):
    appraisal_round = get_appraisal_round_for_user_or_404(request.user, pk, manage=True)
    try:
        moved = services.appraisal_move(appraisal_round=appraisal_round, action=action, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The appraisal is now at: %(phase)s.") % {"phase": moved.get_phase_display()})
    return redirect(appraisal_round)


def _entry_page(request, entry, *, mass_form=None, decision_form=None, status=200):
    appraisal_round = entry.round
    can_manage = can_manage_appraisal(request.user, appraisal_round)
    is_own = scope_for(request.user).member_id == entry.member_id
    if mass_form is None:
        mass_form = MassOpinionForm(initial={f: getattr(entry, f) for f in services.appraisal.MASS_FIELDS})
    if decision_form is None:
        initial = {"grade": entry.grade, "votes_for": entry.votes_for, "note": entry.decision_note}
        if entry.votes_against is not None:
            initial.update(votes_against=entry.votes_against, votes_abstain=entry.votes_abstain)
        decision_form = DecisionForm(initial=initial)
    # A member sees the peer tallies of their own entry only once the year is closed.
    show_tallies = (
        can_manage
        or scope_for(request.user).may_read_path(appraisal_round.org.path)
        or (is_own and appraisal_round.is_closed)
    )
    context = {
        "nav_active": NAV,
        "round": appraisal_round,
        "entry": entry,
        "tallies": list(zip(Grade.choices, _tallies(entry), strict=True)) if show_tallies else None,
        "mass": list(zip(Grade.choices, entry.mass_counts, strict=True)),
        "can_manage": can_manage,
        "is_own": is_own,
        "may_mass": can_manage and flow.may_enter_mass_opinion(appraisal_round),
        "may_decide": can_manage and flow.may_decide(appraisal_round),
        "mass_form": mass_form,
        "decision_form": decision_form,
        "history": history_for(entry)[:20] if can_manage else [],
    }
    return render(request, "appraisals/entry_detail.html", context, status=status)


def entry_detail(request, pk):
    entry = get_appraisal_entry_for_user_or_404(request.user, pk)
    return _entry_page(request, entry)


def _managed_entry(request, pk):
    entry = get_appraisal_entry_for_user_or_404(request.user, pk)
    if not can_manage_appraisal(request.user, entry.round):
        raise Http404
    return entry


@require_POST
def entry_mass(request, pk):
    entry = _managed_entry(request, pk)
    form = MassOpinionForm(request.POST)
    if form.is_valid():
        try:
            services.mass_opinion_record(entry=entry, counts=form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The masses' opinion on %(name)s is recorded.") % {"name": entry.member.name})
            return redirect("appraisals:entry_detail", entry.pk)
    return _entry_page(request, entry, mass_form=form, status=400)


@require_POST
def entry_decide(request, pk):
    entry = _managed_entry(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.appraisal_decide(entry=entry, by=request.user, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s: %(grade)s.")
                % {
                    "name": entry.member.name,
                    "grade": Grade(data["grade"]).label,
                },
            )
            return redirect(entry.round)
    return _entry_page(request, entry, decision_form=form, status=400)


def mine(request):
    """我的评议: the member's own entries, year by year, with what they can do now."""
    scope = scope_for(request.user)
    if not scope.member_id:
        raise Http404
    entries = list(
        AppraisalEntry.objects.of_member(scope.member_id)
        .select_related("round__org")
        .prefetch_related(Prefetch("tallies", queryset=PeerTally.objects.order_by()))
        .order_by("-round__year")
    )
    voted = set(Ballot.objects.filter(voter_id=scope.member_id).values_list("round_id", flat=True))
    rows = []
    for entry in entries:
        appraisal_round = entry.round
        rows.append(
            {
                "entry": entry,
                "round": appraisal_round,
                "may_write": flow.may_write_self(appraisal_round),
                "may_vote": flow.may_vote(appraisal_round) and appraisal_round.pk not in voted,
                "has_voted": appraisal_round.pk in voted,
                "tallies": list(zip(Grade.choices, _tallies(entry), strict=True))
                if appraisal_round.is_closed
                else None,
                "form": SelfAppraisalForm(initial={"self_text": entry.self_text}, prefix=f"e{entry.pk}"),
            }
        )
    return render(request, "appraisals/mine.html", {"nav_active": NAV, "rows": rows})


@require_POST
def self_appraisal(request, pk):
    scope = scope_for(request.user)
    entry = get_object_for_user_or_404(
        AppraisalEntry.objects.of_member(scope.member_id or 0).select_related("round__org", "member"), pk
    )
    form = SelfAppraisalForm(request.POST, prefix=f"e{entry.pk}")
    if form.is_valid():
        try:
            services.self_appraisal_submit(entry=entry, text=form.cleaned_data["self_text"], by=request.user)
        except (ValidationError, PermissionDenied) as error:
            text = "；".join(error.messages) if isinstance(error, ValidationError) else _("Not allowed.")
            messages.error(request, text)
        else:
            messages.success(request, _("Your self-appraisal has been handed in."))
    else:
        messages.error(request, _("Write your self-appraisal before handing it in."))
    return redirect("appraisals:mine")


@require_http_methods(["GET", "POST"])
def vote(request, pk):
    """The secret ballot: a member grades every other member of their branch's round once."""
    scope = scope_for(request.user)
    appraisal_round = get_object_for_user_or_404(
        AppraisalRound.objects.filter(entries__member_id=scope.member_id or 0).select_related("org"), pk
    )
    has_voted = Ballot.objects.filter(round=appraisal_round, voter_id=scope.member_id).exists()
    others = list(appraisal_round.entries.exclude(member_id=scope.member_id).select_related("member"))
    form = PeerGradingForm(request.POST or None, entries=others)
    open_now = flow.may_vote(appraisal_round) and not has_voted
    if request.method == "POST" and open_now and form.is_valid():
        try:
            services.peer_grading_submit(appraisal_round=appraisal_round, grades=form.grades(), by=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Your grades have been counted. Nobody can see who gave which grade."))
            return redirect("appraisals:mine")
    elif request.method == "POST" and not open_now:
        messages.error(
            request,
            _("You have already handed in your grades for this appraisal.")
            if has_voted
            else _("Peer grading is not open."),
        )
        return redirect("appraisals:mine")
    context = {
        "nav_active": NAV,
        "round": appraisal_round,
        "form": form,
        "rows": form.bound_rows(),
        "open_now": open_now,
        "has_voted": has_voted,
        "grades": Grade.choices,
    }
    return render(request, "appraisals/vote.html", context, status=400 if form.errors else 200)
