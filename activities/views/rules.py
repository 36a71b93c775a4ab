"""The 三会一课 rules: everyone reads the ones that reach them; committee staff set their subtree's."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.services import history_for
from branches import access
from branches.models import Organization, OrgKind

from .. import services
from ..forms import RuleForm
from ..models import ComplianceRule
from ..querysets import staff_paths
from .common import require_reader


def get_rule_for_user_or_404(user, pk, *, manage: bool = False):
    qs = ComplianceRule.objects.manageable_by(user) if manage else ComplianceRule.objects.visible_to(user)
    return access.get_object_for_user_or_404(qs.select_related("owner"), pk)


def _owner_choices(user):
    """Orgs above branch level where the user may set rules (a rule for one branch is rarely
    wanted, and listing every branch of a large tree would bury the committees)."""
    orgs = Organization.objects.active().exclude(kind__in=[OrgKind.BRANCH, OrgKind.GROUP])
    if not user.is_superuser:
        orgs = orgs.filter(access.paths_q(staff_paths(user)))
    return orgs.order_by("path")


def rule_list(request):
    require_reader(request.user)
    rules = list(ComplianceRule.objects.visible_to(request.user).order_by("owner__path", "kind"))
    manageable = set(ComplianceRule.objects.manageable_by(request.user).values_list("pk", flat=True))
    context = {
        "rules": [(rule, rule.pk in manageable) for rule in rules],
        "may_add": request.user.is_superuser or bool(staff_paths(request.user)),
        "nav_active": "activities",
    }
    return render(request, "activities/rule_list.html", context)


@require_http_methods(["GET", "POST"])
def rule_create(request):
    if not (request.user.is_superuser or staff_paths(request.user)):
        # Secretaries read the rules; the committee above them sets them.
        return redirect("activities:rule_list")
    owners = _owner_choices(request.user)
    form = RuleForm(request.POST or None, initial={"minimum": 1, "is_active": True})
    owner_pk = request.POST.get("owner") or request.GET.get("owner")
    owner = None
    if owner_pk:
        owner = access.get_object_for_user_or_404(owners, owner_pk)
    if request.method == "POST" and form.is_valid():
        if owner is None:
            form.add_error(None, _("Choose the organization whose subtree the rule is for."))
        else:
            try:
                rule = services.rule_create(owner=owner, data=form.cleaned_data, by=request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The rule has been saved."))
                return redirect("activities:rule_edit", pk=rule.pk)
    context = {"form": form, "owners": owners, "owner": owner, "nav_active": "activities"}
    return render(request, "activities/rule_form.html", context)


@require_http_methods(["GET", "POST"])
def rule_edit(request, pk):
    rule = get_rule_for_user_or_404(request.user, pk, manage=True)
    initial = {name: getattr(rule, name) for name in services.RULE_FIELDS}
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_update(rule=rule, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The rule has been saved."))
            return redirect("activities:rule_edit", pk=rule.pk)
    context = {"form": form, "rule": rule, "history": history_for(rule)[:50], "nav_active": "activities"}
    return render(request, "activities/rule_form.html", context)
