"""import-export widgets around the cleaners: messy cell in, clean value out; typed cell back on export."""

from datetime import date

from django.utils.translation import gettext as _
from import_export import widgets

from . import cleaning


class TextWidget(widgets.Widget):
    def __init__(self, max_length: int, *, required: bool = False):
        super().__init__()
        self.max_length = max_length
        self.required = required

    def clean(self, value, row=None, **kwargs):
        result = cleaning.bounded_text(value, self.max_length)
        if self.required and not result:
            raise ValueError(_("is required."))
        return result

    def render(self, value, obj=None, **kwargs):
        return value or ""


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cleaning.parse_date(value)

    def render(self, value, obj=None, **kwargs):
        return value if isinstance(value, date) else None


class FlagWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cleaning.parse_flag(value)

    def render(self, value, obj=None, **kwargs):
        return _("Yes") if value else _("No")


class ChoiceWidget(widgets.Widget):
    """A choice field written as one of the words rosters use (男, 正式党员, 大专 ...)."""

    def __init__(self, choices, words: dict[str, str]):
        super().__init__()
        self.choices = choices
        self.words = words

    def clean(self, value, row=None, **kwargs):
        return cleaning.parse_choice(value, self.words, self.choices)

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return str(self.choices(value).label)


class PhoneWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cleaning.parse_phone(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class PlainWidget(widgets.Widget):
    """Export-only columns (an org's name beside its code)."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value
