"""Dates in the forum's own terms: UTC instants, fuzzy dates with a precision, time-zone display."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from forum.core.models import DatePrecision, utcnow

PRECISION_LABELS = {
    DatePrecision.DAY: _l("Day"),
    DatePrecision.MONTH: _l("Month"),
    DatePrecision.QUARTER: _l("Quarter"),
    DatePrecision.HALF_YEAR: _l("Half-year"),
    DatePrecision.YEAR: _l("Year"),
}


def today() -> date:
    return utcnow().date()


def fuzzy_date_label(day: date | None, precision: DatePrecision | None = DatePrecision.DAY) -> str:
    """How a date stored with a precision reads: '7 Oct 2010', 'October 2010', 'Q1 2011', 'early 2011', '2014'."""
    if day is None:
        return ""
    precision = precision or DatePrecision.DAY
    if precision == DatePrecision.DAY:
        return format_date(day, "d MMM y")
    if precision == DatePrecision.MONTH:
        return format_date(day, "LLLL y")
    if precision == DatePrecision.QUARTER:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if precision == DatePrecision.HALF_YEAR:
        return ("H1 " if day.month <= 6 else "H2 ") + str(day.year)
    return str(day.year)


def is_valid_timezone(name: str) -> bool:
    return name in _timezones()


def _timezones() -> frozenset[str]:
    global _TZ_CACHE
    if _TZ_CACHE is None:
        _TZ_CACHE = frozenset(available_timezones())
    return _TZ_CACHE


_TZ_CACHE: frozenset[str] | None = None


def in_zone(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))
