"""Right after a session: whether it took place, its shared notes, and the action items agreed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.meetings import MeetingError
from portal.models import (
    ActionItem, Meeting, MeetingStatus, Mentorship, MentorshipParticipant, MentorshipStatus, User, utcnow,
)
from portal.notifications import notify

NOTES_MAX = 20_000
TITLE_MAX = 300
ITEMS_PER_SESSION_MAX = 50
DUE_WITHIN = timedelta(days=366)
# Notes and action items belong to sessions that are (or were) really on the calendar.
OPEN_FOR_NOTES = (MeetingStatus.CONFIRMED, MeetingStatus.COMPLETED, MeetingStatus.NO_SHOW)
OUTCOMES = (MeetingStatus.COMPLETED, MeetingStatus.NO_SHOW)
T = TypeVar("T")


class NotesConflict(MeetingError):
    """Someone else saved the notes after this editor loaded them; `current` is their version."""

    def __init__(self, message: str, current: str):
        super().__init__(message)
        self.current = current


def participants_of(mentorship_id: int) -> dict[int, MentorshipParticipant]:
    """Return the mentorship's participants by user id."""
    rows = db.session.scalars(select(MentorshipParticipant).where(
        MentorshipParticipant.mentorship_id == mentorship_id))
    return {row.user_id: row for row in rows}


def ensure_active(mentorship_id: int) -> None:
    """Refuse changes to a mentorship that has ended: its record stays as it was."""
    status = db.session.scalar(select(Mentorship.status).where(Mentorship.id == mentorship_id))
    if status is not None and status != MentorshipStatus.ACTIVE:
        raise MeetingError("This mentorship has ended: its sessions, notes and action items can be read "
                           "but no longer changed.")


def _meeting(meeting_id: int, *, lock: bool = False) -> Meeting:
    query = select(Meeting).where(Meeting.id == meeting_id).execution_options(populate_existing=True)
    meeting = db.session.scalar(query.with_for_update() if lock else query)
    if meeting is None:
        raise MeetingError("We couldn't find that session.")
    return meeting


def _meeting_open_for_notes(meeting_id: int, refusal: str) -> Meeting:
    """Return the session, locked, if notes and action items can be kept on it; `refusal` starts the why-not."""
    meeting = _meeting(meeting_id, lock=True)
    ensure_active(meeting.mentorship_id)
    if meeting.status not in OPEN_FOR_NOTES:
        raise MeetingError(f"{refusal} once the session is confirmed."
                           if meeting.status == MeetingStatus.PROPOSED else "This session was cancelled.")
    return meeting


def add_once(record: T, earlier_of: Callable[[], T | None], already: Callable[[T], MeetingError]) -> T:
    """Add a record a unique index allows once; raise `already(earlier)` if it exists, even from a racing submit."""
    if earlier := earlier_of():
        raise already(earlier)
    try:
        # The unique index decides between two submits racing past the check above.
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        earlier = earlier_of()
        if earlier is None:
            raise
        raise already(earlier) from None
    return record


def _why_not_markable(meeting: Meeting, now: datetime) -> str:
    if meeting.status == MeetingStatus.COMPLETED:
        return "This session is already marked as held."
    if meeting.status == MeetingStatus.NO_SHOW:
        return "This session is already marked as a no-show."
    if meeting.status == MeetingStatus.CANCELLED:
        return "This session was cancelled, so it can't be marked as held."
    if meeting.status == MeetingStatus.PROPOSED:
        return "This session was never confirmed, so it can't be marked as held."
    if meeting.starts_at > now:
        return "You can mark the session once it has started."
    return "This session can't be marked right now."


def complete_meeting(meeting_id: int, actor_id: int, outcome: MeetingStatus | str, *,
                     now: datetime | None = None) -> Meeting:
    """Mark a confirmed session that has started as held (completed) or a no-show, once."""
    try:
        outcome = MeetingStatus(outcome)
    except ValueError:
        outcome = None
    if outcome not in OUTCOMES:
        raise MeetingError("Say whether the session took place or was a no-show.")
    now = now or utcnow()
    mentorship_id = db.session.scalar(select(Meeting.mentorship_id).where(Meeting.id == meeting_id))
    if mentorship_id is None:
        raise MeetingError("We couldn't find that session.")
    ensure_active(mentorship_id)
    actor = db.session.get(User, actor_id)
    reason = f"Marked as a no-show by {actor.name}." if outcome == MeetingStatus.NO_SHOW and actor else ""
    # One conditional UPDATE: of two people clicking at once, exactly one changes the row.
    changed = db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id, Meeting.status == MeetingStatus.CONFIRMED, Meeting.starts_at <= now)
        .values(status=outcome, status_reason=reason, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    meeting = _meeting(meeting_id)
    if not changed:
        raise MeetingError(_why_not_markable(meeting, now))
    return meeting


def notes_fingerprint(notes: str) -> str:
    """Return a short fingerprint of the notes, so a save can tell whether they changed meanwhile."""
    return hashlib.sha256((notes or "").encode()).hexdigest()[:20]


def save_notes(meeting_id: int, actor_id: int, notes: str, *, based_on: str | None = None) -> Meeting:
    """Save the session's shared notes; refuse if someone saved others since `based_on` was read."""
    notes = (notes or "").replace("\r\n", "\n").strip()
    if len(notes) > NOTES_MAX:
        raise MeetingError(f"The notes are too long: keep them under {NOTES_MAX:,} characters.")
    # The row lock makes the check and the write one step, so no one's save is silently lost.
    meeting = _meeting_open_for_notes(meeting_id, "Notes can be kept")
    if based_on is not None and based_on != notes_fingerprint(meeting.notes):
        if meeting.notes == notes:
            return meeting  # the same words twice (two tabs): nothing is lost
        raise NotesConflict("Someone saved these notes while you were editing. Their version is shown "
                            "below yours: combine the two, then save again.", meeting.notes)
    meeting.notes = notes
    meeting.updated_at = utcnow()
    db.session.flush()
    return meeting


def add_action_item(meeting_id: int, actor_id: int, title: str, owner_id: int | None, due_on: date | None, *,
                    today: date) -> ActionItem:
    """Add an action item to the session, owned by one of the pair; tell the owner if it is not the actor."""
    title = " ".join((title or "").split())
    if not title:
        raise MeetingError("Write what needs doing, e.g. “Send the updated CV”.")
    if len(title) > TITLE_MAX:
        raise MeetingError(f"Keep the action item under {TITLE_MAX} characters.")
    meeting = _meeting_open_for_notes(meeting_id, "Action items can be added")
    people = participants_of(meeting.mentorship_id)
    if owner_id not in people:
        raise MeetingError("Choose who will do it: you or the other participant.")
    if due_on is not None and due_on < today:
        raise MeetingError("The due date has passed: pick today or a later day.")
    if due_on is not None and due_on > today + DUE_WITHIN:
        raise MeetingError("Pick a due date within the next year.")
    count = db.session.scalar(select(func.count(ActionItem.id)).where(ActionItem.meeting_id == meeting.id))
    if count >= ITEMS_PER_SESSION_MAX:
        raise MeetingError(f"A session can have up to {ITEMS_PER_SESSION_MAX} action items.")
    item = ActionItem(institution_id=meeting.institution_id, mentorship_id=meeting.mentorship_id,
                      meeting_id=meeting.id, owner_id=owner_id, title=title, due_on=due_on)
    db.session.add(item)
    db.session.flush()
    if owner_id != actor_id:
        actor = db.session.get(User, actor_id)
        due = f" It is due {due_on:%b} {due_on.day}, {due_on.year}." if due_on else ""
        notify(owner_id, "action_item_assigned", f"{actor.name if actor else 'Your partner'} gave you an action item",
               f"“{title}”.{due}", f"/sessions/{meeting.id}", institution_id=meeting.institution_id)
    return item


def set_action_item_done(item_id: int, done: bool, *, now: datetime | None = None) -> ActionItem:
    """Mark an action item done or not done; asking twice for the same state changes nothing."""
    now = now or utcnow()
    mentorship_id = db.session.scalar(select(ActionItem.mentorship_id).where(ActionItem.id == item_id))
    if mentorship_id is None:
        raise MeetingError("We couldn't find that action item.")
    ensure_active(mentorship_id)
    # Conditional, so a click from a stale tab never moves the time an item was done.
    condition = ActionItem.done_at.is_(None) if done else ActionItem.done_at.is_not(None)
    db.session.execute(update(ActionItem).where(ActionItem.id == item_id, condition)
                       .values(done_at=now if done else None).execution_options(synchronize_session=False))
    item = db.session.scalar(select(ActionItem).where(ActionItem.id == item_id)
                             .execution_options(populate_existing=True))
    if item is None:
        raise MeetingError("We couldn't find that action item.")
    return item
