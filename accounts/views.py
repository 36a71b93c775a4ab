from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from branches.access import get_object_for_user_or_404, scope_for
from branches.models import RoleAssignment

from . import services
from .forms import LockoutAuthenticationForm, OwnPasswordChangeForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LockoutAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = "/"

    def form_valid(self, form):
        form.save()
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())


def _role_holders(user):
    """Users holding a role in an org the caller manages, the caller excluded."""
    return (
        RoleAssignment.objects.visible_to(user)
        .exclude(user=user)
        .exclude(user__is_superuser=True)
        .select_related("user", "org")
        .order_by("org__path", "role", "user__username")
    )


def role_logins(request):
    """The logins of secretaries and staff below the caller, to reset a forgotten password."""
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.manage_paths):
        raise Http404
    assignments = _role_holders(request.user)
    text = (request.GET.get("q") or "").strip()
    if text:
        assignments = assignments.filter(
            Q(user__username__icontains=text) | Q(user__full_name__icontains=text) | Q(org__name__icontains=text)
        )
    page_obj = Paginator(assignments, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/role_logins.html",
        {"page_obj": page_obj, "assignments": page_obj.object_list, "q": text, "nav_active": "members"},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def reset_password(request, pk):
    """Confirm, then a fresh initial password for a role holder below the caller, shown once."""
    holders = get_user_model().objects.filter(pk__in=_role_holders(request.user).values("user_id"))
    target = get_object_for_user_or_404(holders, pk)
    if not services.can_reset_user(request.user, target):
        raise Http404
    if request.method == "POST":
        issued = services.user_reset_password(user=target, by=request.user)
        response = render(
            request,
            "accounts/issued_logins.html",
            {"issued": [issued], "back": reverse("accounts:role_logins"), "nav_active": "members"},
        )
        response["Cache-Control"] = "no-store"
        return response
    roles = RoleAssignment.objects.filter(user=target).select_related("org").order_by("org__path")
    return render(
        request, "accounts/reset_password_confirm.html", {"target": target, "roles": roles, "nav_active": "members"}
    )
