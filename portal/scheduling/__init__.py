"""Scheduling: mentors' weekly availability, open slots, sessions and their life, calendars, reminders.

Plain functions that take ids and data, flush (never commit) and raise `SchedulingError` with a
sentence for the person who asked. Times are stored in UTC; a mentor's weekly windows are wall
clock times in the mentor's own timezone, so a 17:00 window stays at 17:00 across a change of
daylight saving time.

The rule of confirmation: a mentee who picks an open slot of the mentor's published availability
gets a confirmed session at once (the mentor offered that time); any other time is a proposal the
other side confirms or declines. The database refuses a mentor's overlapping confirmed sessions.
"""

from __future__ import annotations

from datetime import timedelta

DURATIONS = (30, 45, 60, 90)  # minutes a session may last
DEFAULT_DURATION = 60
SLOT_STEP = timedelta(minutes=30)  # slots start at a window's start, then every 30 minutes
BOOKING_HORIZON = timedelta(days=28)  # open slots are offered for the next four weeks
MIN_NOTICE = timedelta(hours=2)  # nobody books or proposes a session that starts sooner
PROPOSAL_HORIZON = timedelta(days=180)


class SchedulingError(Exception):
    """A scheduling action that cannot be done as asked; the message is for the person who asked."""


from portal.scheduling.availability import (  # noqa: E402
    add_date_off, add_window, dates_off_of, remove_date_off, remove_window, windows_of,
)
from portal.scheduling.slots import group_by_local_day, local_to_utc, open_slots  # noqa: E402
from portal.scheduling.booking import book_slot, propose_meeting  # noqa: E402
from portal.scheduling.changes import cancel_meeting, confirm_meeting, decline_meeting, change_meeting  # noqa: E402

__all__ = [
    "BOOKING_HORIZON", "DEFAULT_DURATION", "DURATIONS", "MIN_NOTICE", "PROPOSAL_HORIZON", "SLOT_STEP",
    "SchedulingError", "add_date_off", "add_window", "book_slot", "cancel_meeting", "change_meeting",
    "confirm_meeting", "dates_off_of", "decline_meeting", "group_by_local_day", "local_to_utc", "open_slots",
    "propose_meeting", "remove_date_off", "remove_window", "windows_of",
]
