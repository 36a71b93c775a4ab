"""The roster's search and filters, shared by the list page and its XLSX export."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.access import get_org_for_user_or_404, org_filter
from branches.models import OrgCategory
from portal.forms import StyledFormMixin

from .models import STAGE_ORDER, Member, Stage

FLAG_FIELDS = {
    "mobile": "is_mobile",
    "retired": "is_retired",
    "frail": "is_frail",
    "unemployed": "is_unemployed",
}

# 人员类别 on a real roster: 正式党员 / 预备党员, plus those still in the development pipeline.
KIND_STAGES = {
    "party": [Stage.PROBATIONARY, Stage.FULL],
    "full": [Stage.FULL],
    "probationary": [Stage.PROBATIONARY],
    "pipeline": [Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE],
}


class MemberFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=pgettext_lazy("roster", "Kind"),
        required=False,
        choices=[
            ("", _("All kinds")),
            ("party", _("Party members (full and probationary)")),
            ("full", _("Full members")),
            ("probationary", _("Probationary members")),
            ("pipeline", _("In the development pipeline")),
        ],
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices])
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *OrgCategory.choices]
    )
    flag = forms.ChoiceField(
        label=_("Flag"),
        required=False,
        choices=[
            ("", _("All members")),
            ("mobile", _("Mobile members")),
            ("retired", _("Retired")),
            ("frail", _("Elderly or frail")),
            ("unemployed", _("Without post")),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        # Set before the base __init__: StyledFormMixin validates a bound form right away.
        self.user = user
        self.org = None
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Name, last digits of ID number, or phone")

    def clean_org(self):
        pk = self.cleaned_data.get("org")
        if pk:
            # Same 404 as any other page for an org outside the user's scope.
            self.org = get_org_for_user_or_404(self.user, pk)
        return pk

    @property
    def narrows(self) -> bool:
        """True when anything beyond the user's own scope restricts the rows."""
        data = getattr(self, "cleaned_data", None) or {}
        return any(data.get(name) for name in ("q", "org", "kind", "stage", "category", "flag"))


def headcount_filter(form) -> tuple[Q, list[str]] | None:
    """The managed roster's filters as (Q on OrgHeadcount, stages counted), or None when a filter needs
    the member rows themselves (a search or a flag): the per-org counts know only org and stage."""
    scope = org_filter(form.user, field="org__path", manage=True)
    where = Q() if scope is None else scope
    if not form.is_valid():
        return where, list(STAGE_ORDER)  # filter_members lists the whole roster then
    data = form.cleaned_data
    if data.get("q") or data.get("flag"):
        return None
    if form.org is not None:
        where &= Q(org__path__startswith=form.org.path)
    if data.get("category"):
        where &= Q(org__category=data["category"])
    stages = [s for s in STAGE_ORDER if not data.get("stage") or s == data["stage"]]
    if data.get("kind"):
        stages = [s for s in stages if s in KIND_STAGES[data["kind"]]]
    return where, stages


def filter_members(user, data, *, manage: bool = True):
    """(form, queryset) for the roster the user may manage (or read), filtered by ``data``."""
    form = MemberFilterForm(data or None, user=user)
    base = Member.objects.manageable_by(user) if manage else Member.objects.visible_to(user)
    if not form.is_valid():
        return form, base
    qs = base
    data = form.cleaned_data
    if form.org is not None:
        qs = qs.in_subtree(form.org)
    if data.get("kind"):
        qs = qs.filter(stage__in=KIND_STAGES[data["kind"]])
    if data.get("stage"):
        qs = qs.filter(stage=data["stage"])
    if data.get("category"):
        qs = qs.filter(org__category=data["category"])
    if data.get("flag"):
        qs = qs.filter(**{FLAG_FIELDS[data["flag"]]: True})
    qs = qs.search(data.get("q", ""))
    return form, qs
