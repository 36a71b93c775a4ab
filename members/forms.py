import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import Organization
from portal.forms import StyledFormMixin

from . import idcard
from .models import Education, Gender, Stage
from .pipeline import next_stage

PHONE_RE = re.compile(r"^\+?[0-9][0-9\-]{5,18}[0-9]$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ServiceErrorsMixin:
    def add_service_errors(self, error) -> None:
        """Put a service's ValidationError on the fields it names, the rest above the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class MemberForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """The roster fields. A plain Form, not a ModelForm, so the record is only changed by the service."""

    org = forms.IntegerField(
        label=_("Organization"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose the organization the member belongs to.")},
    )
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=60)
    id_number = forms.CharField(label=_("ID number"), max_length=24)
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", _("From the ID number")), *Gender.choices]
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=DateInput,
        help_text=_("Left blank, it is read from the ID number."),
    )
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, required=False, initial="汉族")
    education = forms.ChoiceField(label=_("Education"), required=False, choices=[("", "—"), *Education.choices])
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, initial=Stage.FULL)
    stage_on = forms.DateField(
        label=_("Reached this stage on"),
        required=False,
        widget=DateInput,
        help_text=_("For someone in the pipeline, blank means today."),
    )
    joined_on = forms.DateField(label=_("Joined the party on"), required=False, widget=DateInput)
    confirmed_on = forms.DateField(label=_("Confirmed as full member on"), required=False, widget=DateInput)
    work_unit = forms.CharField(label=_("Work unit and position"), max_length=120, required=False)
    party_post = forms.CharField(label=_("Party post"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    is_mobile = forms.BooleanField(label=_("Mobile member"), required=False)
    is_retired = forms.BooleanField(label=_("Retired"), required=False)
    is_frail = forms.BooleanField(label=_("Elderly or frail"), required=False)
    is_unemployed = forms.BooleanField(label=_("Without post"), required=False)

    flag_names = ("is_mobile", "is_retired", "is_frail", "is_unemployed")

    def __init__(self, data=None, *, user, instance=None, initial=None):
        initial = dict(initial or {})
        if instance is not None:
            initial.update({name: getattr(instance, name) for name in self.base_fields if hasattr(instance, name)})
            initial["org"] = instance.org
        if isinstance(initial.get("org"), Organization):
            self._initial_org = initial["org"]
            initial["org"] = initial["org"].pk
        else:
            self._initial_org = None
        # Set before the base __init__: StyledFormMixin validates a bound form right away.
        self.user = user
        self.instance = instance
        super().__init__(data, initial=initial)
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})

    @property
    def chosen_org(self):
        """The org to show next to the picker: the typed choice on a bound form, else the initial one."""
        if self.is_bound:
            if hasattr(self, "cleaned_data") and isinstance(self.cleaned_data.get("org"), Organization):
                return self.cleaned_data["org"]
            raw = self.data.get("org")
            if raw and str(raw).isdigit():
                return Organization.objects.manageable_by(self.user).filter(pk=int(raw)).first()
            return None
        return self._initial_org

    def clean_org(self):
        pk = self.cleaned_data["org"]
        org = Organization.objects.manageable_by(self.user).filter(pk=pk, is_active=True).first()
        if org is None:
            raise forms.ValidationError(_("Choose an organization you manage."))
        return org

    def clean_id_number(self):
        return idcard.parse(self.cleaned_data["id_number"]).number

    def clean_phone(self):
        phone = idcard.normalize(self.cleaned_data["phone"])
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(_("Enter a phone number of digits only, e.g. 13912345678."))
        return phone

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class MemberEditForm(MemberForm):
    # Stage moves are dated pipeline steps, made on the member page.
    stage = None
    stage_on = None


class StageAdvanceForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("E.g. recommended by the branch meeting, publicity period ended, vote passed."),
    )

    def __init__(self, *args, member, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.target = next_stage(member.stage)

    @property
    def target_label(self):
        return Stage(self.target).label if self.target else ""


class StageCorrectionForm(StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("Correct stage"), choices=Stage.choices)
    on = forms.DateField(label=_("Date the member reached it"), widget=DateInput)
    note = forms.CharField(label=_("Reason for the correction"), max_length=200)

    def __init__(self, *args, member, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)
        self.fields["stage"].initial = member.stage


class PhotoForm(StyledFormMixin, forms.Form):
    # A FileField, not an ImageField: members/photos.py does the checking, with its own messages.
    photo = forms.FileField(label=_("Photo"), help_text=_("JPEG, PNG or WebP; it is turned upright and re-saved."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
