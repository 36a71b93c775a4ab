from django.shortcuts import render

from . import stats
from .access import get_org_for_user_or_404


def org_tree(request):
    return render(request, "branches/org_tree.html", {"nav_active": "orgs"})


def org_detail(request, pk):
    org = get_org_for_user_or_404(request.user, pk)
    return render(request, "branches/org_detail.html", {"org": org, "summary": stats.subtree_summary(org)})
