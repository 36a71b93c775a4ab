from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from portal.forms import StyledFormMixin

from . import services


class LockoutAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Note that the password is case-sensitive."),
        "locked": _(
            "This account is locked after repeated failed logins. Try again in %(minutes)d minutes, "
            "or ask your secretary to reset the password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            user = get_user_model().objects.filter(username=username).first()
            remaining = services.lock_remaining(user) if user else None
            if remaining is not None:
                minutes = max(1, int(remaining.total_seconds() // 60) + 1)
                raise forms.ValidationError(self.error_messages["locked"], code="locked", params={"minutes": minutes})
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                services.login_failed(username)
            raise
        services.login_succeeded(self.get_user())
        return cleaned


class OwnPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    def save(self, commit=True):
        services.user_change_own_password(user=self.user, new_password=self.cleaned_data["new_password1"])
        return self.user
