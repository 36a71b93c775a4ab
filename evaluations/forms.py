from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Organization, OrgKind
from campaigns.models import Campaign
from portal.forms import StyledFormMixin

from .models import QuestionKind, Rating
from .services.slips import MAX_SLIPS


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * (obj.depth - 1)}{obj.name}"


class OrgsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RoundForm(StyledFormMixin, forms.Form):
    SOURCE_ORGS = "orgs"
    SOURCE_BOARDS = "boards"

    owner = OrgChoiceField(label=_("Run by"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Title"), max_length=120)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    source = forms.ChoiceField(
        label=_("Organizations evaluated"),
        choices=[
            (SOURCE_ORGS, _("The organizations ticked below")),
            (SOURCE_BOARDS, _("Every organization with a published pledge board in the campaign")),
        ],
        initial=SOURCE_ORGS,
        widget=forms.RadioSelect,
    )
    targets = OrgsChoiceField(
        label=_("Organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=_datetime_widget())
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=_datetime_widget())
    allow_open_link = forms.BooleanField(
        label=_("Also take answers through an open link (limited per device and address)"), required=False
    )
    intro = forms.CharField(
        label=_("Note to respondents"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )

    def __init__(self, *args, user, lock_targets=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        manageable = Organization.objects.manageable_by(user).active()
        self.fields["owner"].queryset = manageable.exclude(kind=OrgKind.GROUP)
        self.fields["targets"].queryset = manageable.exclude(kind=OrgKind.GROUP)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).select_related("org")
        self.fields["source"].widget.attrs["class"] = "form-check-input"
        self.fields["targets"].widget.attrs["class"] = "form-check-input"
        self.lock_targets = lock_targets
        if lock_targets:
            for name in ("source", "targets"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        if self.lock_targets:
            return data
        if data.get("source") == self.SOURCE_BOARDS:
            campaign = data.get("campaign")
            if campaign is None:
                self.add_error("campaign", _("Choose the campaign whose pledge boards are evaluated."))
                return data
            from pledges.models import BoardLink

            org_ids = BoardLink.objects.active().filter(campaign=campaign).values("org")
            data["targets"] = list(self.fields["targets"].queryset.filter(pk__in=org_ids))
            if not data["targets"]:
                self.add_error("source", _("No organization you manage has a published pledge board in this campaign."))
        elif not data.get("targets"):
            self.add_error("targets", _("Choose at least one organization to be evaluated."))
        return data


class QuestionForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Question"), max_length=200)
    kind = forms.ChoiceField(label=_("Question kind"), choices=QuestionKind.choices, initial=QuestionKind.RATING)


class QuestionTextForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Question"), max_length=200)


class SlipForm(StyledFormMixin, forms.Form):
    count = forms.IntegerField(label=_("Number of slips"), min_value=1, max_value=MAX_SLIPS, initial=100)
    target_org = forms.ModelChoiceField(
        label=_("Organization on the slips"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Any: the respondent chooses"),
    )

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_org"].queryset = round.targets.order_by("path")


class CodeEntryForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Evaluation code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class AnswerForm(StyledFormMixin, forms.Form):
    """The questionnaire: a rating per rated question, the org when the respondent picks it, a comment."""

    def __init__(self, *args, questions, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rated = []
        self.comment_question = None
        if targets is not None:
            self.fields["target_org"] = forms.ModelChoiceField(
                label=_("Organization you evaluate"),
                queryset=targets,
                empty_label=_("Choose…"),
                widget=forms.Select(attrs={"class": "form-select form-select-lg"}),
                error_messages={"required": _("Choose the organization you are evaluating.")},
            )
        for question in questions:
            if question.kind == QuestionKind.COMMENT:
                self.comment_question = question
                self.fields["comment"] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                )
            else:
                name = f"q{question.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=Rating.choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Please choose one.")},
                )
                self.rated.append((question, name))

    def ratings(self) -> dict:
        return {question.pk: self.cleaned_data[name] for question, name in self.rated}

    def rated_fields(self):
        return [self[name] for _question, name in self.rated]


class RectifyResultForm(StyledFormMixin, forms.Form):
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
