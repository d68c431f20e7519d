"""A session's life after it begins: confirm, decline, move or change, cancel."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import Meeting, MeetingMode, MeetingStatus, ParticipantRole, utcnow
from portal.scheduling import SchedulingError
from portal.scheduling.booking import (
    active_mentorship, check_future, clean_details, overlap_guard, overlap_message, participants_of,
)
from portal.scheduling.notices import tell_others
from portal.scheduling.slots import busy_times, is_open_slot, overlaps

REASON_MAX = 1000
OPEN = (MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED)


def _locked(meeting_id: int, actor_id: int) -> tuple[Meeting, dict[int, ParticipantRole]]:
    """Load the session for a change, locked so two people's changes happen one after the other."""
    meeting = db.session.scalar(select(Meeting).where(Meeting.id == meeting_id)
                                .with_for_update().execution_options(populate_existing=True))
    if meeting is None:
        raise SchedulingError("This session does not exist.")
    participants = participants_of(meeting.mentorship_id)
    if actor_id not in participants:
        raise SchedulingError("Only the people in this mentorship can change its sessions.")
    return meeting, participants


def _reason(reason: str | None, required: str | None = None) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise SchedulingError(required)
    if len(reason) > REASON_MAX:
        raise SchedulingError(f"Keep the reason under {REASON_MAX} characters.")
    return reason


def _still_open(meeting: Meeting, now: datetime) -> None:
    if meeting.status not in OPEN:
        raise SchedulingError(f"This session is {meeting.status.label.lower()} already.")
    if meeting.starts_at <= now:
        raise SchedulingError("This session has already started, so it can no longer be changed.")


def confirm_meeting(meeting_id: int, actor_id: int, *, now: datetime | None = None) -> Meeting:
    """Confirm a proposed time (the person who proposed it cannot)."""
    now = now or utcnow()
    meeting, _ = _locked(meeting_id, actor_id)
    if meeting.status != MeetingStatus.PROPOSED:
        raise SchedulingError(f"This session is {meeting.status.label.lower()} already.")
    if meeting.proposed_by_id == actor_id:
        raise SchedulingError("You proposed this time, so the other side confirms it.")
    if meeting.starts_at <= now:
        raise SchedulingError("This proposed time has passed. Propose a new one.")
    active_mentorship(meeting.mentorship_id)
    with overlap_guard(meeting.mentor_id, actor_id):
        meeting.status, meeting.confirmed_at, meeting.status_reason = MeetingStatus.CONFIRMED, now, ""
        meeting.sequence += 1
    tell_others(meeting, actor_id, "session_confirmed",
                "It is in your calendar feed; you'll get a reminder the day before.")
    return meeting


def decline_meeting(meeting_id: int, actor_id: int, reason: str = "", *, now: datetime | None = None) -> Meeting:
    """Decline a proposed time, optionally saying why."""
    now = now or utcnow()
    meeting, _ = _locked(meeting_id, actor_id)
    if meeting.status != MeetingStatus.PROPOSED:
        raise SchedulingError(f"This session is {meeting.status.label.lower()} already.")
    if meeting.proposed_by_id == actor_id:
        raise SchedulingError("You proposed this time: withdraw it instead.")
    reason = _reason(reason)
    meeting.status, meeting.cancelled_by_id, meeting.status_reason = MeetingStatus.CANCELLED, actor_id, reason
    meeting.sequence += 1
    db.session.flush()
    tell_others(meeting, actor_id, "session_declined", (f"Reason: {reason}\n\n" if reason else "")
                + "You can propose another time in the portal.")
    return meeting


def cancel_meeting(meeting_id: int, actor_id: int, reason: str, *, now: datetime | None = None) -> Meeting:
    """Cancel a confirmed session, or withdraw one's own proposal, with a reason."""
    now = now or utcnow()
    meeting, _ = _locked(meeting_id, actor_id)
    _still_open(meeting, now)
    if meeting.status == MeetingStatus.PROPOSED and meeting.proposed_by_id != actor_id:
        return decline_meeting(meeting_id, actor_id, reason, now=now)
    reason = _reason(reason, "Say in a sentence why you cancel; the other side will read it.")
    withdrawn = meeting.status == MeetingStatus.PROPOSED
    meeting.status, meeting.cancelled_by_id, meeting.status_reason = MeetingStatus.CANCELLED, actor_id, reason
    meeting.sequence += 1
    db.session.flush()
    tell_others(meeting, actor_id, "session_withdrawn" if withdrawn else "session_cancelled", f"Reason: {reason}")
    return meeting


def change_meeting(meeting_id: int, actor_id: int, starts_at: datetime, duration: int, mode: MeetingMode | str,
                   location: str = "", agenda: str = "", reason: str = "", *, now: datetime | None = None) -> Meeting:
    """Move a session to another time, or change its details.

    A new time is a proposal the other side confirms, unless the mentee moves it to an open slot
    of the mentor's availability, which is confirmed at once (as booking it would be).
    """
    now = now or utcnow()
    meeting, participants = _locked(meeting_id, actor_id)
    _still_open(meeting, now)
    active_mentorship(meeting.mentorship_id)
    mode, location, agenda = clean_details(duration, mode, location, agenda)
    ends_at = starts_at + timedelta(minutes=duration)
    moved = (starts_at, ends_at) != (meeting.starts_at, meeting.ends_at)
    if not moved and (mode, location, agenda) == (meeting.mode, meeting.location, meeting.agenda):
        raise SchedulingError("Nothing has changed: choose a new time or change the details.")
    if not moved:
        meeting.mode, meeting.location, meeting.agenda = mode, location, agenda
        meeting.sequence += 1
        db.session.flush()
        tell_others(meeting, actor_id, "session_updated", _details(meeting))
        return meeting
    reason = _reason(reason, "Say in a sentence why the session moves; the other side will read it.")
    check_future(starts_at, now)
    mentee_picked_open_slot = (participants[actor_id] == ParticipantRole.MENTEE and
                               is_open_slot(meeting.mentor_id, starts_at, duration, now, ignore_meeting_id=meeting.id))
    if not mentee_picked_open_slot and overlaps(starts_at, ends_at, busy_times(meeting.mentor_id, starts_at, ends_at,
                                                                                ignore_meeting_id=meeting.id)):
        raise SchedulingError(overlap_message(meeting.mentor_id, actor_id))
    with overlap_guard(meeting.mentor_id, actor_id):
        meeting.mode, meeting.location, meeting.agenda = mode, location, agenda
        meeting.starts_at, meeting.ends_at, meeting.status_reason = starts_at, ends_at, reason
        meeting.sequence += 1
        meeting.reminder_sent_at = None  # the reminder belongs to the new time
        meeting.proposed_by_id = actor_id
        if mentee_picked_open_slot:
            meeting.status, meeting.confirmed_at = MeetingStatus.CONFIRMED, now
        else:
            meeting.status, meeting.confirmed_at = MeetingStatus.PROPOSED, None
    next_step = ("The new time is in the published availability, so it is confirmed." if mentee_picked_open_slot
                 else "Please confirm or decline the new time in the portal.")
    tell_others(meeting, actor_id, "session_rescheduled", f"Reason: {reason}\n\n{next_step}")
    return meeting


def _details(meeting: Meeting) -> str:
    lines = [f"How: {meeting.mode.label}" + (f" — {meeting.location}" if meeting.location else "")]
    if meeting.agenda:
        lines.append(f"Agenda: {meeting.agenda}")
    return "\n\n".join(lines)
