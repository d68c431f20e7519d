"""The closing survey: when a mentorship ends, each participant says once whether they'd recommend it."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.meetings import MeetingError
from portal.meetings.after import add_once, participants_of
from portal.models import ClosingSurvey, Mentorship, MentorshipStatus

COMMENT_MAX = 4_000


class AlreadyAnswered(MeetingError):
    """The person answered this mentorship's closing survey before."""

    def __init__(self, survey: ClosingSurvey):
        super().__init__(f"You already answered the closing survey ({survey.recommend}/10). Thank you! "
                         "Each person answers it once.")
        self.survey = survey


def closing_survey_of(mentorship_id: int, user_id: int) -> ClosingSurvey | None:
    """Return this person's closing survey of the mentorship, if they answered it."""
    return db.session.scalar(select(ClosingSurvey).where(
        ClosingSurvey.mentorship_id == mentorship_id, ClosingSurvey.user_id == user_id))


def closing_survey_pending(mentorship: Mentorship, user_id: int | None) -> bool:
    """Tell whether this participant still owes the ended mentorship its closing survey."""
    if user_id is None or mentorship.status == MentorshipStatus.ACTIVE:
        return False
    return user_id in participants_of(mentorship.id) and closing_survey_of(mentorship.id, user_id) is None


def submit_closing_survey(mentorship_id: int, user_id: int, recommend: int, comment: str = "") -> ClosingSurvey:
    """Record a participant's closing survey of an ended mentorship; raise AlreadyAnswered on a second try."""
    if not isinstance(recommend, int) or not 0 <= recommend <= 10:
        raise MeetingError("Choose a score from 0 (not at all likely) to 10 (extremely likely).")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise MeetingError(f"Keep the comment under {COMMENT_MAX:,} characters.")
    mentorship = db.session.scalar(select(Mentorship).where(Mentorship.id == mentorship_id))
    if mentorship is None:
        raise MeetingError("We couldn't find that mentorship.")
    if mentorship.status == MentorshipStatus.ACTIVE:
        raise MeetingError("The closing survey opens when the mentorship ends.")
    if user_id not in participants_of(mentorship_id):
        raise MeetingError("Only the mentorship's participants answer its closing survey.")
    survey = ClosingSurvey(institution_id=mentorship.institution_id, mentorship_id=mentorship_id, user_id=user_id,
                           recommend=recommend, comment=comment)
    return add_once(survey, lambda: closing_survey_of(mentorship_id, user_id), AlreadyAnswered)
