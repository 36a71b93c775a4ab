from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import Organization, OrgKind
from campaigns.models import Campaign
from portal.forms import StyledFormMixin

from .drafting import TEMPLATES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Indented by depth so the tree reads in a plain select.
        return f"{'　' * max(0, obj.depth - 1)}{obj.name}"


def org_choices(queryset):
    return queryset.active().exclude(kind=OrgKind.GROUP).order_by("path")


class ReportCreateForm(StyledFormMixin, forms.Form):
    org = OrgChoiceField(label=_("Organization"), queryset=Organization.objects.none(), empty_label=None)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), empty_label=None)
    template = forms.ChoiceField(
        label=pgettext_lazy("report", "Template"), choices=list(TEMPLATES.items()), widget=forms.RadioSelect
    )
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())
    baseline_start = forms.DateField(label=_("Compare with the period from"), required=False, widget=DateInput())
    baseline_end = forms.DateField(label=_("Compare with the period to"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_choices(Organization.objects.manageable_by(user))
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).select_related("org")
        self.fields["template"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        start, end = data.get("baseline_start"), data.get("baseline_end")
        if bool(start) != bool(end):
            self.add_error("baseline_end", _("Give both dates of the period compared with, or neither."))
        return data

    @property
    def baseline(self):
        data = self.cleaned_data
        if data.get("baseline_start") and data.get("baseline_end"):
            return (data["baseline_start"], data["baseline_end"])
        return None


class ReportEditForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=pgettext_lazy("report", "Title"), max_length=200)
    note = forms.CharField(label=_("Note on this version"), max_length=200, required=False)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for item in sections:
            field = forms.CharField(
                label=item["heading"] or _("Opening"),
                required=False,
                widget=forms.Textarea(attrs={"rows": max(4, min(14, item["text"].count("\n") * 2 + 4))}),
                initial=item["text"],
            )
            self.fields[f"section_{item['key']}"] = field

    def texts(self) -> dict[str, str]:
        return {item["key"]: self.cleaned_data.get(f"section_{item['key']}", "") for item in self.sections}


class DashboardForm(StyledFormMixin, forms.Form):
    org = OrgChoiceField(label=_("Organization"), queryset=Organization.objects.none(), required=False)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False, empty_label=_("All campaigns")
    )
    start = forms.DateField(label=_("Period from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Period to"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_choices(Organization.objects.visible_to(user))
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)

    def period(self, campaign):
        """The dates asked for; else the campaign's start to today; else the last twelve months."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return default_period(campaign, timezone.localdate(), start=data.get("start"), end=data.get("end"))


def default_period(campaign, today, *, start=None, end=None):
    """(start, end) of the dashboard: the dates given, else the campaign's start to today, else the last
    twelve months (also what reports/dashboard.py counts ahead for the first visit)."""
    end = end or (min(campaign.ends_on, today) if campaign else today)
    start = start or (campaign.starts_on if campaign else end - timedelta(days=364))
    if start > end:
        start, end = end, start
    return start, end
