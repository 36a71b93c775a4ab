"""Forms for campaigns; the org choices are limited to what the user manages."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.access import scope_for
from branches.forms import DateInput, OrgChoiceField
from branches.models import Organization, OrgKind
from portal.forms import StyledFormMixin

from .models import CampaignStatus, PhaseKind
from .services import split_period

# Orgs that run campaigns for a subtree; a user whose own scope is a branch may run one there too.
RUNNING_KINDS = (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE, OrgKind.GENERAL_BRANCH)
# A new campaign's period until the user picks one: half a year from today, like the reports' campaigns.
DEFAULT_LENGTH = timedelta(days=182)


def org_choices(user):
    scope = scope_for(user)
    qs = Organization.objects.manageable_by(user).active()
    if not scope.is_superuser:
        qs = qs.filter(Q(kind__in=RUNNING_KINDS) | Q(path__in=scope.manage_paths))
    else:
        qs = qs.filter(kind__in=RUNNING_KINDS)
    return qs.order_by("path")


class CampaignForm(StyledFormMixin, forms.Form):
    org = OrgChoiceField(label=_("Run by"), queryset=Organization.objects.none(), empty_label=None)
    name = forms.CharField(label=_("Campaign name"), max_length=120)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The theme and aims, as the campaign's plan states them."),
    )

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # The org stays: pledges and activities below it are already tagged with this campaign.
            del self.fields["org"]
        else:
            self.fields["org"].queryset = org_choices(user)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The campaign cannot end before it starts."))
        return data


def default_campaign_initial(today=None) -> dict:
    today = today or timezone.localdate()
    return {"starts_on": today, "ends_on": today + DEFAULT_LENGTH}


class PhaseForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Phase kind"), choices=PhaseKind.choices)
    name = forms.CharField(label=_("Phase name"), max_length=60)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The phase cannot end before it starts."))
        return data


PhaseFormSet = forms.formset_factory(PhaseForm, extra=0, can_delete=True)


def phase_initial(starts_on, ends_on) -> list[dict]:
    return [p._asdict() for p in split_period(starts_on, ends_on)]


class CarrierForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Carrier name"), max_length=60, help_text=_("e.g. 四争四创, 一旗一岗一承诺"))
    description = forms.CharField(label=_("What it means"), max_length=200, required=False)


class CampaignFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", _("All")), *CampaignStatus.choices], required=False)
