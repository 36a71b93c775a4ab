"""Forms for organizations; their choices are always limited to what the user may manage."""

from django import forms
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member
from portal.forms import StyledFormMixin

from .models import ALLOWED_PARENT_KINDS, Area, LeadershipPost, Organization, OrgKind, Post, Role
from .services.orgs import EDITABLE_FIELDS
from .services.roles import roles_for


class DateInput(forms.DateInput):
    """The browser's date picker; it only reads ISO dates, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class OrgChoiceField(forms.ModelChoiceField):
    """Orgs named with their code: two 第一党小组 in a long list must be told apart."""

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.code}）"


class LimitedChoicesMixin:
    """Narrows querysets and choices to the user's scope as soon as the fields exist, so that
    validation only ever accepts what the user may pick."""

    scope_kwargs: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        scope = {name: kwargs.pop(name, None) for name in self.scope_kwargs}
        super().__init__(*args, **kwargs)
        self.limit_choices(**scope)

    def limit_choices(self, **scope):
        raise NotImplementedError


class OrgForm(StyledFormMixin, LimitedChoicesMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = EDITABLE_FIELDS
        widgets = {"founded_on": DateInput()}

    scope_kwargs = ("parent",)

    def limit_choices(self, *, parent):
        # Only the kinds that may sit under the parent are offered.
        if parent is not None or self.instance.pk is None:
            parent_kind = parent.kind if parent is not None else None
            self.fields["kind"].choices = [
                (value, label) for value, label in OrgKind.choices if parent_kind in ALLOWED_PARENT_KINDS[value]
            ]

    def validate_unique(self):
        # The service checks the code (case-insensitively) with a clearer message.
        pass


class MoveForm(StyledFormMixin, LimitedChoicesMixin, forms.Form):
    target = OrgChoiceField(
        label=_("New parent organization"),
        queryset=Organization.objects.none(),
        empty_label=_("Choose the new parent organization"),
    )

    scope_kwargs = ("org", "user")

    def limit_choices(self, *, org, user):
        allowed = [k for k in ALLOWED_PARENT_KINDS[OrgKind(org.kind)] if k]
        self.fields["target"].queryset = (
            Organization.objects.manageable_by(user)
            .active()
            .filter(kind__in=allowed)
            .exclude(path__startswith=org.path)
            .order_by("path")
        )


class DissolveForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label=_("Dissolved on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class PickedBoundField(BoundField):
    @property
    def picked(self):
        """The member currently chosen, so a re-shown form still names them."""
        value = self.value()
        if not value:
            return None
        try:
            return self.field.queryset.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None


class MemberChoiceField(forms.ModelChoiceField):
    """A member picked with the search box; the queryset bounds whom the form accepts."""

    widget = forms.HiddenInput
    bound_field_class = PickedBoundField

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.org.name}）"


def subtree_members(org):
    return Member.objects.in_subtree(org).select_related("org")


class PostForm(StyledFormMixin, LimitedChoicesMixin, forms.ModelForm):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())

    class Meta:
        model = LeadershipPost
        fields = ["member", "post", "term", "started_on"]
        widgets = {"started_on": DateInput()}

    scope_kwargs = ("org",)

    def limit_choices(self, *, org):
        self.fields["member"].queryset = subtree_members(org).party_members()
        self.fields["post"].choices = Post.choices


class EndPostForm(StyledFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("Term ended on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()


class AreaForm(StyledFormMixin, LimitedChoicesMixin, forms.ModelForm):
    leader = MemberChoiceField(label=_("Person in charge"), queryset=Member.objects.none(), required=False)
    liaison = MemberChoiceField(label=_("Liaison"), queryset=Member.objects.none(), required=False)
    branches = forms.ModelMultipleChoiceField(
        label=_("Branches"), queryset=Organization.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Area
        fields = ["name", "leader", "liaison", "branches"]

    scope_kwargs = ("owner",)

    def limit_choices(self, *, owner):
        people = subtree_members(owner)
        self.fields["leader"].queryset = people
        self.fields["liaison"].queryset = people
        self.fields["branches"].queryset = (
            Organization.objects.in_subtree(owner).active().filter(kind=OrgKind.BRANCH).order_by("path")
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Checkboxes in a grid, not full-width text boxes.
        self.fields["branches"].widget.attrs["class"] = "form-check-input"

    def validate_unique(self):
        # The service names the clash in words the user knows.
        pass


class ContactPointForm(StyledFormMixin, LimitedChoicesMixin, forms.Form):
    leader = MemberChoiceField(label=_("Leader"), queryset=Member.objects.none())
    branch = OrgChoiceField(label=_("Branch"), queryset=Organization.objects.none(), empty_label=_("Choose a branch"))
    since = forms.DateField(label=_("Since"), required=False, widget=DateInput())

    scope_kwargs = ("org",)

    def limit_choices(self, *, org):
        self.fields["leader"].queryset = subtree_members(org).party_members()
        self.fields["branch"].queryset = (
            Organization.objects.in_subtree(org).active().filter(kind=OrgKind.BRANCH).order_by("path")
        )


class RoleForm(StyledFormMixin, LimitedChoicesMixin, forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    role = forms.ChoiceField(label=_("Role"))

    scope_kwargs = ("org",)

    def limit_choices(self, *, org):
        self.fields["member"].queryset = subtree_members(org).filter(user__isnull=False).select_related("user")
        self.fields["role"].choices = [(r, Role(r).label) for r in roles_for(org)]


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=60)
