from django import forms
from django.utils.translation import gettext_lazy as _

from branches.access import get_org_for_user_or_404
from portal.forms import StyledFormMixin

from .models import ImportBatch


class UploadForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=ImportBatch.Kind.choices, widget=forms.RadioSelect, initial="roster"
    )
    target_org = forms.IntegerField(label=_("Into organization"), required=False, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel workbook (.xlsx, .xls) or CSV (UTF-8 or GBK)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.org = None
        # RadioSelect options are laid out by the template, not as a form-select.
        self.fields["kind"].widget.attrs["class"] = "form-check-input"

    def clean_target_org(self):
        pk = self.cleaned_data.get("target_org")
        if pk:
            # Not yours and does not exist: the same 404 as everywhere else.
            self.org = get_org_for_user_or_404(self.user, pk, manage=True)
        elif not self.user.is_superuser:
            raise forms.ValidationError(_("Choose the organization to import into."))
        return pk


class ConfirmForm(forms.Form):
    skip_errors = forms.BooleanField(required=False)
