"""选树先进典型 pages: the rounds, one round with its chain and candidates, one candidate's way through it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import history_for
from branches.access import scope_for
from branches.views.common import add_service_error

from .. import chain, services
from ..access import (
    can_manage_selection,
    get_candidate_for_user_or_404,
    get_selection_for_user_or_404,
    manages_anything,
)
from ..forms import CandidateForm, DecisionStepForm, ScoresForm, SelectionForm, StepFormSet
from ..models import Outcome, SelectionRound, StepDecision

NAV = "exemplars"
PAGE_SIZE = 20


def selection_list(request):
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.read_paths):
        return redirect("appraisals:honour_roll")
    rounds = (
        SelectionRound.objects.visible_to(request.user)
        .select_related("owner")
        .annotate(
            n_candidates=Count("candidates", distinct=True),
            n_honoured=Count("candidates", filter=Q(candidates__outcome=Outcome.HONOURED), distinct=True),
            n_steps=Count("steps", distinct=True),
        )
        .order_by("-year", "owner__path", "-id")
    )
    page_obj = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "rounds": page_obj.object_list,
        "can_create": manages_anything(request.user),
    }
    return render(request, "appraisals/selection_list.html", context)


@require_http_methods(["GET", "POST"])
def selection_create(request):
    form = SelectionForm(request.POST or None, user=request.user)
    if not form.fields["owner"].queryset.exists():
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            selection = services.selection_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is set up with the default chain; adjust it before starting.") % {"name": selection},
            )
            return redirect(selection)
    return render(request, "appraisals/selection_form.html", {"form": form, "nav_active": NAV})


def _candidates(selection):
    return list(
        selection.candidates.select_related("member", "unit")
        .prefetch_related(Prefetch("decisions", queryset=StepDecision.objects.order_by("step__position")))
        .annotate(score_total=Sum("scores__score"), n_scores=Count("scores"))
        .order_by("-steps_passed", "id")
    )


def selection_detail(request, pk):
    selection = get_selection_for_user_or_404(request.user, pk)
    steps = list(selection.steps.order_by("position"))
    candidates = _candidates(selection)
    rows = []
    for candidate in candidates:
        by_step = {d.step_id: d for d in candidate.decisions.all()}
        rows.append((candidate, [(step, by_step.get(step.pk)) for step in steps], chain.next_step(candidate, steps)))
    reached = [sum(1 for c in candidates if c.steps_passed > i) for i in range(len(steps))]
    context = {
        "nav_active": NAV,
        "selection": selection,
        "steps": steps,
        "step_counts": list(zip(steps, reached, strict=True)),
        "rows": rows,
        "honoured": sum(1 for c in candidates if c.is_honoured),
        "can_manage": can_manage_selection(request.user, selection),
        "may_edit_chain": chain.may_edit_chain(selection),
        "may_add": chain.may_add_candidates(selection),
        "may_decide": chain.may_decide(selection),
        "history": history_for(selection)[:30],
    }
    return render(request, "appraisals/selection_detail.html", context)


@require_http_methods(["GET", "POST"])
def selection_chain(request, pk):
    selection = get_selection_for_user_or_404(request.user, pk, manage=True)
    if not chain.may_edit_chain(selection):
        messages.error(request, _("The chain can only be changed before the selection starts."))
        return redirect(selection)
    initial = [{"name": s.name, "body": s.body} for s in selection.steps.order_by("position")]
    formset = StepFormSet(request.POST or None, initial=initial, prefix="steps")
    error = None
    if request.method == "POST" and formset.is_valid():
        steps = [(f.cleaned_data.get("name", ""), f.cleaned_data.get("body", "")) for f in formset.forms]
        try:
            services.selection_chain_update(selection=selection, steps=steps, by=request.user)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, _("The chain has been saved."))
            return redirect(selection)
    context = {"nav_active": NAV, "selection": selection, "formset": formset, "error": error}
    return render(request, "appraisals/selection_chain.html", context, status=400 if error else 200)


def _move(request, pk, service, done: str):
    selection = get_selection_for_user_or_404(request.user, pk, manage=True)
    try:
        service(selection=selection, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect(selection)


@require_POST
def selection_start(request, pk):
    return _move(request, pk, services.selection_start, _("The selection has started; the chain is fixed."))


@require_POST
def selection_close(request, pk):
    return _move(request, pk, services.selection_close, _("The selection is closed."))


@require_http_methods(["GET", "POST"])
def candidate_add(request, pk):
    selection = get_selection_for_user_or_404(request.user, pk, manage=True)
    form = CandidateForm(request.POST or None, selection=selection)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            candidate = services.candidate_add(
                selection=selection,
                member=data.get("member"),
                org=data.get("org"),
                deeds=data["deeds"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s has been nominated.") % {"name": candidate.display_name})
            if "another" in request.POST:
                return redirect("appraisals:candidate_add", selection.pk)
            return redirect(selection)
    context = {"nav_active": NAV, "selection": selection, "form": form, "org": selection.owner}
    return render(request, "appraisals/candidate_form.html", context, status=400 if form.errors else 200)


def _candidate_page(request, selection, candidate, *, decide_form=None, scores_form=None, status=200):
    steps = list(selection.steps.order_by("position"))
    decisions = {d.step_id: d for d in candidate.decisions.select_related("decided_by")}
    scores = {s.item: s.score for s in candidate.scores.all()}
    can_manage = can_manage_selection(request.user, selection)
    upcoming = chain.next_step(candidate, steps)
    if scores_form is None:
        scores_form = ScoresForm(initial=scores, criteria=selection.criteria)
    context = {
        "nav_active": NAV,
        "selection": selection,
        "candidate": candidate,
        "chain_rows": [(step, decisions.get(step.pk)) for step in steps],
        "next_step": upcoming,
        "score_rows": [(label, scores.get(key)) for key, label in selection.criteria_items],
        "score_total": sum(scores.values()),
        "can_manage": can_manage,
        "may_decide": can_manage and chain.may_decide(selection) and upcoming is not None,
        "may_score": can_manage and selection.status != "closed",
        "may_remove": can_manage and not decisions,
        "decide_form": decide_form or DecisionStepForm(),
        "scores_form": scores_form,
        "history": history_for(candidate)[:20],
    }
    return render(request, "appraisals/candidate_detail.html", context, status=status)


def candidate_detail(request, pk, candidate_pk):
    selection = get_selection_for_user_or_404(request.user, pk)
    candidate = get_candidate_for_user_or_404(request.user, selection, candidate_pk)
    return _candidate_page(request, selection, candidate)


def _managed(request, pk, candidate_pk):
    selection = get_selection_for_user_or_404(request.user, pk, manage=True)
    return selection, get_candidate_for_user_or_404(request.user, selection, candidate_pk)


@require_POST
def candidate_decide(request, pk, candidate_pk):
    selection, candidate = _managed(request, pk, candidate_pk)
    form = DecisionStepForm(request.POST)
    step = chain.next_step(candidate, list(selection.steps.order_by("position")))
    wanted = request.POST.get("step", "")
    if step is None or wanted != str(step.pk):
        # The page was out of date (someone else decided meanwhile): show the chain as it is now.
        messages.error(request, _("This step has already been decided; here is the chain as it stands."))
        return redirect("appraisals:candidate_detail", selection.pk, candidate.pk)
    if form.is_valid():
        try:
            services.step_decide(candidate=candidate, step=step, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(step)s recorded for %(name)s.")
                % {
                    "step": step.name,
                    "name": candidate.display_name,
                },
            )
            return redirect("appraisals:candidate_detail", selection.pk, candidate.pk)
    return _candidate_page(request, selection, candidate, decide_form=form, status=400)


@require_POST
def candidate_scores(request, pk, candidate_pk):
    selection, candidate = _managed(request, pk, candidate_pk)
    form = ScoresForm(request.POST, criteria=selection.criteria)
    if form.is_valid():
        try:
            services.scores_record(candidate=candidate, scores=form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The scores have been saved."))
            return redirect("appraisals:candidate_detail", selection.pk, candidate.pk)
    return _candidate_page(request, selection, candidate, scores_form=form, status=400)


@require_POST
def candidate_remove(request, pk, candidate_pk):
    selection, candidate = _managed(request, pk, candidate_pk)
    try:
        services.candidate_remove(candidate=candidate, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("appraisals:candidate_detail", selection.pk, candidate.pk)
    messages.success(request, _("%(name)s is no longer a candidate.") % {"name": candidate.display_name})
    return redirect(selection)
