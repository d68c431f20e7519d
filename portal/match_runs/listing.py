"""Reading a run for its pages: the suggestions (filtered, sorted, paged), counts, the unmatched."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import MatchRun, MatchSuggestion, SuggestionDecision, User

PAGE_SIZE = 50
UNMATCHED_SHOWN = 200
Mentee, Mentor = aliased(User, name="mentee"), aliased(User, name="mentor")
SORTS = {
    "score": (MatchSuggestion.score.desc(), MatchSuggestion.id),
    "score_asc": (MatchSuggestion.score, MatchSuggestion.id),
    "mentee": (Mentee.last_name, Mentee.first_name, MatchSuggestion.id),
    "mentor": (Mentor.last_name, Mentor.first_name, Mentee.last_name, MatchSuggestion.id),
}


@dataclass
class Filters:
    q: str = ""
    min_score: float | None = None
    max_score: float | None = None
    decision: str = ""
    sort: str = "score"
    page: int = 1

    @property
    def active(self) -> bool:
        return bool(self.q or self.min_score is not None or self.max_score is not None or self.decision)


@dataclass
class Row:
    suggestion: MatchSuggestion
    mentee: User
    mentor: User


@dataclass
class Page:
    rows: list[Row]
    total: int
    number: int
    pages: int


def suggestions_page(run: MatchRun, filters: Filters, size: int = PAGE_SIZE) -> Page:
    """Return one page of the run's suggestions with both people, filtered and sorted."""
    query = (select(MatchSuggestion, Mentee, Mentor)
             .join(Mentee, Mentee.id == MatchSuggestion.mentee_id)
             .join(Mentor, Mentor.id == MatchSuggestion.mentor_id)
             .where(MatchSuggestion.run_id == run.id))
    if filters.q:
        pattern = f"%{filters.q.lower()}%"
        query = query.where(or_(*(column.ilike(pattern) for person in (Mentee, Mentor)
                                  for column in (person.first_name, person.last_name, person.email)),
                                (Mentee.first_name + " " + Mentee.last_name).ilike(pattern),
                                (Mentor.first_name + " " + Mentor.last_name).ilike(pattern)))
    if filters.min_score is not None:
        query = query.where(MatchSuggestion.score >= filters.min_score)
    if filters.max_score is not None:
        query = query.where(MatchSuggestion.score <= filters.max_score)
    if filters.decision:
        query = query.where(MatchSuggestion.decision == SuggestionDecision(filters.decision))
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, math.ceil(total / size))
    number = min(max(1, filters.page), pages)
    rows = db.session.execute(query.order_by(*SORTS.get(filters.sort, SORTS["score"]))
                              .offset((number - 1) * size).limit(size))
    return Page([Row(*row) for row in rows], total, number, pages)


def one_row(suggestion: MatchSuggestion) -> Row:
    """Return one suggestion with both people, for a row that changed."""
    return Row(suggestion, db.session.get(User, suggestion.mentee_id), db.session.get(User, suggestion.mentor_id))


def decision_counts(run: MatchRun) -> dict[str, Any]:
    """Return how many suggestions are proposed, approved and rejected, and the lowest approved score."""
    counts = {decision.value: 0 for decision in SuggestionDecision}
    for decision, count in db.session.execute(select(MatchSuggestion.decision, func.count())
                                              .where(MatchSuggestion.run_id == run.id)
                                              .group_by(MatchSuggestion.decision)):
        counts[decision.value] = count
    counts["total"] = sum(counts.values())
    return counts


def unmatched_people(run: MatchRun, limit: int = UNMATCHED_SHOWN) -> list[tuple[User | None, str]]:
    """Return the first unmatched mentees with the reason, as stored by the run."""
    entries = (run.unmatched or [])[:limit]
    people = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_([entry["mentee_id"] for entry in entries])))} if entries else {}
    return [(people.get(entry["mentee_id"]), entry["message"]) for entry in entries]


def score_bars(histogram: list[int], width: int = 320, height: int = 120) -> list[dict[str, Any]]:
    """Return the bars of the score distribution for a server-drawn SVG (no styles, only attributes)."""
    peak = max(histogram or [0]) or 1
    band = width / max(len(histogram), 1)
    bars = []
    for index, count in enumerate(histogram):
        tall = round(height * count / peak, 1)
        bars.append({"label": f"{index * 10}–{index * 10 + 10}", "count": count, "x": round(index * band + 2, 1),
                     "y": round(height - tall, 1), "width": round(band - 4, 1), "height": tall,
                     "middle": round(index * band + band / 2, 1)})
    return bars


def program_readiness(program) -> dict[str, int]:
    """Return who a new run of the program would match: mentees waiting, mentors and their free places."""
    from portal.mentorships.queries import active_mentee_ids, free_capacities
    from portal.models import Enrollment, EnrollmentRole, EnrollmentStatus, UserStatus

    counts = dict(db.session.execute(
        select(Enrollment.role, func.count()).join(User, User.id == Enrollment.user_id)
        .where(Enrollment.program_id == program.id, Enrollment.status == EnrollmentStatus.ACTIVE,
               User.status != UserStatus.DEACTIVATED)
        .group_by(Enrollment.role)).all())
    places = free_capacities(program)
    matched = len(active_mentee_ids(program.id))
    mentees = counts.get(EnrollmentRole.MENTEE, 0)
    return {"mentees": mentees, "matched": matched, "waiting": max(mentees - matched, 0),
            "mentors": counts.get(EnrollmentRole.MENTOR, 0),
            "mentors_with_places": sum(1 for value in places.values() if value > 0),
            "places": sum(places.values())}
