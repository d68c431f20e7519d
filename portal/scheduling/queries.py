"""What the pages read: a mentorship's sessions, a person's sessions, who is in a session."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Meeting, MeetingStatus, MentorshipParticipant, User, utcnow

FEED_PAST = timedelta(days=90)  # how far back a calendar feed reaches


def sessions_of(mentorship_id: int, now: datetime | None = None) -> tuple[list[Meeting], list[Meeting]]:
    """Return (upcoming, past and cancelled) sessions of a mentorship: soonest first, then latest first."""
    now = now or utcnow()
    meetings = list(db.session.scalars(select(Meeting).where(Meeting.mentorship_id == mentorship_id)
                                       .order_by(Meeting.starts_at)))
    upcoming = [m for m in meetings if m.status in (MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED)
                and m.ends_at > now]
    past = [m for m in reversed(meetings) if m not in upcoming]
    return upcoming, past


def meetings_of_user(user_id: int, now: datetime | None = None) -> list[Meeting]:
    """Return the sessions a person takes part in, from 90 days ago on (for their calendar feed)."""
    now = now or utcnow()
    mentorship_ids = select(MentorshipParticipant.mentorship_id).where(MentorshipParticipant.user_id == user_id)
    return list(db.session.scalars(
        select(Meeting).where(or_(Meeting.mentorship_id.in_(mentorship_ids), Meeting.mentor_id == user_id),
                              Meeting.starts_at >= now - FEED_PAST)
        .options(selectinload(Meeting.mentorship)).order_by(Meeting.starts_at)))


def people_of(mentorship_id: int) -> list[tuple[User, str]]:
    """Return (person, role value) of a mentorship, the mentor first."""
    rows = db.session.execute(select(User, MentorshipParticipant.role).join(
        MentorshipParticipant, MentorshipParticipant.user_id == User.id)
        .where(MentorshipParticipant.mentorship_id == mentorship_id)).all()
    return sorted(((user, role.value) for user, role in rows), key=lambda pair: (pair[1] != "mentor", pair[0].name))


def status_phrase(meeting: Meeting, names: dict[int, str]) -> str:
    """Say what became of a session that is not going ahead, e.g. Declined by Priya Raman."""
    if meeting.status != MeetingStatus.CANCELLED:
        return meeting.status.label
    who = names.get(meeting.cancelled_by_id, "")
    if meeting.confirmed_at is None and meeting.cancelled_by_id == meeting.proposed_by_id:
        verb = "Withdrawn"
    elif meeting.confirmed_at is None:
        verb = "Declined"
    else:
        verb = "Cancelled"
    return f"{verb} by {who}" if who else verb
