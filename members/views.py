import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import services as account_services
from audit.services import history_for
from branches.access import (
    can_manage_member,
    get_member_for_user_or_404,
    get_org_for_user_or_404,
    scope_for,
)
from branches.models import Organization

from . import services
from .filters import filter_members, headcount_filter
from .forms import MemberEditForm, MemberForm, PhotoForm, StageAdvanceForm, StageCorrectionForm
from .history_display import readable_history
from .models import Member, PiiAccess
from .pipeline import timeline
from .roster import label_rows, roster_page

ORG_SEARCH_LIMIT = 12
# One request hashes and prints this many passwords at most (about 10 s); pick a smaller org for more.
BULK_LOGIN_LIMIT = 1000


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _may_manage_any(user) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.manage_paths)


def member_list(request):
    if not _may_manage_any(request.user):
        # A member's roster is their own record; everyone else has nothing to list.
        if scope_for(request.user).member_id:
            return redirect("members:me")
        raise Http404
    form, qs = filter_members(request.user, request.GET)
    page_obj = roster_page(qs, request.GET.get("page"), headcount=headcount_filter(form))
    label_rows(page_obj.object_list)
    context = {
        "form": form,
        "page_obj": page_obj,
        "members": page_obj.object_list,
        "chosen_org": form.org,
        "nav_active": "members",
    }
    paginator = page_obj.paginator
    rows_html = _fragment(
        request,
        "rows",
        context,
        # Everything the table and its pager show: the rows' values (names, stages, orgs, logins,
        # the numbers it masks; RosterRow's repr has every field, the detail link included), the
        # count, the page, and the query string its links keep.
        content=(
            sorted(request.GET.lists()),
            paginator.count,
            paginator.is_capped,
            page_obj.number,
            paginator.num_pages,
            form.narrows,
            page_obj.object_list,
        ),
    )
    if _is_htmx(request) and request.headers.get("HX-Target") == "roster-rows":
        return HttpResponse(rows_html)
    # The filter form shows the query string's values (and marks the invalid ones) and nothing else.
    filters_html = _fragment(request, "filters", context, content=sorted(request.GET.lists()))
    return render(
        request, "members/member_list.html", {**context, "rows_html": rows_html, "filters_html": filters_html}
    )


# Bump when a fragment changes shape, so that copies cached by the previous release are not reused.
FRAGMENT_VERSION = 1


def _fragment(request, name, context, *, content) -> str:
    """The partial ``name`` of the roster page, rendered once per distinct content, then taken from the cache.

    The key is a digest of ``content``, which must be everything the partial shows, with the language
    and the URL prefix. A copy is reused only where rendering would give the same bytes, so no write
    (an edit, an import, a transfer, an org renamed, a login issued or deleted) has to invalidate
    anything, and one user's rows cannot reach another user's page unless they are exactly the rows
    that page shows. Neither partial holds a CSRF token or a CSP nonce: the page around them does.
    """
    seconds = settings.MEMBER_LIST_FRAGMENT_SECONDS
    digest = hashlib.sha256(repr((FRAGMENT_VERSION, get_language(), get_script_prefix(), content)).encode())
    key = f"members:list:{name}:{digest.hexdigest()}"
    html = cache.get(key) if seconds else None
    if html is None:
        # Without the request's context processors: the header's menu and bell are not in a partial.
        html = render_to_string(f"members/member_list.html#{name}", {**context, "request": request})
        if seconds:
            cache.set(key, html, seconds)
    return mark_safe(html)  # noqa: S308 (our own template's output, escaped as it was rendered)


def org_search(request):
    """Orgs the user manages whose name or code matches, for the pickers (htmx fragment)."""
    text = (request.GET.get("org_q") or "").strip()
    orgs = Organization.objects.none()
    if text:
        orgs = (
            Organization.objects.manageable_by(request.user)
            .active()
            .search(text)
            .only("id", "name", "code", "kind", "path", "is_joint", "is_temporary")[:ORG_SEARCH_LIMIT]
        )
    target = request.GET.get("target", "filter")
    query = request.GET.copy()
    for key in ("org_q", "target", "page", "org"):
        query.pop(key, None)
    return render(
        request,
        "members/org_search_results.html",
        {"orgs": orgs, "text": text, "target": target, "base_query": query.urlencode()},
    )


def member_detail(request, pk):
    member = get_member_for_user_or_404(request.user, pk)
    return _render_detail(request, member)


def me(request):
    scope = scope_for(request.user)
    if not scope.member_id:
        return redirect("home")
    member = get_member_for_user_or_404(request.user, scope.member_id)
    return _render_detail(request, member)


def _render_detail(request, member, *, status=200, **extra):
    manages = can_manage_member(request.user, member)
    is_self = scope_for(request.user).member_id == member.pk
    login = member.user if member.user_id else None
    history = readable_history(list(history_for(member)[:50]), mask_ids=not manages)
    if manages:
        services.record_pii_access(request.user, PiiAccess.Action.VIEW, member=member)
    context = {
        "member": member,
        "manages": manages,
        "id_display": member.id_number if manages else member.masked_id_number,
        "phone_display": member.phone if manages else member.masked_phone,
        "timeline": timeline(member),
        "history": history,
        "login": login,
        "login_locked": bool(login and account_services.lock_remaining(login)),
        "is_self": is_self,
        "nav_active": "me" if is_self else "members",
        **extra,
    }
    if manages:
        context.setdefault("advance_form", StageAdvanceForm(member=member))
    return render(request, "members/member_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def member_create(request):
    if not _may_manage_any(request.user):
        raise Http404
    initial_org = None
    scope = scope_for(request.user)
    if request.GET.get("org"):
        initial_org = get_org_for_user_or_404(request.user, request.GET["org"], manage=True)
    elif len(scope.manage_paths) == 1:
        # A secretary of one branch adds people to that branch; no need to search for it.
        initial_org = Organization.objects.filter(path=scope.manage_paths[0], is_active=True).first()
    form = MemberForm(request.POST or None, user=request.user, initial={"org": initial_org})
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("%(name)s has been added to the roster.") % {"name": member.name})
            return redirect(member)
    return render(request, "members/member_form.html", {"form": form, "nav_active": "members"})


@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = get_member_for_user_or_404(request.user, pk, manage=True)
    form = MemberEditForm(request.POST or None, user=request.user, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(member)
    services.record_pii_access(request.user, PiiAccess.Action.EDIT, member=member)
    return render(request, "members/member_form.html", {"form": form, "member": member, "nav_active": "members"})


@require_http_methods(["POST"])
def member_advance(request, pk):
    member = get_member_for_user_or_404(request.user, pk, manage=True)
    form = StageAdvanceForm(request.POST, member=member)
    if form.is_valid():
        try:
            member = services.member_advance_stage(
                member=member, on=form.cleaned_data["on"], note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(name)s is now: %(stage)s.") % {"name": member.name, "stage": member.get_stage_display()}
            )
            return redirect(member)
    return _render_detail(request, member, status=400, advance_form=form)


@require_http_methods(["GET", "POST"])
def member_correct_stage(request, pk):
    member = get_member_for_user_or_404(request.user, pk, manage=True)
    form = StageCorrectionForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_correct_stage(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The stage has been corrected."))
            return redirect(member)
    return render(
        request, "members/member_stage_correct.html", {"form": form, "member": member, "nav_active": "members"}
    )


@require_http_methods(["GET", "POST"])
def member_photo(request, pk):
    member = get_member_for_user_or_404(request.user, pk, manage=True)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_set_photo(member=member, upload=form.cleaned_data["photo"], by=request.user)
        except ValidationError as error:
            form.add_error("photo", error)
        else:
            messages.success(request, _("The photo has been saved."))
            return redirect(member)
    return render(request, "members/member_photo.html", {"form": form, "member": member, "nav_active": "members"})


@never_cache
@require_http_methods(["GET", "POST"])
def issue_login(request, pk):
    """Confirm, then give a member a login or a fresh initial password, shown on this response only."""
    member = get_member_for_user_or_404(request.user, pk, manage=True)
    if request.method == "POST":
        issued = account_services.member_issue_login(member=member, by=request.user)
        return _render_issued(request, [issued], back=member.get_absolute_url())
    return render(request, "members/issue_login_confirm.html", {"member": member, "nav_active": "members"})


@never_cache
@require_http_methods(["GET", "POST"])
def issue_logins(request, org_pk):
    """Logins for everyone in a managed subtree who has none yet; confirmation first."""
    org = get_org_for_user_or_404(request.user, org_pk, manage=True)
    waiting = Member.objects.manageable_by(request.user).in_subtree(org).filter(user__isnull=True)
    count = waiting.count()
    if request.method == "POST" and count <= BULK_LOGIN_LIMIT:
        issued = account_services.members_issue_logins(
            members=waiting.select_related("org").order_by("org__path", "name", "id"), by=request.user
        )
        return _render_issued(request, issued, back=f"{_list_url()}?org={org.pk}", org=org)
    return render(
        request,
        "members/issue_logins_confirm.html",
        {
            "org": org,
            "waiting": count,
            "too_many": count > BULK_LOGIN_LIMIT,
            "limit": BULK_LOGIN_LIMIT,
            "without_phone": waiting.filter(phone="").count(),
            "nav_active": "members",
        },
    )


def _list_url() -> str:
    from django.urls import reverse

    return reverse("members:member_list")


def _render_issued(request, issued, *, back, org=None):
    response = render(
        request,
        "accounts/issued_logins.html",
        {"issued": issued, "back": back, "org": org, "nav_active": "members"},
    )
    # The initial passwords exist only in this response: keep them out of every cache.
    response["Cache-Control"] = "no-store"
    return response
