from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign, Carrier
from portal.forms import StyledFormMixin

from .models import MEMBER_CATEGORIES, ORG_CATEGORIES, Category, Outcome, Status
from .services.pledging import MAX_ITEMS
from .services.progress import MAX_PHOTOS


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


class PledgeForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), empty_label=None)
    category = forms.ChoiceField(label=pgettext_lazy("pledge", "Category"))
    needs_notes = forms.CharField(
        label=_("Needs collected"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Whom you visited or talked with and what they need (调研走访); required before submitting."),
    )
    carriers = forms.ModelMultipleChoiceField(
        label=_("Carriers"), queryset=Carrier.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    leadership_post_holder = forms.BooleanField(
        label=_("Holds a leadership post (pledges to a higher standard)"), required=False
    )
    show_phone = forms.BooleanField(label=_("Show a service phone on the public board"), required=False)
    service_phone = forms.CharField(label=_("Service phone"), max_length=20, required=False)

    def __init__(self, data=None, *, campaigns, for_org: bool, pledge=None, initial=None):
        super().__init__(data, initial=initial)
        self.fields["campaign"].queryset = campaigns
        categories = ORG_CATEGORIES if for_org else MEMBER_CATEGORIES
        self.fields["category"].choices = [(c.value, Category(c).label) for c in categories]
        self.fields["carriers"].queryset = Carrier.objects.filter(campaign__in=campaigns).select_related("campaign")
        self.fields["carriers"].widget.attrs["class"] = "form-check-input"
        if for_org:
            del self.fields["leadership_post_holder"]
        if pledge is not None:
            del self.fields["campaign"]  # a pledge stays in its campaign
            self.fields["carriers"].queryset = pledge.campaign.carriers.all()


class ItemForm(StyledFormMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    content = forms.CharField(label=_("What I pledge"), max_length=200, required=False)
    target = forms.CharField(label=_("Concrete target"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput)


def item_formset(data=None, *, pledge=None, blank_rows=2):
    initial = []
    if pledge is not None:
        initial = [
            {"id": i.pk, "content": i.content, "target": i.target, "due_on": i.due_on} for i in pledge.items.all()
        ]
    formset = forms.formset_factory(
        ItemForm, extra=max(0, min(blank_rows, MAX_ITEMS - len(initial))), max_num=MAX_ITEMS, absolute_max=MAX_ITEMS
    )
    return formset(data, initial=initial, prefix="items")


def item_rows(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data]


class MoveForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[("", "—"), *Outcome.choices])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input (Django's documented pattern); each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProgressForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    item = forms.ModelChoiceField(
        label=_("Item"), queryset=None, required=False, empty_label=_("The pledge as a whole")
    )
    on = forms.DateField(label=pgettext_lazy("progress", "Date"), widget=DateInput)
    percent = forms.IntegerField(
        label=_("Progress of the item (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("100% marks the item as done."),
    )
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultiplePhotoField(
        label=_("Photos as evidence"),
        required=False,
        help_text=_("Up to %(n)s JPEG, PNG or WebP pictures.") % {"n": MAX_PHOTOS},
    )

    def __init__(self, data=None, files=None, *, pledge):
        super().__init__(data, files, initial={"on": timezone.localdate()})
        self.fields["item"].queryset = pledge.items.all()


class PledgeFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False, empty_label=_("All campaigns")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All states")), *Status.choices])
    category = forms.ChoiceField(
        label=pgettext_lazy("pledge", "Category"),
        required=False,
        choices=[("", pgettext_lazy("pledge", "All categories")), *Category.choices],
    )
    overdue = forms.BooleanField(label=_("Only with overdue items"), required=False)

    def __init__(self, data=None, *, campaigns):
        super().__init__(data)
        self.fields["campaign"].queryset = campaigns
        self.fields["q"].widget.attrs["placeholder"] = _("Name of the member or organization")
