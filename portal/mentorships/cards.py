"""A person's mentorships as their dashboard shows them: who, in which program, since when, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from portal.extensions import db
from portal.mentorships.queries import active_mentorships_of
from portal.models import (
    MatchSuggestion, Mentorship, MentorshipOrigin, ParticipantRole, Program, User,
)

REASONS_SHOWN = 4


@dataclass
class Partner:
    user: User
    reasons: list[str] = field(default_factory=list)


@dataclass
class MentorshipCard:
    id: int
    program: Program
    since: datetime
    origin: MentorshipOrigin
    partners: list[Partner]  # the other side: the mentor, or the mentees


def _reasons(mentorship: Mentorship, program: Program, mentee_id: int, mentor_id: int, viewer: str) -> list[str]:
    """Return why this pair fits: the breakdown the admin approved, or the engine's view of the pair now."""
    from portal.match_runs.cohort import load_people, score_pairs
    from portal.matching import explain
    from portal.models import EnrollmentRole

    if mentorship.match_run_id is not None:
        breakdown = db.session.scalar(select(MatchSuggestion.breakdown).where(
            MatchSuggestion.run_id == mentorship.match_run_id, MatchSuggestion.mentee_id == mentee_id,
            MatchSuggestion.mentor_id == mentor_id))
        if breakdown:
            return explain(breakdown, viewer=viewer)[:REASONS_SHOWN]
    mentors, _ = load_people(program, EnrollmentRole.MENTOR, user_ids=[mentor_id])
    found = score_pairs(program, {}, mentee_id, mentors, 1, viewer=viewer) if mentors else []
    return found[0].reasons[:REASONS_SHOWN] if found else []


def mentorship_cards(user: User) -> list[MentorshipCard]:
    """Return the person's active mentorships, each with the people on the other side and the reasons."""
    cards = []
    for mentorship in active_mentorships_of(user.id):
        program = db.session.get(Program, mentorship.program_id)
        mine = next((p for p in mentorship.participants if p.user_id == user.id), None)
        if mine is None:
            continue
        mentor = next((p.user for p in mentorship.participants if p.role == ParticipantRole.MENTOR), None)
        if mine.role == ParticipantRole.MENTEE:
            partners = [Partner(mentor, _reasons(mentorship, program, user.id, mentor.id, "mentee"))] if mentor else []
        else:
            partners = [Partner(p.user, _reasons(mentorship, program, p.user_id, user.id, "admin"))
                        for p in mentorship.participants if p.role == ParticipantRole.MENTEE]
        cards.append(MentorshipCard(mentorship.id, program, mentorship.started_at, mentorship.origin, partners))
    return cards
