"""Feedback on a session: one rating per participant, and a prompt to give it once the session ends."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update

from portal.extensions import db
from portal.meetings import MeetingError
from portal.meetings.after import add_once, participants_of
from portal.models import Meeting, MeetingStatus, SessionFeedback, utcnow
from portal.notifications import notify
from portal.tenancy import unscoped

log = logging.getLogger(__name__)

TEXT_MAX = 2_000
# Sessions that ended longer ago than this are not prompted for (e.g. the first run after an upgrade).
PROMPT_WITHIN = timedelta(days=7)
PROMPT_BATCH = 500


class AlreadyRated(MeetingError):
    """The person rated this session before (perhaps a moment ago, in another tab)."""

    def __init__(self, feedback: SessionFeedback):
        super().__init__(f"You already rated this session {feedback.rating}/5. Thank you! "
                         "Each person rates a session once.")
        self.feedback = feedback


def feedback_of(meeting_id: int, user_id: int) -> SessionFeedback | None:
    """Return this person's feedback on the session, if they gave it."""
    return db.session.scalar(select(SessionFeedback).where(
        SessionFeedback.meeting_id == meeting_id, SessionFeedback.user_id == user_id))


def _why_not_ratable(meeting: Meeting) -> str:
    if meeting.status == MeetingStatus.NO_SHOW:
        return "This session was marked as a no-show, so there is nothing to rate."
    if meeting.status == MeetingStatus.CANCELLED:
        return "This session was cancelled, so there is nothing to rate."
    return "You can rate the session once it is marked as held."


def give_feedback(meeting_id: int, user_id: int, rating: int, went_well: str = "", goal_progress: str = "",
                  ) -> SessionFeedback:
    """Record a participant's rating of a held session; raise AlreadyRated on a second try."""
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise MeetingError("Choose a rating from 1 (poor) to 5 (excellent).")
    went_well, goal_progress = (went_well or "").strip(), (goal_progress or "").strip()
    if len(went_well) > TEXT_MAX or len(goal_progress) > TEXT_MAX:
        raise MeetingError(f"Keep each answer under {TEXT_MAX:,} characters.")
    meeting = db.session.scalar(select(Meeting).where(Meeting.id == meeting_id))
    if meeting is None:
        raise MeetingError("We couldn't find that session.")
    if meeting.status != MeetingStatus.COMPLETED:
        raise MeetingError(_why_not_ratable(meeting))
    if user_id not in participants_of(meeting.mentorship_id):
        raise MeetingError("Only the session's participants rate it.")
    feedback = SessionFeedback(institution_id=meeting.institution_id, meeting_id=meeting_id,
                               mentorship_id=meeting.mentorship_id, user_id=user_id, rating=rating, went_well=went_well, goal_progress=goal_progress)
    return add_once(feedback, lambda: feedback_of(meeting_id, user_id), AlreadyRated)


def sessions_to_rate(mentorship_id: int, user_id: int, limit: int = 5) -> list[Meeting]:
    """Return the mentorship's held sessions this participant has not rated yet, latest first."""
    rated = select(SessionFeedback.meeting_id).where(SessionFeedback.user_id == user_id)
    return list(db.session.scalars(
        select(Meeting).where(Meeting.mentorship_id == mentorship_id, Meeting.status == MeetingStatus.COMPLETED,
                              Meeting.id.not_in(rated))
        .order_by(Meeting.starts_at.desc()).limit(limit)))


def prompt_for_feedback(now: datetime | None = None) -> int:
    """Ask each participant of every recently ended, held session to rate it, once; return how many sessions."""
    now = now or utcnow()
    prompted = 0
    with unscoped():
        due = db.session.execute(
            select(Meeting.id, Meeting.institution_id, Meeting.mentorship_id)
            .where(Meeting.status == MeetingStatus.COMPLETED, Meeting.feedback_prompted_at.is_(None),
                   Meeting.ends_at <= now, Meeting.ends_at > now - PROMPT_WITHIN)
            .order_by(Meeting.ends_at).limit(PROMPT_BATCH)).all()
        for meeting_id, institution_id, mentorship_id in due:
            # Claim the session: of two sweeps running at once, only one prompts.
            claimed = db.session.execute(
                update(Meeting).where(Meeting.id == meeting_id, Meeting.feedback_prompted_at.is_(None))
                .values(feedback_prompted_at=now).execution_options(synchronize_session=False)).rowcount
            if not claimed:
                continue
            rated = set(db.session.scalars(select(SessionFeedback.user_id).where(
                SessionFeedback.meeting_id == meeting_id)))
            people = participants_of(mentorship_id)
            for user_id in people.keys() - rated:
                others = " and ".join(sorted(p.user.name for p in people.values() if p.user_id != user_id))
                notify(user_id, "session_feedback", f"How was your session with {others}?",
                       "Rate it in a minute: what went well, and how your goals moved on. "
                       "Your answers help the program team support you.",
                       f"/sessions/{meeting_id}/feedback", institution_id=institution_id)
            prompted += 1
    if prompted:
        log.info("prompted for feedback on %d sessions", prompted)
    return prompted
