"""公民身份号码 (GB 11643-1999): normalization, check digit, and what the number tells."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")


def normalize(raw) -> str:
    """Full-width digits, spaces and a lower-case x are what hands type; fold them away."""
    if raw is None:
        return ""
    text = str(raw).translate(FULLWIDTH)
    return "".join(text.split()).upper()


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: date
    gender: str  # "male" / "female", as Member.Gender


def parse(raw) -> IdInfo:
    """Validate an 18-character number and return what it encodes; ValidationError in Chinese."""
    number = normalize(raw)
    if len(number) != 18:
        raise ValidationError(_("ID number must have 18 characters, got %(n)d.") % {"n": len(number)}, code="length")
    body, last = number[:17], number[17]
    if not body.isdigit() or not (last.isdigit() or last == "X"):
        raise ValidationError(_("ID number may contain only digits and a final X."), code="chars")
    try:
        birth = date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        raise ValidationError(_("ID number holds an impossible birth date."), code="birth") from None
    if birth.year < 1900 or birth > timezone.localdate():
        raise ValidationError(_("ID number holds an impossible birth date."), code="birth")
    expected = check_char(body)
    if last != expected:
        raise ValidationError(
            _("ID number check digit is wrong (the last character should be %(c)s).") % {"c": expected},
            code="check",
        )
    gender = "male" if int(body[16]) % 2 else "female"
    return IdInfo(number=number, birth_date=birth, gender=gender)


def validate_id_number(value) -> None:
    parse(value)


def mask(number: str) -> str:
    """1101**********123X: region prefix and last four stay, the rest (birth date) hidden."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
