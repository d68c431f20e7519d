"""Recognition: the time mentors gave (hours, sessions, ratings), their milestones, and a program's thank-you.

Hours are the summed length of completed sessions; ratings are those the mentor's mentees gave.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    Goal, GoalStatus, Meeting, MeetingStatus, Mentorship, MentorshipParticipant, ParticipantRole, Program,
    SessionFeedback, User, UserStatus,
)

SESSIONS_MILESTONE = 10


@dataclass
class Milestone:
    title: str
    description: str
    icon: str  # a Bootstrap icon
    reached_at: datetime | None = None
    progress: str = ""  # how far along, while not reached


@dataclass
class MentorRecognition:
    hours: float = 0.0
    sessions: int = 0
    ratings: list[int] = field(default_factory=list)
    goals_achieved: int = 0
    milestones: list[Milestone] = field(default_factory=list)

    @property
    def mean_rating(self) -> float | None:
        return sum(self.ratings) / len(self.ratings) if self.ratings else None

    @property
    def reached(self) -> list[Milestone]:
        return [milestone for milestone in self.milestones if milestone.reached_at]


def _hours(spans) -> float:
    return sum((ends - starts).total_seconds() for starts, ends in spans) / 3600


def mentor_recognition(user_id: int) -> MentorRecognition:
    """Return a mentor's hours, sessions, ratings and milestones across all their mentorships."""
    held = db.session.execute(select(Meeting.starts_at, Meeting.ends_at).where(
        Meeting.mentor_id == user_id, Meeting.status == MeetingStatus.COMPLETED)
        .order_by(Meeting.starts_at, Meeting.id)).all()
    ratings = list(db.session.scalars(
        select(SessionFeedback.rating).join(Meeting, Meeting.id == SessionFeedback.meeting_id)
        .where(Meeting.mentor_id == user_id, SessionFeedback.user_id != user_id)))
    achieved = db.session.execute(
        select(Goal.achieved_at, Goal.updated_at)
        .join(MentorshipParticipant, MentorshipParticipant.mentorship_id == Goal.mentorship_id)
        .where(MentorshipParticipant.user_id == user_id, MentorshipParticipant.role == ParticipantRole.MENTOR,
               Goal.status == GoalStatus.ACHIEVED)).all()
    achieved_at = sorted(when or updated for when, updated in achieved)
    recognition = MentorRecognition(hours=_hours(held), sessions=len(held), ratings=ratings,
                                    goals_achieved=len(achieved_at))
    recognition.milestones = [
        Milestone("First session", "You held your first mentoring session.", "flag",
                  held[0].starts_at if held else None, "" if held else "Your first completed session counts."),
        Milestone(f"{SESSIONS_MILESTONE} sessions", f"You held {SESSIONS_MILESTONE} mentoring sessions.", "trophy",
                  held[SESSIONS_MILESTONE - 1].starts_at if len(held) >= SESSIONS_MILESTONE else None,
                  f"{len(held)} of {SESSIONS_MILESTONE} so far."),
        Milestone("A mentee's goal achieved", "A mentee you guide achieved one of their goals.", "bullseye",
                  achieved_at[0] if achieved_at else None, "When a mentee marks a goal achieved, it shows here."),
    ]
    return recognition


@dataclass
class ThankYouRow:
    mentor: User
    hours: float
    sessions: int


@dataclass
class ThankYou:
    program: Program
    rows: list[ThankYouRow]

    @property
    def hours(self) -> float:
        return sum(row.hours for row in self.rows)

    @property
    def sessions(self) -> int:
        return sum(row.sessions for row in self.rows)


def program_thank_you(program: Program) -> ThankYou:
    """Return the program's mentors who gave time (a completed session at least), by name; mentors only."""
    spans: dict[int, list] = defaultdict(list)
    for mentor_id, starts, ends in db.session.execute(
            select(Meeting.mentor_id, Meeting.starts_at, Meeting.ends_at)
            .join(Mentorship, Mentorship.id == Meeting.mentorship_id)
            .where(Mentorship.program_id == program.id, Meeting.status == MeetingStatus.COMPLETED)):
        spans[mentor_id].append((starts, ends))
    mentors = db.session.scalars(select(User).where(User.id.in_(list(spans)), User.status != UserStatus.DEACTIVATED)
                                 .order_by(func.lower(User.last_name), func.lower(User.first_name))) if spans else []
    return ThankYou(program, [ThankYouRow(mentor, _hours(spans[mentor.id]), len(spans[mentor.id]))
                              for mentor in mentors])
