"""The public side: a slip's code (typed or scanned) or a round's open link, and nothing else.

No login, nothing of the portal around it, and nothing stored about who answered: the code is
marked used, the open link counts requests per (hashed) address, and a signed cookie tells this
browser it has already answered.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import codes, ratelimit
from ..forms import AnswerForm, CodeEntryForm
from ..models import Round
from ..services import answering

ANSWERED_SALT = "xianfeng.evaluations.answered"
MISS_CODES = {"malformed", "unknown"}


def _answered_cookie(round_: Round) -> str:
    return f"xf_eval_{round_.pk}"


def _has_answered(request, round_: Round) -> bool:
    return request.get_signed_cookie(_answered_cookie(round_), default=None, salt=ANSWERED_SALT) == "1"


def _notice(request, *, title, message, status=200, kind="warning", retry=False):
    """A page with one message: used, expired, not yet open, too many tries."""
    return render(
        request,
        "evaluations/public_notice.html",
        {"title": title, "message": message, "kind": kind, "retry": retry},
        status=status,
    )


def _too_many(request):
    return _notice(
        request,
        title=_("Too many attempts"),
        message=_("Too many attempts from this network in a short time. Please wait an hour and try again."),
        status=429,
        kind="danger",
    )


def _miss(request) -> bool:
    """Count a wrong code; False once the address has tried too many."""
    limit, minutes = ratelimit.code_miss_limit()
    return ratelimit.hit(request, "code-miss", limit=limit, minutes=minutes)


def _refusal(request, error: ValidationError):
    titles = {
        "used": _("This code has been used"),
        "closed": _("This evaluation has ended"),
        "upcoming": _("This evaluation has not opened yet"),
        "no_link": _("Answers only with a code"),
    }
    status = 404 if error.code in MISS_CODES else 410 if error.code in ("used", "closed") else 403
    return _notice(
        request,
        title=titles.get(error.code, _("Code not recognised")),
        message=" ".join(error.messages),
        status=status,
        retry=error.code in MISS_CODES,
    )


def _questionnaire(request, *, round_, form, code_shown="", fixed_org=None, action=""):
    return render(
        request,
        "evaluations/answer_form.html",
        {"round": round_, "form": form, "code_shown": code_shown, "fixed_org": fixed_org, "action": action},
    )


@login_not_required
@never_cache
def answer_start(request):
    """Type the code from a paper slip (the address printed under the QR code)."""
    form = CodeEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if ratelimit.is_over(request, "code-miss", limit=ratelimit.code_miss_limit()[0], minutes=60):
            return _too_many(request)
        code = codes.normalize(form.cleaned_data["code"])
        try:
            answering.usable_code(code)
        except ValidationError as error:
            if error.code in MISS_CODES and not _miss(request):
                return _too_many(request)
            if error.code in MISS_CODES:
                form.add_error("code", error)
            else:
                return _refusal(request, error)
        else:
            return redirect("evaluations:answer_code", code=code)
    return render(request, "evaluations/answer_start.html", {"form": form})


@login_not_required
@never_cache
def answer_code(request, code):
    """The page a slip's QR code opens: the questionnaire, or why the code cannot be used."""
    limit, minutes = ratelimit.code_miss_limit()
    if ratelimit.is_over(request, "code-miss", limit=limit, minutes=minutes):
        return _too_many(request)
    try:
        row = answering.usable_code(code)
    except ValidationError as error:
        if error.code in MISS_CODES and not _miss(request):
            return _too_many(request)
        return _refusal(request, error)
    round_ = row.round
    targets = None if row.target_org_id else round_.targets.order_by("path")
    form = AnswerForm(request.POST or None, questions=round_.questions.all(), targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            answering.response_submit_with_code(
                code_text=code,
                target_org=form.cleaned_data.get("target_org"),
                ratings=form.ratings(),
                comment=form.cleaned_data.get("comment", ""),
            )
        except ValidationError as error:
            if error.code in ("missing", "target"):
                form.add_error(None, error)
            else:
                return _refusal(request, error)
        except IntegrityError:
            form.add_error(None, _("The questionnaire changed a moment ago; please check your answers and send again."))
        else:
            return redirect("evaluations:answer_thanks")
    return _questionnaire(request, round_=round_, form=form, code_shown=codes.display(code), fixed_org=row.target_org)


@login_not_required
@never_cache
def answer_open(request, token):
    """A round's open link: anyone may answer, limited per address and once per browser."""
    round_ = get_object_or_404(Round, open_token=token, allow_open_link=True)
    error = answering.state_error(round_, timezone.now())
    if error is not None:
        return _refusal(request, error)
    if _has_answered(request, round_):
        return _notice(
            request,
            title=_("You have already answered"),
            message=_("This browser has already sent an answer to this evaluation. Thank you for taking part."),
            kind="info",
        )
    limit, minutes = ratelimit.answer_limit()
    bucket = f"open-{round_.pk}"
    if ratelimit.is_over(request, bucket, limit=limit, minutes=minutes):
        return _too_many(request)
    targets = round_.targets.order_by("path")
    single = targets.first() if len(targets) == 1 else None
    form = AnswerForm(request.POST or None, questions=round_.questions.all(), targets=None if single else targets)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit(request, bucket, limit=limit, minutes=minutes):
            return _too_many(request)
        try:
            answering.response_submit_open(
                round=round_,
                target_org=single or form.cleaned_data.get("target_org"),
                ratings=form.ratings(),
                comment=form.cleaned_data.get("comment", ""),
            )
        except ValidationError as error:
            if error.code in ("missing", "target"):
                form.add_error(None, error)
            else:
                return _refusal(request, error)
        except IntegrityError:
            form.add_error(None, _("The questionnaire changed a moment ago; please check your answers and send again."))
        else:
            response = redirect("evaluations:answer_thanks")
            seconds = max(60, int((round_.closes_at - timezone.now()).total_seconds()))
            response.set_signed_cookie(
                _answered_cookie(round_), "1", salt=ANSWERED_SALT, max_age=seconds, httponly=True, samesite="Lax"
            )
            return response
    return _questionnaire(request, round_=round_, form=form, fixed_org=single)


@login_not_required
def answer_thanks(request):
    return _notice(
        request,
        title=_("Thank you"),
        message=_("Your answer has been received. It is anonymous: it is not linked to your code or to you."),
        kind="success",
    )
