from functools import cached_property

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.forms import DateInput, ServiceErrorsMixin
from portal.forms import StyledFormMixin

from .models import AppliesTo, AttendanceStatus, Period
from .roster import carriers_for, kinds_for
from .services import MAX_PHOTOS_PER_UPLOAD

ATTENDANCE_PREFIX = "att-"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several pictures from one file input (Django's documented pattern for multiple uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ActivityForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """The record of an activity; attendance comes from one radio group per roster member."""

    kind = forms.ChoiceField(label=pgettext_lazy("activity", "Type"), widget=forms.RadioSelect)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    starts_at = forms.TimeField(label=_("Start time"), required=False, widget=TimeInput)
    title = forms.CharField(label=_("Topic"), max_length=120, required=False)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    host = forms.CharField(label=_("Host"), max_length=60, required=False)
    recorder = forms.CharField(label=_("Recorder"), max_length=60, required=False)
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    carriers = forms.ModelMultipleChoiceField(
        label=_("Carriers"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to %(n)s at a time.") % {"n": MAX_PHOTOS_PER_UPLOAD},
    )

    def __init__(self, data=None, files=None, *, org, roster, statuses=None, initial=None, with_photos=True):
        # Set before the base __init__: StyledFormMixin validates a bound form right away.
        self.org = org
        self.roster = list(roster)
        self.initial_statuses = statuses or {}
        super().__init__(data, files, initial={"held_on": timezone.localdate(), **(initial or {})})
        self.fields["kind"].choices = kinds_for(org)
        self.fields["carriers"].queryset = carriers_for(org)
        if not with_photos:
            del self.fields["photos"]
        for name in ("host", "recorder"):
            self.fields[name].widget.attrs.update({"list": "roster-names", "autocomplete": "off"})
        self.fields["place"].widget.attrs["placeholder"] = _("e.g. the branch's meeting room")
        self.fields["title"].widget.attrs["placeholder"] = _("Optional, e.g. studying the new party rules")

    def clean(self):
        cleaned = super().clean()
        statuses = {}
        for member in self.roster:
            value = self.data.get(f"{ATTENDANCE_PREFIX}{member.pk}", AttendanceStatus.PRESENT)
            if value not in AttendanceStatus.values:
                raise forms.ValidationError(_("Unknown attendance status."))
            statuses[member.pk] = value
        cleaned["statuses"] = statuses
        return cleaned

    @cached_property
    def attendance_rows(self):
        """(member, status) for the page: what was posted, else what is stored, else present."""
        rows = []
        for member in self.roster:
            key = f"{ATTENDANCE_PREFIX}{member.pk}"
            if self.is_bound:
                status = self.data.get(key, AttendanceStatus.PRESENT)
            else:
                status = self.initial_statuses.get(member.pk, AttendanceStatus.PRESENT)
            rows.append((member, status))
        return rows

    @property
    def attendance_counts(self) -> dict[str, int]:
        statuses = [status for _member, status in self.attendance_rows]
        counts = {value: statuses.count(value) for value in AttendanceStatus.values}
        return {"expected": len(statuses), **counts}


class PhotoUploadForm(forms.Form):
    photos = MultiplePhotoField(label=_("Photos"))


class RuleForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("activity", "Type"))
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)
    minimum = forms.IntegerField(
        label=_("At least"),
        min_value=0,
        max_value=31,
        help_text=_("Activities of this kind in each period; 0 means not required in this subtree."),
    )
    applies_to = forms.ChoiceField(label=_("Applies to"), choices=AppliesTo.choices)
    is_active = forms.BooleanField(
        label=_("In force"),
        required=False,
        initial=True,
        help_text=_("A rule not in force is skipped: the rule set above applies instead."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ActivityKind

        self.fields["kind"].choices = ActivityKind.choices
