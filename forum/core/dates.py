"""Dates in the forum's own terms: UTC instants, fuzzy dates with a precision, time-zone display."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from flask_babel import get_locale

from forum.core.i18n import gettext
from forum.core.i18n import lazy_gettext as _l
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
    locale = str(get_locale())
    if precision in (DatePrecision.DAY, DatePrecision.MONTH):
        return _localised_date(day, "d MMM y" if precision == DatePrecision.DAY else "LLLL y", locale)
    if precision == DatePrecision.QUARTER and locale != "en":
        return _localised_date(day, "yQQQ", locale)  # T1 2011, 1-й кв. 2011 г., 2011年第1季度
    if precision == DatePrecision.QUARTER:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if precision == DatePrecision.HALF_YEAR:
        return gettext("H1 %(year)s", year=day.year) if day.month <= 6 else gettext("H2 %(year)s", year=day.year)
    return str(day.year)


def period_end(day: date, precision: DatePrecision | None) -> date:
    """The last day of the period a fuzzy date names: "Q1 2011" is due by 31 March, "2013" by 31 December."""
    precision = precision or DatePrecision.DAY
    if precision == DatePrecision.DAY:
        return day
    if precision == DatePrecision.YEAR:
        return date(day.year, 12, 31)
    months = {DatePrecision.MONTH: 1, DatePrecision.QUARTER: 3, DatePrecision.HALF_YEAR: 6}[precision]
    last_month = ((day.month - 1) // months + 1) * months
    following = date(day.year + 1, 1, 1) if last_month == 12 else date(day.year, last_month + 1, 1)
    return following - timedelta(days=1)


@lru_cache(maxsize=4096)
def _localised_date(day: date, pattern: str, locale: str) -> str:
    """Babel's formatting is slow and pages repeat the same dates (every 2010 membership starts on 1 Jan).

    English keeps the forum's "7 Oct 2010"; the other languages take the order and words their readers expect
    from the same fields (a CLDR skeleton): "7 oct. 2010", "7 oct 2010", "2010年10月7日", "7 окт. 2010 г."."""
    if locale == "en":
        return babel_format_date(day, pattern, locale=locale)
    skeleton = {"d MMM y": "yMMMd", "LLLL y": "yMMMM"}.get(pattern, pattern)
    return format_skeleton(skeleton, day, locale=locale)


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
