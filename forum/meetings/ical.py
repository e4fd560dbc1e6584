"""iCalendar (RFC 5545) feeds of public meetings: CRLF line ends, lines folded at 75 octets, text escaped.

Times are written in the venue's zone (DTSTART;TZID=Europe/Zurich:…) with a VTIMEZONE per zone, built from the
zoneinfo database for the years the feed covers (one STANDARD/DAYLIGHT block per transition, no RRULE to get
wrong). UID is stable per meeting and SEQUENCE rises when a meeting moves, so subscribed calendars follow.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from forum.core.dates import in_zone, utcnow
from forum.meetings.models import Meeting, MeetingStatus

PRODID = "-//GFMD Forum//Meetings//EN"


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a UTF-8 character (RFC 5545 3.1)."""
    if len(line) <= 75 and (line.isascii() or len(line.encode("utf-8")) <= 75):  # most lines
        return line
    if line.isascii():  # one octet a character: cut by length
        return "\r\n ".join([line[:75], *(line[i : i + 74] for i in range(75, len(line), 74))])
    pieces: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with one space
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime, zone: str) -> str:
    return in_zone(moment, zone).strftime("%Y%m%dT%H%M%S")


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _transitions(zone: ZoneInfo, year: int) -> list[datetime]:
    """The UTC instants in `year` when the zone's offset changes, found to the minute."""
    found: list[datetime] = []
    start = datetime(year, 1, 1, tzinfo=UTC)
    step = timedelta(days=1)
    moment = start
    while moment.year == year:
        following = moment + step
        if moment.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            low, high = moment, following
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if low.astimezone(zone).utcoffset() == middle.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
        moment = following
    return found


def vtimezone(name: str, years: set[int]) -> list[str]:
    """A VTIMEZONE for `name` valid over `years`: the offset at each year's start, then each change."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    for year in sorted(years):
        lines += _zone_year(name, year)
    lines.append("END:VTIMEZONE")
    return lines


@lru_cache(maxsize=512)
def _zone_year(name: str, year: int) -> tuple[str, ...]:
    """One zone's observances over one year; the rules of a past year never change, so they are kept."""
    zone = ZoneInfo(name)
    first = datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)
    points = [(first, first.astimezone(zone).utcoffset())]
    for change in _transitions(zone, year):
        points.append((change, change.astimezone(zone).utcoffset()))
    previous = points[0][1]
    lines: list[str] = []
    for moment, offset in points:
        local = moment.astimezone(zone)
        block = "DAYLIGHT" if local.dst() else "STANDARD"
        # RFC 5545: a transition's DTSTART is the wall-clock time in the offset in force before it
        onset = moment.replace(tzinfo=None) + previous
        lines += [
            f"BEGIN:{block}",
            f"DTSTART:{onset.strftime('%Y%m%dT%H%M%S')}",
            f"TZOFFSETFROM:{_offset(previous)}",
            f"TZOFFSETTO:{_offset(offset)}",
            f"TZNAME:{local.tzname()}",
            f"END:{block}",
        ]
        previous = offset
    return tuple(lines)


def _location(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.room, meeting.address, meeting.city, meeting.online_url) if part)


def _event(meeting: Meeting, base_url: str, stamp: str) -> list[str]:
    local = in_zone(meeting.starts_at, meeting.timezone)
    description = f"{meeting.description}\n" if meeting.description else ""
    description += f"Local time: {local:%Y-%m-%d %H:%M} ({meeting.timezone})."
    if meeting.is_date_estimated:
        description += " Date estimated: the source gives no exact date."
    status = {
        MeetingStatus.CANCELLED: "CANCELLED",
        MeetingStatus.POSTPONED: "TENTATIVE",
    }.get(meeting.status, "CONFIRMED")
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.id}@gfmd-forum",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={meeting.timezone}:{_local(meeting.starts_at, meeting.timezone)}",
        f"DTEND;TZID={meeting.timezone}:{_local(meeting.ends_at, meeting.timezone)}",
        f"SEQUENCE:{meeting.sequence}",
        f"STATUS:{status}",
        f"SUMMARY:{escape_text(meeting.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{base_url.rstrip('/')}/meetings/{meeting.id}",
    ]
    location = _location(meeting)
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings: Iterable[Meeting], *, name: str, base_url: str) -> str:
    """A VCALENDAR of the given meetings (the caller passes public ones only)."""
    stamp = _stamp(utcnow())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    meetings = list(meetings)
    years: dict[str, set[int]] = {}
    for meeting in meetings:
        years.setdefault(meeting.timezone, set()).update({meeting.starts_at.year, meeting.ends_at.year})
    for zone_name in sorted(years):
        lines.extend(vtimezone(zone_name, years[zone_name]))
    for meeting in meetings:
        lines.extend(_event(meeting, base_url, stamp))
    lines.append("END:VCALENDAR")
    return "\r\n".join(map(fold, lines)) + "\r\n"
