"""The org tree: the user's scope roots, children on demand, and search by name or code."""

from django.core.paginator import Paginator
from django.shortcuts import render

from .. import tree
from ..access import get_org_for_user_or_404
from ..forms import SearchForm
from ..models import Organization
from .common import is_htmx

SEARCH_PAGE_SIZE = 20


def org_tree(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context = {"nav_active": "orgs", "query": query, "form": form}
    if query:
        matches = Organization.objects.visible_to(request.user).search(query).order_by("path")
        page = Paginator(matches, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        tree.attach_breadcrumbs(request.user, list(page.object_list))
        context["page_obj"] = page
    else:
        context["nodes"] = tree.scope_roots(request.user)
    if is_htmx(request):
        return render(request, "branches/org_tree.html#body", context)
    return render(request, "branches/org_tree.html", context)


def org_children(request, pk):
    parent = get_org_for_user_or_404(request.user, pk)
    try:
        offset = int(request.GET.get("offset", 0))
    except ValueError:
        offset = 0
    part = tree.children_slice(parent, offset=offset)
    return render(
        request,
        "branches/org_tree.html#nodes",
        {"nodes": part.nodes, "parent": parent, "next_offset": part.next_offset},
    )
