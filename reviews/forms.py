from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.forms import StyledFormMixin

from .models import Method, Source, Stage, Status
from .uploads import ALLOWED, MAX_FILES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ServiceErrorsMixin:
    def add_service_errors(self, error) -> None:
        """A service's ValidationError on the fields it names, the rest above the form."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * max(0, obj.depth - 1)}{obj.name}"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.org.short_name or obj.org.name}）"


class ReviewPlanForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    target_org = OrgChoiceField(
        label=_("Organization and its head"), queryset=None, required=False, empty_label=_("— none —")
    )
    target_member = MemberChoiceField(label=_("or a member"), queryset=None, required=False, empty_label=_("— none —"))
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None, required=False, empty_label=_("— none —"))
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    preparation = forms.CharField(
        label=_("Preparation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was looked at beforehand: the pledges, the campaign ledger, talks."),
    )

    def __init__(self, *args, orgs, members, campaigns, with_target=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        if with_target:
            self.fields["target_org"].queryset = orgs
            self.fields["target_member"].queryset = members
        else:
            del self.fields["target_org"]
            del self.fields["target_member"]

    def clean(self):
        data = super().clean()
        if "target_org" in self.fields:
            chosen = [x for x in (data.get("target_org"), data.get("target_member")) if x]
            if len(chosen) != 1:
                raise forms.ValidationError(_("Choose one organization or one member to review."))
            data["target"] = chosen[0]
        return data


class ReviewRecordForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    duty_report = forms.CharField(
        label=_("Duty report of the reviewee"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("报告履责情况: what the organization or member reported on their duties and pledges."),
    )
    achievements = forms.CharField(label=_("Achievements affirmed"), widget=forms.Textarea(attrs={"rows": 3}))
    shortcomings = forms.CharField(
        label=_("Shortcomings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line; each can then be listed for rectification in one step."),
    )
    direction = forms.CharField(label=_("Direction"), widget=forms.Textarea(attrs={"rows": 3}))
    record = forms.CharField(label=_("Record of the review"), widget=forms.Textarea(attrs={"rows": 4}))
    recorder = forms.CharField(label=_("Recorded by"), max_length=60, required=False)

    def shortcoming_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("shortcomings", "").splitlines() if line.strip()]


class AnnounceForm(StyledFormMixin, forms.Form):
    announcement = forms.CharField(
        label=_("Announcement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How and to whom the opinions were announced (通报)."),
    )


class RectifyForm(StyledFormMixin, forms.Form):
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())


class ReviewFilterForm(StyledFormMixin, forms.Form):
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None, required=False, empty_label=_("All"))
    method = forms.ChoiceField(label=_("Method"), choices=[("", _("All")), *Method.choices], required=False)
    stage = forms.ChoiceField(
        label=pgettext_lazy("review", "Stage"), choices=[("", _("All")), *Stage.choices], required=False
    )
    date_from = forms.DateField(label=_("From date"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To date"), required=False, widget=DateInput())

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns


class ItemFilterForm(StyledFormMixin, forms.Form):
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Problem"), required=False, max_length=60)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *Status.choices], required=False)
    source = forms.ChoiceField(label=_("Source"), choices=[("", _("All")), *Source.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    date_from = forms.DateField(label=_("Listed from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Listed to"), required=False, widget=DateInput())


class ItemForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(
        label=_("Found in"), choices=[c for c in Source.choices if c[0] != Source.REVIEW], initial=Source.INSPECTION
    )
    owner_member = MemberChoiceField(
        label=_("Responsible person"), queryset=None, required=False, empty_label=_("— none —")
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    measures = forms.CharField(label=_("Measures"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None, required=False, empty_label=_("— none —"))

    def __init__(self, *args, members, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_member"].queryset = members
        self.fields["campaign"].queryset = campaigns


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class EvidenceForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Photos and files"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Interpolated per request, in the language of the request.
        self.fields["files"].help_text = _("Up to %(n)s files: %(allowed)s.") % {"n": MAX_FILES, "allowed": ALLOWED}


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for return"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
