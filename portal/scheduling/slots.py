"""Open slots: a mentor's weekly windows laid over real dates, minus dates off and booked sessions.

A window is wall clock time in the mentor's timezone, so each date converts on its own: a Monday
10:00 window is 14:00 UTC before New York leaves daylight saving time and 15:00 UTC after.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from portal.extensions import db
from portal.models import Meeting, MeetingStatus, User, utcnow
from portal.scheduling import BOOKING_HORIZON, MIN_NOTICE, SLOT_STEP
from portal.scheduling.availability import dates_off_of, windows_of


def zone_of(name: str | None) -> ZoneInfo:
    """Return the timezone called `name`, or UTC when it is unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_to_utc(day: date, clock: time, zone: str | ZoneInfo) -> datetime | None:
    """Return the UTC instant of a wall clock time on a day in `zone`; None if that time does not
    exist there (the hour skipped when clocks go forward). In the hour that repeats when clocks go
    back, the first of the two is meant."""
    tz = zone if isinstance(zone, ZoneInfo) else zone_of(zone)
    local = datetime.combine(day, clock.replace(tzinfo=None), tzinfo=tz)
    instant = local.astimezone(timezone.utc)
    if instant.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant


def busy_times(mentor_id: int, start: datetime, end: datetime,
               ignore_meeting_id: int | None = None) -> list[tuple[datetime, datetime]]:
    """Return (start, end) of the mentor's confirmed sessions that touch [start, end)."""
    query = select(Meeting.starts_at, Meeting.ends_at).where(
        Meeting.mentor_id == mentor_id, Meeting.status == MeetingStatus.CONFIRMED,
        Meeting.starts_at < end, Meeting.ends_at > start)
    if ignore_meeting_id is not None:
        query = query.where(Meeting.id != ignore_meeting_id)
    return [tuple(row) for row in db.session.execute(query)]


def overlaps(start: datetime, end: datetime, ranges: Iterable[tuple[datetime, datetime]]) -> bool:
    """Tell whether [start, end) overlaps any of `ranges`."""
    return any(other_start < end and start < other_end for other_start, other_end in ranges)


def open_slots(mentor_id: int, duration_minutes: int, now: datetime | None = None,
               horizon: timedelta = BOOKING_HORIZON, ignore_meeting_id: int | None = None) -> list[datetime]:
    """Return the UTC start of every open slot of `duration_minutes` in the coming `horizon`."""
    now = now or utcnow()
    mentor = db.session.get(User, mentor_id)
    windows = windows_of(mentor_id)
    if mentor is None or not windows:
        return []
    tz = zone_of(mentor.timezone)
    earliest, latest = now + MIN_NOTICE, now + horizon
    length = timedelta(minutes=duration_minutes)
    first_day, last_day = now.astimezone(tz).date(), latest.astimezone(tz).date()
    days_off = [(off.starts_on, off.ends_on) for off in dates_off_of(mentor_id, first_day)]
    busy = busy_times(mentor_id, earliest, latest + length, ignore_meeting_id)
    step = int(SLOT_STEP.total_seconds() // 60)
    slots = []
    day = first_day
    while day <= last_day:
        if not any(first <= day <= last for first, last in days_off):
            for window in windows:
                if window.weekday != day.weekday():
                    continue
                opens = window.starts_at.hour * 60 + window.starts_at.minute
                closes = window.ends_at.hour * 60 + window.ends_at.minute
                for minute in range(opens, closes - duration_minutes + 1, step):
                    start = local_to_utc(day, time(minute // 60, minute % 60), tz)
                    if start is None or start < earliest or start >= latest:
                        continue
                    if not overlaps(start, start + length, busy):
                        slots.append(start)
        day += timedelta(days=1)
    return sorted(set(slots))


def is_open_slot(mentor_id: int, starts_at: datetime, duration_minutes: int, now: datetime | None = None,
                 ignore_meeting_id: int | None = None) -> bool:
    """Tell whether `starts_at` is one of the mentor's open slots of that length right now."""
    return starts_at in open_slots(mentor_id, duration_minutes, now, ignore_meeting_id=ignore_meeting_id)


def group_by_local_day(slots: Iterable[datetime], zone: str) -> list[tuple[date, list[datetime]]]:
    """Group UTC slot starts by the viewer's local day; each start is given in the viewer's time."""
    tz = zone_of(zone)
    days: dict[date, list[datetime]] = {}
    for slot in sorted(slots):
        local = slot.astimezone(tz)
        days.setdefault(local.date(), []).append(local)
    return list(days.items())
