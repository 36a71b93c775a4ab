"""The activity list's filters, shared by the page and its XLSX export."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.access import get_org_for_user_or_404
from campaigns.models import Campaign, Carrier
from members.forms import DateInput
from portal.forms import StyledFormMixin

from .models import Activity, ActivityKind


class ActivityFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=pgettext_lazy("activity", "Type"),
        required=False,
        choices=[("", _("All types")), ("three", _("三会一课 only")), *ActivityKind.choices],
    )
    start = forms.DateField(label=pgettext_lazy("date range", "From"), required=False, widget=DateInput)
    end = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, widget=DateInput)
    carrier = forms.ModelChoiceField(label=_("Carrier"), required=False, queryset=Carrier.objects.none())

    def __init__(self, *args, user, **kwargs):
        # Set before the base __init__: StyledFormMixin validates a bound form right away.
        self.user = user
        self.org = None
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = Carrier.objects.filter(
            campaign__in=Campaign.objects.visible_to(user)
        ).order_by("name", "id")
        self.fields["carrier"].empty_label = _("All carriers")
        self.fields["q"].widget.attrs["placeholder"] = _("Topic, place, host or minutes")

    def clean_org(self):
        pk = self.cleaned_data.get("org")
        if pk:
            self.org = get_org_for_user_or_404(self.user, pk)
        return pk

    @property
    def narrows(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return any(data.get(name) for name in ("q", "org", "kind", "start", "end", "carrier"))


def filter_activities(user, data):
    """(form, queryset) of the activities the user may read (the orgs in scope), filtered."""
    from .models import THREE_MEETINGS_ONE_LESSON

    form = ActivityFilterForm(data or None, user=user)
    qs = Activity.objects.visible_to(user)
    if not form.is_valid():
        return form, qs
    data = form.cleaned_data
    if form.org is not None:
        qs = qs.in_subtree(form.org)
    if data.get("kind") == "three":
        qs = qs.filter(kind__in=THREE_MEETINGS_ONE_LESSON)
    elif data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("start"):
        qs = qs.filter(held_on__gte=data["start"])
    if data.get("end"):
        qs = qs.filter(held_on__lte=data["end"])
    if data.get("carrier"):
        # A subquery keeps one row per activity (a join would repeat it per carrier).
        qs = qs.filter(pk__in=Activity.carriers.through.objects.filter(carrier=data["carrier"]).values("activity_id"))
    qs = qs.search(data.get("q", ""))
    return form, qs
