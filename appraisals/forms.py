"""Forms for appraisals and exemplars; every choice is limited to what the user may pick."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.forms import MemberChoiceField, OrgChoiceField
from branches.models import Organization, OrgKind
from campaigns.models import Campaign
from members.models import Member
from portal.forms import StyledFormMixin

from .models import CRITERIA, CandidateKind, CriteriaSet, Grade, SelectionRound, Title
from .models.selection import CRITERION_MAX


def year_choices():
    this_year = timezone.localdate().year
    return [(y, f"{y}年") for y in range(this_year + 1, this_year - 11, -1)]


class AppraisalOpenForm(StyledFormMixin, forms.Form):
    org = OrgChoiceField(label=_("Branch"), queryset=Organization.objects.none(), empty_label=_("Choose a branch"))
    year = forms.TypedChoiceField(label=pgettext_lazy("appraisal", "Year"), coerce=int, choices=())
    note = forms.CharField(
        label=_("Arrangement"),
        max_length=200,
        required=False,
        help_text=_("e.g. 12月上旬召开组织生活会，进行民主评议"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (
            Organization.objects.manageable_by(user).active().filter(kind=OrgKind.BRANCH).order_by("path")
        )
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = timezone.localdate().year


class SelfAppraisalForm(StyledFormMixin, forms.Form):
    self_text = forms.CharField(
        label=_("My self-appraisal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Your study, work, keeping of pledges and discipline this year, and what you will improve."),
    )


class PeerGradingForm(forms.Form):
    """One radio row per fellow member; field names carry the entry id."""

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for entry in entries:
            name = f"grade_{entry.pk}"
            self.fields[name] = forms.ChoiceField(
                label=entry.member.name, choices=Grade.choices, widget=forms.RadioSelect, required=True
            )
            self.rows.append((entry, name))

    def grades(self) -> dict[int, str]:
        return {int(name.removeprefix("grade_")): value for name, value in self.cleaned_data.items()}

    def bound_rows(self):
        return [(entry, self[name]) for entry, name in self.rows]


class RadioStyleMixin(StyledFormMixin):
    """StyledFormMixin gives every non-select widget "form-control"; radio buttons need Bootstrap's check class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-check-input"


class MassOpinionForm(StyledFormMixin, forms.Form):
    mass_excellent = forms.IntegerField(label=Grade.EXCELLENT.label, min_value=0, initial=0)
    mass_qualified = forms.IntegerField(label=Grade.QUALIFIED.label, min_value=0, initial=0)
    mass_basic = forms.IntegerField(label=Grade.BASIC.label, min_value=0, initial=0)
    mass_unqualified = forms.IntegerField(label=Grade.UNQUALIFIED.label, min_value=0, initial=0)


class DecisionForm(RadioStyleMixin, forms.Form):
    grade = forms.ChoiceField(label=_("Decided grade"), choices=Grade.choices, widget=forms.RadioSelect)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SelectionForm(StyledFormMixin, forms.Form):
    owner = OrgChoiceField(
        label=_("Organized by"), queryset=Organization.objects.none(), empty_label=_("Choose an organization")
    )
    title = forms.ChoiceField(label=pgettext_lazy("honour", "Title"), choices=Title.choices)
    name = forms.CharField(
        label=_("Name of the honour"), max_length=80, required=False, help_text=_("e.g. 十佳“党旗下的蒲公英”优秀党员")
    )
    candidate_kind = forms.ChoiceField(
        label=_("Candidates are"),
        choices=[("", _("As the title says")), *CandidateKind.choices],
        required=False,
    )
    criteria = forms.ChoiceField(
        label=_("Criteria"), choices=[("", _("As the candidates call for")), *CriteriaSet.choices], required=False
    )
    year = forms.TypedChoiceField(label=pgettext_lazy("appraisal", "Year"), coerce=int, choices=())
    quota = forms.IntegerField(label=_("Places"), min_value=1, required=False, help_text=_("Leave empty for no limit."))
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False, empty_label=_("Not part of a campaign")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            Organization.objects.manageable_by(user).active().exclude(kind=OrgKind.GROUP).order_by("path")
        )
        self.fields["campaign"].queryset = (
            Campaign.objects.visible_to(user).select_related("org").order_by("-starts_on")
        )
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = timezone.localdate().year


class StepForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Step"), max_length=40, required=False)
    body = forms.CharField(label=_("Decided by"), max_length=60, required=False)


StepFormSet = forms.formset_factory(StepForm, extra=2, max_num=12)


class CandidateForm(StyledFormMixin, forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none(), required=False)
    org = OrgChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Choose an organization"),
    )
    deeds = forms.CharField(label=_("Main deeds"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, selection: SelectionRound, **kwargs):
        super().__init__(*args, **kwargs)
        owner = selection.owner
        if selection.for_members:
            del self.fields["org"]
            self.fields["member"].required = True
            self.fields["member"].queryset = Member.objects.in_subtree(owner).party_members().select_related("org")
        else:
            del self.fields["member"]
            self.fields["org"].required = True
            orgs = Organization.objects.in_subtree(owner, include_self=False).active().exclude(kind=OrgKind.GROUP)
            if selection.title == Title.MODEL_BRANCH:
                orgs = orgs.filter(kind=OrgKind.BRANCH)
            self.fields["org"].queryset = orgs.order_by("path")


class DecisionStepForm(RadioStyleMixin, forms.Form):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, initial=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Passed")), ("0", _("Not passed"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class ScoresForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, criteria: str, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CRITERIA[CriteriaSet(criteria)]:
            # Added after StyledFormMixin has styled the fields, so styled here.
            self.fields[key] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=CRITERION_MAX,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "inputmode": "numeric"}),
            )


class DistributionFilterForm(forms.Form):
    year = forms.TypedChoiceField(coerce=int, choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
