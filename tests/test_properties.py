"""Property-based tests of the roster cleaners (imports/cleaning.py) and the ID validator
(members/idcard.py): no string makes them fail other than with ValueError/ValidationError,
cleaning is idempotent, valid dates round-trip, and the ID check character catches every
single-digit change."""

import contextlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from imports import cleaning
from members import idcard

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text as hands type it into rosters: full-width forms, CJK, ideographic spaces, digits, separators.
roster_text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789０１２３４５６７８９.-/年月日 \u3000'张三ＡｘX√×是否", max_size=20),
)
cells = st.one_of(
    st.none(),
    roster_text,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
)


def _today():
    return timezone.localdate()


@FAST
@given(cells)
@example(float("inf"))
@example(float("nan"))
@example(1e300)
def test_parse_date_fails_only_with_a_reason(value):
    try:
        result = cleaning.parse_date(value)
    except ValueError as error:
        assert str(error)
        return
    assert result is None or isinstance(result, date)
    if result is not None:
        assert date(1900, 1, 1) <= result <= _today()
        assert cleaning.parse_date(result) == result  # a parsed date parses to itself


@FAST
@given(cells)
def test_parse_flag_and_phone_fail_only_with_a_reason(value):
    for parser in (cleaning.parse_flag, cleaning.parse_phone):
        try:
            result = parser(value)
        except ValueError as error:
            assert str(error)
            continue
        assert parser(result) == result  # idempotent


@FAST
@given(cells)
@example("''0")
def test_text_is_idempotent(value):
    once = cleaning.text(value)
    # One leading apostrophe is Excel's "keep as text" marker (our exports write it), so it is
    # taken off once per cleaning: a value that still starts with one is the marked value itself.
    assert cleaning.text("'" + once) == once
    if not once.startswith("'"):
        assert cleaning.text(once) == once
    assert once == once.strip()
    assert "\u3000" not in once  # the ideographic space is folded


@FAST
@given(st.text(alphabet="ＡＢＣａｂｃ０１２３４５６７８９（）－", min_size=1, max_size=20))
def test_full_width_text_folds_to_ascii(value):
    assert cleaning.text(value).isascii()


@FAST
@given(st.text(max_size=40), st.integers(0, 40))
def test_bounded_text_keeps_its_bound(value, bound):
    try:
        result = cleaning.bounded_text(value, bound)
    except ValueError:
        assert len(cleaning.text(value)) > bound
    else:
        assert len(result) <= bound


@FAST
@given(st.dates(min_value=date(1900, 1, 1)))
@example(date(1905, 3, 14))  # Excel serial 1900: the first that reads as a year
@example(date(1905, 3, 13))  # serial 1899: still a day
def test_valid_dates_round_trip_in_every_written_form(day):
    if day > _today():
        with pytest.raises(ValueError):
            cleaning.parse_date(day.isoformat())
        return
    y, m, d = day.year, day.month, day.day
    for written in (day.isoformat(), f"{y}年{m}月{d}日", f"{y}.{m}.{d}", f"{y}/{m:02d}/{d:02d}", f"{y}{m:02d}{d:02d}"):
        assert cleaning.parse_date(written) == day, written
    assert cleaning.parse_date(f"{y}.{m:02d}") == date(y, m, 1)
    assert cleaning.parse_date(f"{y}年{m}月") == date(y, m, 1)
    assert cleaning.parse_date(int(f"{y}{m:02d}{d:02d}")) == day
    serial = (day - cleaning.EXCEL_EPOCH).days
    if 1900 <= serial <= 2100:
        # A bare 1900..2100 in a date column is read as a year typed alone (and refused), not as an
        # Excel serial of a day in 1905: on a roster the year is by far the likelier meaning.
        with pytest.raises(ValueError):
            cleaning.parse_date(float(serial))
    elif 1 <= serial <= cleaning.EXCEL_SERIAL_MAX:
        assert cleaning.parse_date(float(serial)) == day


@st.composite
def valid_id_numbers(draw):
    region = draw(st.from_regex(r"\A[1-9][0-9]{5}\Z"))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=_today()))
    sequence = draw(st.from_regex(r"\A[0-9]{3}\Z"))
    body = f"{region}{birth:%Y%m%d}{sequence}"
    return body + idcard.check_char(body)


@FAST
@given(valid_id_numbers())
def test_seventeen_digits_and_their_check_char_validate(number):
    info = idcard.parse(number)
    assert info.number == number
    assert info.gender == ("male" if int(number[16]) % 2 else "female")
    # Full-width digits, a lower-case x and stray spaces are what hands type; they still validate.
    handwritten = " ".join(number[:6]) + number[6:].translate(str.maketrans("0123456789X", "０１２３４５６７８９x"))
    assert idcard.parse(handwritten).number == number


@FAST
@given(valid_id_numbers(), st.integers(0, 17), st.integers(1, 10))
def test_changing_any_one_character_invalidates(number, position, shift):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    original = number[position]
    changed = alphabet[(alphabet.index(original) + shift) % len(alphabet)]
    if changed == original:
        return
    with pytest.raises(ValidationError):
        idcard.parse(number[:position] + changed + number[position + 1 :])


@FAST
@given(st.one_of(st.none(), st.text(max_size=30), st.integers()))
def test_normalize_is_idempotent_and_parse_fails_only_with_validation_error(raw):
    once = idcard.normalize(raw)
    assert idcard.normalize(once) == once
    with contextlib.suppress(ValidationError):
        idcard.parse(raw)
