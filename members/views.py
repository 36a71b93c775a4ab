from django.shortcuts import redirect, render

from audit.services import history_for
from branches.access import get_member_for_user_or_404, scope_for

from .models import Member


def member_list(request):
    members = Member.objects.manageable_by(request.user).select_related("org")[:50]
    return render(request, "members/member_list.html", {"members": members, "nav_active": "members"})


def member_detail(request, pk):
    member = get_member_for_user_or_404(request.user, pk)
    return render(request, "members/member_detail.html", {"member": member, "history": history_for(member)[:50]})


def me(request):
    scope = scope_for(request.user)
    if not scope.member_id:
        return redirect("home")
    return redirect("members:member_detail", pk=scope.member_id)
