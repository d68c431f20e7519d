"""A mentor's recurring weekly windows (wall clock, mentor's timezone) and dates off."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AvailabilityWindow, DateOff
from portal.scheduling import SchedulingError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_WINDOWS = 40
MAX_DAYS_OFF = 366
NOTE_MAX = 200


def _minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute


def _clock(clock: time) -> str:
    return clock.strftime("%H:%M")


def windows_of(mentor_id: int) -> list[AvailabilityWindow]:
    """Return the mentor's weekly windows, Monday first, earliest first."""
    return list(db.session.scalars(select(AvailabilityWindow).where(AvailabilityWindow.mentor_id == mentor_id)
                                   .order_by(AvailabilityWindow.weekday, AvailabilityWindow.starts_at)))


def add_window(institution_id: int, mentor_id: int, weekday: int, starts_at: time, ends_at: time) -> AvailabilityWindow:
    """Add a weekly window, e.g. Tuesdays 17:00-19:00 in the mentor's timezone."""
    if weekday not in range(7):
        raise SchedulingError("Choose a day of the week.")
    starts_at, ends_at = starts_at.replace(second=0, microsecond=0), ends_at.replace(second=0, microsecond=0)
    if _minutes(ends_at) <= _minutes(starts_at):
        raise SchedulingError("The window must end after it starts, on the same day "
                              "(for an evening past midnight, add a second window on the next day).")
    if _minutes(ends_at) - _minutes(starts_at) < 30:
        raise SchedulingError("A window must be at least 30 minutes long, the shortest session.")
    existing = windows_of(mentor_id)
    if len(existing) >= MAX_WINDOWS:
        raise SchedulingError(f"You have {MAX_WINDOWS} windows already; remove one before adding another.")
    for window in existing:
        if window.weekday == weekday and window.starts_at < ends_at and starts_at < window.ends_at:
            raise SchedulingError(
                f"This overlaps your {WEEKDAYS[weekday]} window {_clock(window.starts_at)}–{_clock(window.ends_at)}. "
                "Remove that one first, or choose times around it.")
    window = AvailabilityWindow(institution_id=institution_id, mentor_id=mentor_id, weekday=weekday,
                                starts_at=starts_at, ends_at=ends_at)
    db.session.add(window)
    db.session.flush()
    return window


def remove_window(mentor_id: int, window_id: int) -> AvailabilityWindow:
    """Remove one of the mentor's windows; sessions already booked in it stay."""
    window = db.session.scalar(select(AvailabilityWindow).where(AvailabilityWindow.id == window_id,
                                                                AvailabilityWindow.mentor_id == mentor_id))
    if window is None:
        raise SchedulingError("That window is already gone.")
    db.session.delete(window)
    db.session.flush()
    return window


def dates_off_of(mentor_id: int, since: date | None = None) -> list[DateOff]:
    """Return the mentor's dates off (those not over before `since`), earliest first."""
    query = select(DateOff).where(DateOff.mentor_id == mentor_id)
    if since is not None:
        query = query.where(DateOff.ends_on >= since)
    return list(db.session.scalars(query.order_by(DateOff.starts_on, DateOff.id)))


def add_date_off(institution_id: int, mentor_id: int, starts_on: date, ends_on: date | None, note: str,
                 today: date) -> DateOff:
    """Mark days (in the mentor's timezone) when no slot is offered, e.g. a holiday."""
    ends_on = ends_on or starts_on
    note = (note or "").strip()
    if ends_on < starts_on:
        raise SchedulingError("The last day off must be on or after the first.")
    if ends_on < today:
        raise SchedulingError("Those days are in the past already.")
    if (ends_on - starts_on) >= timedelta(days=MAX_DAYS_OFF):
        raise SchedulingError("Dates off can span a year at most. To stop mentoring for longer, "
                              "remove your weekly windows instead.")
    if len(note) > NOTE_MAX:
        raise SchedulingError(f"Keep the note under {NOTE_MAX} characters.")
    date_off = DateOff(institution_id=institution_id, mentor_id=mentor_id, starts_on=starts_on, ends_on=ends_on,
                       note=note)
    db.session.add(date_off)
    db.session.flush()
    return date_off


def remove_date_off(mentor_id: int, date_off_id: int) -> DateOff:
    """Remove dates off: those days are open again."""
    date_off = db.session.scalar(select(DateOff).where(DateOff.id == date_off_id, DateOff.mentor_id == mentor_id))
    if date_off is None:
        raise SchedulingError("Those dates off are already gone.")
    db.session.delete(date_off)
    db.session.flush()
    return date_off
