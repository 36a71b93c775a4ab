"""An org's own page, and creating, editing, moving and dissolving orgs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.services import history_for

from .. import access, services, stats, tree
from ..forms import DissolveForm, MoveForm, OrgForm
from ..models import ContactPoint, Organization, Post
from ..services.areas import AREA_OWNER_KINDS
from ..services.orgs import EDITABLE_FIELDS, dissolve_blockers
from ..services.roles import roles_for
from .common import add_service_error

POST_ORDER = list(Post.values)
CONTACT_POINTS_SHOWN = 50


def org_detail(request, pk):
    org = access.get_org_for_user_or_404(request.user, pk)
    can_manage = access.can_manage_org(request.user, org)
    tree.attach_breadcrumbs(request.user, [org])
    children = tree.children_slice(org)
    posts = list(org.posts.select_related("member__user"))
    # The order the posts are listed in every report: 书记, 副书记, then the committee members.
    current_posts = sorted((p for p in posts if p.ended_on is None), key=lambda p: POST_ORDER.index(p.post))
    past_posts = sorted((p for p in posts if p.ended_on is not None), key=lambda p: p.ended_on, reverse=True)
    # Links to branches of this subtree, and this org's own leaders' links wherever they point.
    visible_branches = access.org_filter(request.user, field="branch__path")
    contact_points = (
        ContactPoint.objects.filter(Q(branch__path__startswith=org.path) | Q(leader__org=org))
        .filter(visible_branches or Q())
        .select_related("leader", "branch")
        .order_by("branch__path", "leader__name")
    )
    contact_points_total = contact_points.count()
    contact_points = contact_points[:CONTACT_POINTS_SHOWN]
    areas = []
    if org.kind in AREA_OWNER_KINDS:
        areas = org.areas.select_related("leader", "liaison").prefetch_related("branches")
    context = {
        "nav_active": "orgs",
        "org": org,
        "can_manage": can_manage,
        "summary": stats.subtree_summary(org),
        "children": children,
        "dissolved_children": Organization.objects.children_of(org).filter(is_active=False).count(),
        "current_posts": current_posts,
        "past_posts": past_posts,
        "areas": areas,
        "may_have_areas": org.kind in AREA_OWNER_KINDS,
        "contact_points": contact_points,
        "contact_points_total": contact_points_total,
        "role_assignments": org.role_assignments.select_related("user__member").order_by("role", "granted_at"),
        "grantable_roles": roles_for(org),
        "history": history_for(org)[:50],
    }
    return render(request, "branches/org_detail.html", context)


def _fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}


@require_http_methods(["GET", "POST"])
def org_create(request, pk=None):
    """A child under org ``pk``; without ``pk``, a new top-level tree (superusers only)."""
    parent = access.get_org_for_user_or_404(request.user, pk, manage=True) if pk is not None else None
    if parent is None and not request.user.is_superuser:
        raise PermissionDenied
    form = OrgForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_create(parent=parent, by=request.user, **_fields(form))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s has been set up.") % {"name": org.name})
            return redirect(org)
    return render(request, "branches/org_form.html", {"form": form, "parent": parent, "nav_active": "orgs"})


@require_http_methods(["GET", "POST"])
def org_edit(request, pk):
    org = access.get_org_for_user_or_404(request.user, pk, manage=True)
    # The form writes onto its own copy, so the service can diff against the stored row.
    form = OrgForm(request.POST or None, instance=Organization.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.org_update(org=org, by=request.user, **_fields(form))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Changes to %(name)s have been saved.") % {"name": org.name})
            return redirect(org)
        org.refresh_from_db()
    return render(request, "branches/org_form.html", {"form": form, "org": org, "nav_active": "orgs"})


@require_http_methods(["GET", "POST"])
def org_move(request, pk):
    org = access.get_org_for_user_or_404(request.user, pk, manage=True)
    form = MoveForm(request.POST or None, org=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_move(org=org, target=form.cleaned_data["target"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s and everything under it now sit under %(target)s.")
                % {"name": org.name, "target": form.cleaned_data["target"].name},
            )
            return redirect(org)
    tree.attach_breadcrumbs(request.user, [org])
    summary = stats.subtree_summary(org)
    return render(
        request, "branches/org_move.html", {"form": form, "org": org, "summary": summary, "nav_active": "orgs"}
    )


@require_http_methods(["GET", "POST"])
def org_dissolve(request, pk):
    org = access.get_org_for_user_or_404(request.user, pk, manage=True)
    form = DissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_dissolve(org=org, on=form.cleaned_data["on"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s has been dissolved.") % {"name": org.name})
            return redirect(org)
    children, members = dissolve_blockers(org)
    context = {
        "form": form,
        "org": org,
        "blocking_children": children,
        "blocking_members": members,
        "nav_active": "orgs",
    }
    return render(request, "branches/org_dissolve.html", context)
