"""What people type into rosters, and what the import makes of it."""

from datetime import date

import pytest

from imports import cleaning


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2010.06", date(2010, 6, 1)),
        ("2010年6月", date(2010, 6, 1)),
        ("2010年6月1日", date(2010, 6, 1)),
        ("2010-6-1", date(2010, 6, 1)),
        ("2010/6/15", date(2010, 6, 15)),
        ("20100601", date(2010, 6, 1)),
        ("２０１０．０６", date(2010, 6, 1)),
        (" 2010-06-01 00:00:00 ", date(2010, 6, 1)),
        (40330, date(2010, 6, 1)),  # an Excel serial number
        (40330.0, date(2010, 6, 1)),
        (2010.06, date(2010, 6, 1)),  # typed 2010.06 into a number cell
        (2010.11, date(2010, 11, 1)),
        (date(2010, 6, 1), date(2010, 6, 1)),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_every_unambiguous_form(raw, expected):
    assert cleaning.parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (2010.1, "January or October"),
        ("2010", "only a year"),
        ("2010-13-01", "not a real date"),
        ("2099-01-01", "in the future"),
        ("去年六月", "not a date"),
    ],
)
def test_ambiguous_or_impossible_dates_are_refused_with_a_reason(raw, reason):
    with pytest.raises(ValueError, match=reason):
        cleaning.parse_date(raw)


def test_month_precision_is_remembered():
    assert isinstance(cleaning.parse_date("2010.06"), cleaning.MonthOnly)
    assert not isinstance(cleaning.parse_date("2010-06-01"), cleaning.MonthOnly)


@pytest.mark.parametrize(("raw", "expected"), [("是", True), ("√", True), ("否", False), ("", False), (None, False)])
def test_flags(raw, expected):
    assert cleaning.parse_flag(raw) is expected


def test_unknown_flag_word_is_refused():
    with pytest.raises(ValueError, match="yes/no"):
        cleaning.parse_flag("也许")


def test_padded_names_and_full_width_text_are_folded():
    assert cleaning.text(" 张  三 ") == "张三"
    assert cleaning.text("Ａｌｉ　Ｋｈａｎ") == "Ali Khan"
    assert cleaning.text("'=SUM(A1)") == "=SUM(A1)"


def test_phones_lose_spaces_and_full_width_digits():
    assert cleaning.parse_phone("１３９ ０００ ０１１１１") == "13900001111"
    assert cleaning.parse_phone(13900001111.0) == "13900001111"
    assert cleaning.parse_phone("0511-85551234") == "0511-85551234"
    with pytest.raises(ValueError, match="phone"):
        cleaning.parse_phone("不详")
