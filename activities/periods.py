"""Calendar months, quarters and years as date ranges (local dates: activities carry a DATE)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return add_months(day, 1) - timedelta(days=1)


def months_between(start: date, end: date) -> list[date]:
    """First days of every month from the month of ``start`` to the month of ``end``."""
    months, current = [], month_start(start)
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    unit: str  # Period.MONTH / QUARTER / YEAR (activities.models.Period values)

    @property
    def months(self) -> list[date]:
        return months_between(self.start, self.end)

    @property
    def label(self) -> str:
        if self.unit == "month":
            return _("%(year)s-%(month)s") % {"year": self.start.year, "month": self.start.month}
        if self.unit == "quarter":
            return _("Q%(q)s %(year)s") % {"q": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        return str(self.start.year)

    @property
    def key(self) -> str:
        return f"{self.unit}:{self.start:%Y-%m}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def period_containing(day: date, unit: str) -> Period:
    if unit == "month":
        start = month_start(day)
        return Period(start, month_end(start), unit)
    if unit == "quarter":
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(start, add_months(start, 3) - timedelta(days=1), unit)
    return Period(date(day.year, 1, 1), date(day.year, 12, 31), unit)


def periods_overlapping(start: date, end: date, unit: str) -> list[Period]:
    periods, current = [], period_containing(start, unit)
    while current.start <= end:
        periods.append(current)
        current = period_containing(current.end + timedelta(days=1), unit)
    return periods


@dataclass(frozen=True)
class Window:
    """The stretch of months a compliance page looks at."""

    start: date  # first day of the first month
    end: date  # last day of the last month
    key: str  # "recent" or the year, as the page's query string carries it

    @property
    def months(self) -> list[date]:
        return months_between(self.start, self.end)

    @property
    def label(self) -> str:
        if self.key == "recent":
            return _("Last four quarters")
        return _("%(year)s") % {"year": self.key}


def recent_window(today: date) -> Window:
    """The current quarter and the three before it: twelve months on quarter boundaries, so no
    quarter is cut in half."""
    end = period_containing(today, "quarter").end
    return Window(add_months(month_start(end), -11), end, "recent")


def year_window(year: int) -> Window:
    return Window(date(year, 1, 1), date(year, 12, 31), str(year))


def window_from(value: str | None, today: date) -> Window:
    if value and value.isdigit() and 2000 <= int(value) <= today.year:
        return year_window(int(value))
    return recent_window(today)


def window_choices(today: date, years: int = 4) -> list[tuple[str, str]]:
    return [("recent", _("Last four quarters"))] + [
        (str(y), _("%(year)s") % {"year": y}) for y in range(today.year, today.year - years, -1)
    ]
