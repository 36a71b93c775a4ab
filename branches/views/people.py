"""Who holds what on an org: leadership posts, roles, contact points, and the member picker they use."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members.models import Member

from .. import access, services
from ..forms import ContactPointForm, EndPostForm, PostForm, RoleForm
from ..models import ContactPoint
from .common import add_service_error

PICKER_LIMIT = 20


def member_options(request, pk):
    """Members of the org's subtree matching ``q``, as choices for a picker field."""
    org = access.get_org_for_user_or_404(request.user, pk, manage=True)
    query = request.GET.get("q", "").strip()
    people = Member.objects.none()
    if query:
        people = Member.objects.manageable_by(request.user).in_subtree(org).search(query)
        if request.GET.get("party"):
            people = people.party_members()
        if request.GET.get("login"):
            people = people.filter(user__isnull=False)
        people = people.select_related("org").order_by("name", "id")[:PICKER_LIMIT]
    return render(
        request,
        "branches/member_picker.html#options",
        {"people": people, "query": query, "field": request.GET.get("field", "member"), "limit": PICKER_LIMIT},
    )


def _render_form(request, template, org, form, **extra):
    return render(request, template, {"org": org, "form": form, "nav_active": "orgs", **extra})


@require_http_methods(["GET", "POST"])
def post_add(request, pk):
    org = access.get_org_for_user_or_404(request.user, pk, manage=True)
    form = PostForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_add(
                org=org,
                member=data["member"],
                post=data["post"],
                term=data["term"],
                started_on=data["started_on"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s now holds the post of %(post)s.")
                % {"name": post.member.name, "post": post.get_post_display()},
            )
            return redirect(org)
    return _render_form(request, "branches/post_form.html", org, form)


@require_http_methods(["GET", "POST"])
def post_end(request, pk, post_pk):
    org = access.get_org_for_user_or_404(request.user, pk, manage=True)
    post = get_object_or_404(org.posts.select_related("member"), pk=post_pk, ended_on__isnull=True)
    form = EndPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_end(post=post, ended_on=form.cleaned_data["ended_on"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The term of %(name)s has ended.") % {"name": post.member.name})
            return redirect(org)
    return _render_form(request, "branches/post_end.html", org, form, post=post)


@require_http_methods(["GET", "POST"])
def contact_point_add(request, pk):
    org = access.get_org_for_user_or_404(request.user, pk, manage=True)
    form = ContactPointForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            point = services.contact_point_add(
                leader=data["leader"], branch=data["branch"], since=data["since"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(leader)s is now linked to %(branch)s.")
                % {"leader": point.leader.name, "branch": point.branch.name},
            )
            return redirect(org)
    return _render_form(
        request, "branches/contact_point_form.html", org, form, max_per_leader=ContactPoint.MAX_PER_LEADER
    )


@require_POST
def contact_point_remove(request, pk, point_pk):
    org = access.get_org_for_user_or_404(request.user, pk, manage=True)
    # Only links shown on this org's page: to a branch below it, or of this org's own leaders.
    point = get_object_or_404(
        ContactPoint.objects.filter(Q(branch__path__startswith=org.path) | Q(leader__org=org))
        .filter(access.org_filter(request.user, field="branch__path", manage=True) or Q())
        .select_related("leader", "branch"),
        pk=point_pk,
    )
    services.contact_point_remove(contact_point=point, by=request.user)
    messages.success(
        request,
        _("%(leader)s is no longer linked to %(branch)s.") % {"leader": point.leader.name, "branch": point.branch.name},
    )
    return redirect(org)


@require_http_methods(["GET", "POST"])
def role_grant(request, pk):
    org = access.get_org_for_user_or_404(request.user, pk, manage=True)
    form = RoleForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            assignment = services.role_grant(org=org, user=member.user, role=form.cleaned_data["role"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s of %(org)s.")
                % {"name": member.name, "role": assignment.get_role_display(), "org": org.name},
            )
            return redirect(org)
    without_login = (
        org.posts.filter(ended_on__isnull=True, member__user__isnull=True).select_related("member").order_by("post")
    )
    return _render_form(request, "branches/role_form.html", org, form, without_login=without_login)


@require_POST
def role_revoke(request, pk, role_pk):
    org = access.get_org_for_user_or_404(request.user, pk, manage=True)
    assignment = get_object_or_404(org.role_assignments.select_related("user"), pk=role_pk)
    try:
        services.role_revoke(assignment=assignment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s no longer has the role %(role)s.")
            % {"name": assignment.user.display_name, "role": assignment.get_role_display()},
        )
    return redirect(org)
