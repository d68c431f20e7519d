"""Tell the other participants of a session what changed: in-app and by email, in their own time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from portal.extensions import db
from portal.models import Meeting, MentorshipParticipant, User
from portal.notifications import notify
from portal.scheduling.slots import zone_of

TITLES = {
    "session_booked": "{actor} booked a session with you: {when}",
    "session_proposed": "{actor} proposed a session: {when}",
    "session_confirmed": "{actor} confirmed your session: {when}",
    "session_declined": "{actor} declined the session proposed for {when}",
    "session_rescheduled": "{actor} moved your session to {when}",
    "session_updated": "{actor} updated the details of your session on {when}",
    "session_cancelled": "{actor} cancelled your session on {when}",
    "session_withdrawn": "{actor} withdrew the session proposed for {when}",
}


def format_when(moment: datetime, zone: str | None) -> str:
    """Show a UTC instant as a person in `zone` reads it, e.g. Tue, Nov 3, 2026, 14:00 EST."""
    local = moment.astimezone(zone_of(zone))
    return f"{local:%a, %b} {local.day}, {local:%Y, %H:%M} {local.tzname()}"


def session_path(meeting_id: int) -> str:
    return f"/sessions/{meeting_id}"


def tell_others(meeting: Meeting, actor_id: int, kind: str, body: str = "") -> None:
    """Notify every participant of the session's mentorship but the actor, each in their own timezone."""
    actor = db.session.get(User, actor_id)
    others = db.session.scalars(select(User).join(MentorshipParticipant, MentorshipParticipant.user_id == User.id)
                                .where(MentorshipParticipant.mentorship_id == meeting.mentorship_id,
                                       User.id != actor_id))
    for person in others:
        title = TITLES[kind].format(actor=actor.name if actor else "Someone",
                                    when=format_when(meeting.starts_at, person.timezone))
        notify(person.id, kind, title, body, session_path(meeting.id), institution_id=meeting.institution_id)
