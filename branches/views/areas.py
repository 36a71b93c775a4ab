"""片区: a committee's branches grouped with a person in charge and a liaison."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import access, services
from ..forms import AreaForm
from ..services.areas import AREA_OWNER_KINDS
from .common import add_service_error


def _fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in ("name", "leader", "liaison", "branches")}


@require_http_methods(["GET", "POST"])
def area_create(request, pk):
    owner = access.get_org_for_user_or_404(request.user, pk, manage=True)
    if owner.kind not in AREA_OWNER_KINDS:
        raise Http404
    form = AreaForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            area = services.area_create(owner=owner, by=request.user, **_fields(form))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The area %(name)s has been set up.") % {"name": area.name})
            return redirect(owner)
    return render(request, "branches/area_form.html", {"org": owner, "form": form, "nav_active": "orgs"})


@require_http_methods(["GET", "POST"])
def area_edit(request, pk, area_pk):
    owner = access.get_org_for_user_or_404(request.user, pk, manage=True)
    area = get_object_or_404(owner.areas.all(), pk=area_pk)
    # The form gets its own copy: the service diffs against the stored row.
    form = AreaForm(request.POST or None, instance=owner.areas.get(pk=area.pk), owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            services.area_update(area=area, by=request.user, **_fields(form))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Changes to the area %(name)s have been saved.") % {"name": area.name})
            return redirect(owner)
    return render(request, "branches/area_form.html", {"org": owner, "area": area, "form": form, "nav_active": "orgs"})
