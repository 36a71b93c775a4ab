"""Turning what people type into rosters into clean values.

Each cleaner takes a raw cell (str, number, date from the reader, or None) and returns the clean
value, or raises ValueError with the reason in the user's language. The caller names the field and
the value in the message, so reasons here say only what is wrong and what would be accepted.
"""

import math
import re
import time
import unicodedata
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

# Excel counts days from 1899-12-30 (the 1900 leap-year bug makes that the working epoch).
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIAL_MAX = 73051  # 2099-12-31
CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")
_DATE_PARTS = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*(?:[.\-/月]\s*(?:(\d{1,2})\s*日?)?)?$")
_DATETIME_TEXT = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """Full-width forms folded to ASCII, stray and padding spaces removed.

    Two-character names are often padded to three (张  三); spaces between Chinese characters
    carry no meaning, so they go. Other runs of whitespace become one space.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = unicodedata.normalize("NFKC", str(value))
    result = _SPACE_BETWEEN_CJK.sub("", result)
    result = " ".join(result.split())
    # Excel users type a leading apostrophe to keep a value as text; our export writes one too.
    if result.startswith("'"):
        result = result[1:].strip()
    return result


def bounded_text(value, max_length: int) -> str:
    result = text(value)
    if len(result) > max_length:
        raise ValueError(
            _("is %(n)d characters long; at most %(max)d are allowed.") % {"n": len(result), "max": max_length}
        )
    return result


class MonthOnly(date):
    """A date written to the month (2010.06): stored as the 1st, matched to the month only."""


_today_cache: tuple[float, date] = (0.0, date.min)


def _today() -> date:
    """Today, looked up at most once a minute: a large file has tens of thousands of dates."""
    global _today_cache
    now = time.monotonic()
    if now - _today_cache[0] > 60:
        _today_cache = (now, timezone.localdate())
    return _today_cache[1]


def _checked_date(year: int, month: int, day: int, *, month_only: bool = False) -> date:
    try:
        result = (MonthOnly if month_only else date)(year, month, day)
    except ValueError:
        raise ValueError(_("is not a real date.")) from None
    if result.year < 1900:
        raise ValueError(_("is before 1900."))
    if result > _today():
        raise ValueError(_("is in the future."))
    return result


def _from_number(value: float) -> date:
    if not math.isfinite(value):
        raise ValueError(_("is not a date."))
    if value.is_integer():
        number = int(value)
        if 19000101 <= number <= 21001231:
            return _checked_date(number // 10000, number // 100 % 100, number % 100)
        if 190001 <= number <= 210012:
            return _checked_date(number // 100, number % 100, 1, month_only=True)
        if 1900 <= number <= 2100:
            raise ValueError(_("gives only a year; write at least the year and month, e.g. 2010.06."))
        if 1 <= number <= EXCEL_SERIAL_MAX:
            return _checked_date(*(EXCEL_EPOCH + timedelta(days=number)).timetuple()[:3])
        raise ValueError(_("is not a date."))
    # A cell typed as 2010.06 arrives as the number 2010.06. Excel drops trailing zeros, so
    # 2010.1 may have been typed as 2010.1 (January) or 2010.10 (October): refuse to guess.
    year = int(value)
    fraction = f"{value:.6f}".split(".")[1].rstrip("0")
    if not 1900 <= year <= 2100 or len(fraction) > 2:
        raise ValueError(_("is not a date."))
    if fraction == "1":
        raise ValueError(
            _("is ambiguous: Excel stored it as a number, so it may mean January or October. Write 2010-01 or 2010-10.")
        )
    return _checked_date(year, int(fraction), 1, month_only=True)


def parse_date(value) -> date | None:
    """2010.06 and 2010年6月 mean the 1st of that month; days, Excel serials and date cells as they are."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return _checked_date(value.year, value.month, value.day)
    if isinstance(value, date):
        return _checked_date(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise ValueError(_("is not a date."))
    if isinstance(value, int | float):
        return _from_number(float(value))
    raw = text(value)
    if match := _DATETIME_TEXT.match(raw):
        raw = match.group(1)
    if raw.isdigit():
        if len(raw) == 8:
            return _checked_date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        if len(raw) == 6:
            return _checked_date(int(raw[:4]), int(raw[4:]), 1, month_only=True)
        if len(raw) == 4:
            raise ValueError(_("gives only a year; write at least the year and month, e.g. 2010.06."))
        raise ValueError(_("is not a date."))
    raw = raw.rstrip("日")
    match = _DATE_PARTS.match(raw)
    if not match:
        raise ValueError(_("is not a date; write it as 2010-06-01, 2010.06 or 2010年6月1日."))
    year, month, day = match.groups()
    return _checked_date(int(year), int(month), int(day) if day else 1, month_only=not day)


TRUE_WORDS = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "t"}
FALSE_WORDS = {"否", "×", "✗", "✘", "n", "no", "false", "0", "无", "f", "不是"}


def parse_flag(value) -> bool:
    """是/否, ticks and crosses; an empty cell means no."""
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in TRUE_WORDS or word == _("Yes").lower():
        return True
    if word in FALSE_WORDS or word == _("No").lower():
        return False
    raise ValueError(_("is not a yes/no value; write 是 or 否 (or √, or leave it empty)."))


def folded(value) -> str:
    return text(value).replace(" ", "").lower()


def parse_choice(value, words: dict[str, str], choices) -> str:
    """A choice by one of its Chinese words or its label in the current language; blank gives ""."""
    if is_blank(value):
        return ""
    key = folded(value)
    if key in words:
        return words[key]
    for choice in choices:
        if key in (folded(choice.label), choice.value):
            return choice.value
    accepted = "、".join(dict.fromkeys([*words.keys(), *(str(c.label) for c in choices)]))
    raise ValueError(_("is not one of the accepted values: %(values)s.") % {"values": accepted})


_PHONE = re.compile(r"^\+?[0-9][0-9\-()]{5,18}[0-9]$")


def parse_phone(value) -> str:
    if is_blank(value):
        return ""
    result = text(value).replace(" ", "")
    if not _PHONE.match(result):
        raise ValueError(_("is not a phone number (digits, with - between area code and number)."))
    return result
