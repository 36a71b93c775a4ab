"""Staff pages: the list of rounds, a round (questionnaire, ways in, code sheets), create and edit."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import history_for
from branches.access import scope_for

from .. import progress
from ..forms import QuestionForm, QuestionTextForm, RoundForm, SlipForm
from ..models import Round, RoundState
from ..services import rounds as round_services
from ..services import slips as slip_services
from .access import (
    get_question_for_user_or_404,
    get_round_for_user_or_404,
    get_slip_batch_for_user_or_404,
    require_manager,
)

PER_PAGE = 25
STATES = [RoundState.OPEN, RoundState.UPCOMING, RoundState.CLOSED]


def round_list(request):
    require_manager(request.user)
    state = request.GET.get("state", "")
    rounds = (
        Round.objects.visible_to(request.user)
        .in_state(state)
        .select_related("owner", "campaign")
        .annotate(
            n_responses=Count("responses", distinct=True),
            n_targets=Count("targets", distinct=True),
        )
        .order_by("-opens_at", "-id")
    )
    now = timezone.now()
    counts = Round.objects.visible_to(request.user).aggregate(
        open=Count("pk", filter=Q(opens_at__lte=now, closes_at__gt=now)),
        upcoming=Count("pk", filter=Q(opens_at__gt=now)),
        closed=Count("pk", filter=Q(closes_at__lte=now)),
    )
    page = Paginator(rounds, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "state": state,
        "states": [(s.value, s.label, counts[s.value]) for s in STATES],
        "now": now,
        "nav_active": "evaluations",
    }
    return render(request, "evaluations/round_list.html", context)


def _round_form_values(form):
    data = form.cleaned_data
    return {
        "title": data["title"],
        "campaign": data.get("campaign"),
        "opens_at": data["opens_at"],
        "closes_at": data["closes_at"],
        "allow_open_link": data["allow_open_link"],
        "intro": data.get("intro", ""),
    }


def _default_window():
    today = timezone.localdate()
    opens = timezone.make_aware(datetime.combine(today, time(8, 0)))
    return opens, opens + timedelta(days=14, hours=10)


def round_create(request):
    require_manager(request.user)
    user = request.user
    if request.method == "POST":
        form = RoundForm(request.POST, user=user)
        if form.is_valid():
            try:
                round_ = round_services.round_create(
                    owner=form.cleaned_data["owner"],
                    targets=form.cleaned_data["targets"],
                    by=user,
                    **_round_form_values(form),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("The round is set up with the 五个好 questionnaire; change it as you need.")
                )
                return redirect(round_)
    else:
        opens, closes = _default_window()
        scope = scope_for(user)
        top = form_owner = None
        if not scope.is_superuser and scope.manage_paths:
            from branches.models import Organization

            top = Organization.objects.filter(path=scope.manage_paths[0]).first()
            form_owner = top.pk if top else None
        form = RoundForm(
            user=user,
            initial={"opens_at": opens, "closes_at": closes, "owner": form_owner, "source": RoundForm.SOURCE_ORGS},
        )
    return render(request, "evaluations/round_form.html", {"form": form, "nav_active": "evaluations"})


def round_edit(request, pk):
    round_ = get_round_for_user_or_404(request.user, pk, manage=True)
    locked = round_services.has_responses(round_)
    if request.method == "POST":
        form = RoundForm(request.POST, user=request.user, lock_targets=locked, initial=_initial(round_))
        if form.is_valid():
            targets = list(round_.targets.all()) if locked else form.cleaned_data["targets"]
            try:
                round_services.round_update(round=round_, targets=targets, by=request.user, **_round_form_values(form))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(round_)
    else:
        form = RoundForm(user=request.user, lock_targets=locked, initial=_initial(round_))
    form.fields["owner"].disabled = True
    return render(
        request,
        "evaluations/round_form.html",
        {"form": form, "round": round_, "locked": locked, "nav_active": "evaluations"},
    )


def _initial(round_):
    return {
        "owner": round_.owner_id,
        "title": round_.title,
        "campaign": round_.campaign_id,
        "source": RoundForm.SOURCE_ORGS,
        "targets": list(round_.targets.values_list("pk", flat=True)),
        "opens_at": timezone.localtime(round_.opens_at),
        "closes_at": timezone.localtime(round_.closes_at),
        "allow_open_link": round_.allow_open_link,
        "intro": round_.intro,
    }


def round_detail(request, pk):
    round_ = get_round_for_user_or_404(request.user, pk)
    manages = Round.objects.manageable_by(request.user).filter(pk=round_.pk).exists()
    batches = list(round_.slip_batches.select_related("target_org", "created_by")[:20])
    for batch in batches:
        batch.done = progress.read(batch.pk) if batch.is_running else None
    code_counts = round_.codes.aggregate(total=Count("pk"), used=Count("pk", filter=Q(used=True)))
    context = {
        "round": round_,
        "manages": manages,
        "questions": list(round_.questions.all()),
        "targets": list(round_.targets.order_by("path")),
        "responses": round_.responses.count(),
        "locked": round_services.has_responses(round_),
        "batches": batches,
        "running": [b for b in batches if b.is_running],
        "codes": code_counts,
        "slip_form": SlipForm(round=round_) if manages else None,
        "question_form": QuestionForm() if manages else None,
        "open_url": request.build_absolute_uri(round_.open_link_path()) if round_.allow_open_link else "",
        "entry_url": request.build_absolute_uri("/evaluations/answer/"),
        "history": history_for(round_)[:10],
        "nav_active": "evaluations",
    }
    return render(request, "evaluations/round_detail.html", context)


@require_POST
def round_close(request, pk):
    round_ = get_round_for_user_or_404(request.user, pk, manage=True)
    try:
        round_services.round_close(round=round_, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The round is closed; codes not yet used no longer work."))
    return redirect(round_)


@require_POST
def question_add(request, pk):
    round_ = get_round_for_user_or_404(request.user, pk, manage=True)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            round_services.question_add(
                round=round_, text=form.cleaned_data["text"], kind=form.cleaned_data["kind"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Write the question."))
    return redirect(f"{round_.get_absolute_url()}#questions")


def question_edit(request, pk, question_pk):
    question = get_question_for_user_or_404(request.user, pk, question_pk)
    form = QuestionTextForm(request.POST or None, initial={"text": question.text})
    if request.method == "POST" and form.is_valid():
        try:
            round_services.question_update(question=question, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(f"{question.round.get_absolute_url()}#questions")
    return render(
        request,
        "evaluations/question_form.html",
        {"form": form, "question": question, "round": question.round, "nav_active": "evaluations"},
    )


@require_POST
def question_remove(request, pk, question_pk):
    question = get_question_for_user_or_404(request.user, pk, question_pk)
    try:
        round_services.question_remove(question=question, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{question.round.get_absolute_url()}#questions")


@require_POST
def question_move(request, pk, question_pk):
    question = get_question_for_user_or_404(request.user, pk, question_pk)
    try:
        round_services.question_move(question=question, up=request.POST.get("direction") == "up", by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{question.round.get_absolute_url()}#questions")


@require_POST
def slip_request(request, pk):
    round_ = get_round_for_user_or_404(request.user, pk, manage=True)
    form = SlipForm(request.POST, round=round_)
    if form.is_valid():
        try:
            slip_services.slip_batch_request(
                round=round_,
                target_org=form.cleaned_data["target_org"],
                count=form.cleaned_data["count"],
                site_url=request.build_absolute_uri("/"),
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The code sheet is being printed; it appears below when ready."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{round_.get_absolute_url()}#slips")


def slip_progress(request, pk, batch_pk):
    batch = get_slip_batch_for_user_or_404(request.user, pk, batch_pk)
    if not batch.is_running:
        # The page is the round's own (its address may end in #slips): reload it, not navigate.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    batch.done = progress.read(batch.pk) or 0
    return render(request, "evaluations/round_detail.html#slip_progress", {"batch": batch})


def slip_download(request, pk, batch_pk):
    batch = get_slip_batch_for_user_or_404(request.user, pk, batch_pk)
    path = slip_services.slip_pdf_path(batch)
    if path is None:
        raise Http404
    filename = f"{batch.round.title}-{batch.count}-{batch.created_at:%Y%m%d%H%M}.pdf"
    response = FileResponse(path.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response
