"""Booking an open slot and proposing a time: the two ways a session begins."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import (
    Meeting, MeetingMode, MeetingStatus, Mentorship, MentorshipParticipant, MentorshipStatus, ParticipantRole, User,
    utcnow,
)
from portal.scheduling import DURATIONS, MIN_NOTICE, PROPOSAL_HORIZON, SchedulingError
from portal.scheduling.notices import tell_others
from portal.scheduling.slots import busy_times, is_open_slot, overlaps

LOCATION_MAX = 500
AGENDA_MAX = 4000
OVERLAP_CONSTRAINTS = ("ex_meetings_mentor_confirmed_overlap", "meetings_mentor_overlap")


def participants_of(mentorship_id: int) -> dict[int, ParticipantRole]:
    """Return {user id: role} of the mentorship's participants."""
    return dict(db.session.execute(select(MentorshipParticipant.user_id, MentorshipParticipant.role)
                                   .where(MentorshipParticipant.mentorship_id == mentorship_id)).all())


def mentor_of(participants: dict[int, ParticipantRole]) -> int:
    return next(user_id for user_id, role in participants.items() if role == ParticipantRole.MENTOR)


def active_mentorship(mentorship_id: int) -> Mentorship:
    """Return the mentorship if sessions can still be arranged in it."""
    mentorship = db.session.get(Mentorship, mentorship_id)
    if mentorship is None:
        raise SchedulingError("This mentorship does not exist.")
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise SchedulingError(f"This mentorship is {mentorship.status.label.lower()}: "
                              "no new sessions can be arranged in it.")
    return mentorship


def clean_details(duration: int, mode: MeetingMode | str, location: str, agenda: str) -> tuple[MeetingMode, str, str]:
    """Check a session's length, mode, link or place and agenda; return them cleaned."""
    if duration not in DURATIONS:
        raise SchedulingError("Choose a length of " + ", ".join(map(str, DURATIONS[:-1]))
                              + f" or {DURATIONS[-1]} minutes.")
    try:
        mode = MeetingMode(mode)
    except ValueError:
        raise SchedulingError("Choose how you will meet: video call, in person or phone.") from None
    location, agenda = (location or "").strip(), (agenda or "").strip()
    if len(location) > LOCATION_MAX:
        raise SchedulingError(f"Keep the link or place under {LOCATION_MAX} characters.")
    if mode == MeetingMode.VIDEO and location and not location.lower().startswith(("https://", "http://")):
        raise SchedulingError("Give the video link as a full address, starting with https://.")
    if len(agenda) > AGENDA_MAX:
        raise SchedulingError(f"Keep the agenda under {AGENDA_MAX} characters.")
    return mode, location, agenda


def mentor_name(mentor_id: int) -> str:
    mentor = db.session.get(User, mentor_id)
    return mentor.name if mentor else "The mentor"


def overlap_message(mentor_id: int, actor_id: int) -> str:
    if mentor_id == actor_id:
        return "You already have a confirmed session at that time. Choose another time."
    return (f"{mentor_name(mentor_id)} already has a confirmed session at that time "
            "(someone may have just booked it). Choose another time.")


def is_overlap(error: IntegrityError) -> bool:
    """Tell whether the database refused a mentor's overlapping confirmed sessions."""
    return any(name in str(error.orig) for name in OVERLAP_CONSTRAINTS)


@contextmanager
def overlap_guard(mentor_id: int, actor_id: int) -> Iterator[None]:
    """Make the changes of the block in a savepoint; the database's refusal of a mentor's overlapping
    confirmed sessions becomes a clear message, and the changes are undone."""
    message = overlap_message(mentor_id, actor_id)  # worked out now: after a failed flush nothing can be read
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as error:
        if not is_overlap(error):
            raise
        raise SchedulingError(message) from None


def check_future(starts_at: datetime, now: datetime, horizon: timedelta = PROPOSAL_HORIZON) -> None:
    if starts_at < now + MIN_NOTICE:
        hours = int(MIN_NOTICE.total_seconds() // 3600)
        raise SchedulingError(f"Choose a time at least {hours} hours from now.")
    if starts_at > now + horizon:
        raise SchedulingError(f"Choose a time within the next {horizon.days // 30} months.")


def book_slot(mentorship_id: int, actor_id: int, starts_at: datetime, duration: int, mode: MeetingMode | str,
              location: str = "", agenda: str = "", *, now: datetime | None = None) -> Meeting:
    """Book one of the mentor's open slots as a mentee: the session is confirmed at once."""
    now = now or utcnow()
    mentorship = active_mentorship(mentorship_id)
    participants = participants_of(mentorship.id)
    if participants.get(actor_id) != ParticipantRole.MENTEE:
        raise SchedulingError("Only the mentee books open slots; as the mentor, propose a time instead.")
    mode, location, agenda = clean_details(duration, mode, location, agenda)
    mentor_id = mentor_of(participants)
    if not is_open_slot(mentor_id, starts_at, duration, now):
        raise SchedulingError("That time is no longer open: someone may have just booked it, or the availability "
                              "changed. Pick another time from the list.")
    meeting = Meeting(institution_id=mentorship.institution_id, mentorship_id=mentorship.id, mentor_id=mentor_id,
                      proposed_by_id=actor_id, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=duration),
                      mode=mode, location=location, agenda=agenda, status=MeetingStatus.CONFIRMED,
                      confirmed_at=now, uid=f"{uuid.uuid4()}@mentor-portal", sequence=0)
    with overlap_guard(mentor_id, actor_id):
        db.session.add(meeting)
    tell_others(meeting, actor_id, "session_booked", agenda and f"Agenda: {agenda}")
    return meeting


def propose_meeting(mentorship_id: int, actor_id: int, starts_at: datetime, duration: int, mode: MeetingMode | str,
                    location: str = "", agenda: str = "", *, now: datetime | None = None) -> Meeting:
    """Propose a time (any time, not only open slots); the other side confirms or declines it."""
    now = now or utcnow()
    mentorship = active_mentorship(mentorship_id)
    participants = participants_of(mentorship.id)
    if actor_id not in participants:
        raise SchedulingError("Only the people in this mentorship can propose a session.")
    mode, location, agenda = clean_details(duration, mode, location, agenda)
    check_future(starts_at, now)
    mentor_id = mentor_of(participants)
    ends_at = starts_at + timedelta(minutes=duration)
    if overlaps(starts_at, ends_at, busy_times(mentor_id, starts_at, ends_at)):
        raise SchedulingError(overlap_message(mentor_id, actor_id))
    meeting = Meeting(institution_id=mentorship.institution_id, mentorship_id=mentorship.id, mentor_id=mentor_id,
                      proposed_by_id=actor_id, starts_at=starts_at, ends_at=ends_at, mode=mode, location=location,
                      agenda=agenda, status=MeetingStatus.PROPOSED, uid=f"{uuid.uuid4()}@mentor-portal", sequence=0)
    db.session.add(meeting)
    db.session.flush()
    tell_others(meeting, actor_id, "session_proposed", "Confirm or decline it in the portal."
                + (f"\n\nAgenda: {agenda}" if agenda else ""))
    return meeting
