"""What the after-session panel shows one viewer: the outcome, notes, action items and feedback."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.meetings.forms import ActionItemForm, FeedbackForm, NotesForm
from portal.extensions import db
from portal.meetings import feedback_of, notes_fingerprint, sessions_to_rate
from portal.meetings.after import OPEN_FOR_NOTES, participants_of
from portal.models import (
    ActionItem, Meeting, MeetingStatus, Mentorship, MentorshipParticipant, MentorshipStatus, ParticipantRole,
    SessionFeedback, utcnow,
)


@dataclass
class Notice:
    message: str
    kind: str = "success"  # a Bootstrap alert colour


@dataclass
class AfterSession:
    meeting: Meeting
    mentorship: Mentorship
    viewer_role: ParticipantRole | None
    people: dict[int, MentorshipParticipant]
    items: list[ActionItem]
    today: date
    notes_form: NotesForm
    item_form: ActionItemForm
    feedback_form: FeedbackForm
    my_feedback: SessionFeedback | None = None
    all_feedback: list[SessionFeedback] = field(default_factory=list)
    notices: dict[str, Notice] = field(default_factory=dict)  # by part: outcome, notes, items, feedback
    notes_conflict: str | None = None  # the other person's version, when two saves crossed

    @property
    def participant(self) -> bool:
        return self.viewer_role is not None

    @property
    def ended(self) -> bool:
        return self.mentorship.status != MentorshipStatus.ACTIVE

    @property
    def can_change(self) -> bool:
        """The pair edits the outcome, notes and items while the mentorship runs; ratings stay open after."""
        return self.participant and not self.ended

    @property
    def started(self) -> bool:
        return self.meeting.starts_at <= utcnow()

    @property
    def awaiting_outcome(self) -> bool:
        return self.meeting.status == MeetingStatus.CONFIRMED and self.started

    @property
    def shows_notes(self) -> bool:
        return self.meeting.status in OPEN_FOR_NOTES

    @property
    def ratable(self) -> bool:
        return self.meeting.status == MeetingStatus.COMPLETED

    @property
    def not_rated_yet(self) -> list[str]:
        """Return who has not rated the session, for an admin reading."""
        rated = {feedback.user_id for feedback in self.all_feedback}
        return sorted(p.user.name for p in self.people.values() if p.user_id not in rated)

    def name_of(self, user_id: int | None) -> str:
        if user_id == current_user.id:
            return "You"
        participant = self.people.get(user_id)
        return participant.user.name if participant else "Someone who left"

    def role_of(self, user_id: int | None) -> str:
        participant = self.people.get(user_id)
        return participant.role.value if participant else ""

    def is_overdue(self, item: ActionItem) -> bool:
        return item.done_at is None and item.due_on is not None and item.due_on < self.today


def viewer_today() -> date:
    """Return today's date where the viewer is."""
    return utcnow().astimezone(ZoneInfo(current_user.timezone or "UTC")).date()


def after_session(meeting: Meeting, mentorship: Mentorship, viewer_role: ParticipantRole | None, *,
                  notes_form: NotesForm | None = None, item_form: ActionItemForm | None = None,
                  feedback_form: FeedbackForm | None = None, notices: dict[str, Notice] | None = None,
                  notes_conflict: str | None = None) -> AfterSession:
    """Build the after-session panel of `meeting` for the signed-in viewer."""
    people = participants_of(meeting.mentorship_id)
    items = list(db.session.scalars(select(ActionItem).where(ActionItem.meeting_id == meeting.id)
                                    .order_by(ActionItem.done_at.is_not(None), ActionItem.id)))
    if notes_form is None:
        notes_form = NotesForm(formdata=None, notes=meeting.notes, based_on=notes_fingerprint(meeting.notes))
    if item_form is None:
        item_form = ActionItemForm(formdata=None)
    # The viewer first, then the others: most items are one's own.
    ordered = sorted(people.values(), key=lambda p: (p.user_id != current_user.id, p.role != ParticipantRole.MENTEE,
                                                     p.user.name))
    item_form.set_people([(p.user_id, "Me" if p.user_id == current_user.id else p.user.name) for p in ordered],
                         current_user.id if viewer_role is not None else None)
    panel = AfterSession(meeting=meeting, mentorship=mentorship, viewer_role=viewer_role, people=people, items=items,
                         today=viewer_today(), notes_form=notes_form, item_form=item_form,
                         feedback_form=feedback_form or FeedbackForm(formdata=None), notices=dict(notices or {}),
                         notes_conflict=notes_conflict)
    if viewer_role is not None:
        panel.my_feedback = feedback_of(meeting.id, current_user.id)
    else:
        panel.all_feedback = list(db.session.scalars(select(SessionFeedback).where(
            SessionFeedback.meeting_id == meeting.id).order_by(SessionFeedback.created_at)))
    return panel


def sessions_to_rate_for(mentorship: Mentorship, viewer_role: ParticipantRole | None) -> list[Meeting]:
    """Return the held sessions the viewer has yet to rate (none for an admin reading)."""
    if viewer_role is None:
        return []
    return sessions_to_rate(mentorship.id, current_user.id)
