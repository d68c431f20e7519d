"""Reading requests: a mentor's inbox, a student's requests, and how quickly mentors answer."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import MentorRequest, RequestStatus, User

ANSWERED = (RequestStatus.ACCEPTED, RequestStatus.DECLINED)
HISTORY_SHOWN = 50
_CHUNK = 900  # ids per IN (...) list, under SQLite's parameter limit


@dataclass(frozen=True)
class AnswerTime:
    """How long a mentor takes to answer requests: the median over the requests they answered."""

    median: timedelta
    answered: int


def _loaded():
    return (selectinload(MentorRequest.mentee).selectinload(User.profile),
            selectinload(MentorRequest.mentor).selectinload(User.profile), selectinload(MentorRequest.program))


def inbox_of(mentor_id: int) -> tuple[list[MentorRequest], list[MentorRequest]]:
    """Return the mentor's requests waiting for an answer (oldest first) and the latest others."""
    waiting = list(db.session.scalars(
        select(MentorRequest).where(MentorRequest.mentor_id == mentor_id,
                                    MentorRequest.status == RequestStatus.PENDING)
        .options(*_loaded()).order_by(MentorRequest.created_at, MentorRequest.id)))
    earlier = list(db.session.scalars(
        select(MentorRequest).where(MentorRequest.mentor_id == mentor_id,
                                    MentorRequest.status != RequestStatus.PENDING)
        .options(*_loaded()).order_by(MentorRequest.closed_at.desc(), MentorRequest.id.desc())
        .limit(HISTORY_SHOWN)))
    return waiting, earlier


def requests_of(student_id: int) -> tuple[list[MentorRequest], list[MentorRequest]]:
    """Return the student's requests waiting for an answer (newest first) and the latest others."""
    waiting = list(db.session.scalars(
        select(MentorRequest).where(MentorRequest.mentee_id == student_id,
                                    MentorRequest.status == RequestStatus.PENDING)
        .options(*_loaded()).order_by(MentorRequest.created_at.desc(), MentorRequest.id.desc())))
    earlier = list(db.session.scalars(
        select(MentorRequest).where(MentorRequest.mentee_id == student_id,
                                    MentorRequest.status != RequestStatus.PENDING)
        .options(*_loaded()).order_by(MentorRequest.closed_at.desc(), MentorRequest.id.desc())
        .limit(HISTORY_SHOWN)))
    return waiting, earlier


def pending_count(mentor_id: int) -> int:
    """Return how many requests wait for the mentor's answer (the number beside their menu entry)."""
    return db.session.scalar(select(func.count(MentorRequest.id)).where(
        MentorRequest.mentor_id == mentor_id, MentorRequest.status == RequestStatus.PENDING)) or 0


def answered_in(program_id_column):
    """Return the SQL saying whether some mentor has answered a request in the program of `program_id_column`."""
    return exists().where(MentorRequest.program_id == program_id_column, MentorRequest.status.in_(ANSWERED))


def responsiveness_known(program_ids: list[int]) -> bool:
    """Say whether any mentor has answered a request in these programs (so "Most responsive" means something)."""
    if not program_ids:
        return False
    return bool(db.session.scalar(select(exists().where(
        MentorRequest.program_id.in_(program_ids), MentorRequest.status.in_(ANSWERED)))))


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(set(ids))
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _answered() -> list:
    return [MentorRequest.status.in_(ANSWERED), MentorRequest.answered_at.is_not(None)]


def _seconds_to_answer():
    return func.extract("epoch", MentorRequest.answered_at - MentorRequest.created_at)


def answer_time_columns(mentor_id_column) -> tuple | None:
    """Return the SQL for (the median seconds, the number) of the answers of the mentor in `mentor_id_column`,
    to read along with the mentor (see `answer_time_from`); None where the database has no median (SQLite)."""
    return _answer_time_sql(mentor_id_column) if db.session.get_bind().dialect.name == "postgresql" else None


@lru_cache(maxsize=8)
def _answer_time_sql(mentor_id_column) -> tuple:
    answered = [MentorRequest.mentor_id == mentor_id_column, *_answered()]
    median = select(func.percentile_cont(0.5).within_group(_seconds_to_answer())).where(*answered)
    return median.scalar_subquery(), select(func.count(MentorRequest.id)).where(*answered).scalar_subquery()


def answer_time_from(median, answered: int) -> AnswerTime | None:
    """Return the answer time read with `answer_time_columns` (None for a mentor who has answered none)."""
    return AnswerTime(timedelta(seconds=float(median)), answered) if answered else None


def median_answer_times(mentor_ids: Iterable[int] | None = None) -> dict[int, AnswerTime]:
    """Return {mentor id: their median time to answer} over the requests they accepted or declined.

    PostgreSQL works out the medians itself; elsewhere one query reads the answer times.
    """
    answered = _answered()
    chunks = [None] if mentor_ids is None else list(_chunks(mentor_ids))
    found: dict[int, AnswerTime] = {}
    postgres = db.session.get_bind().dialect.name == "postgresql"
    for chunk in chunks:
        where = answered if chunk is None else [*answered, MentorRequest.mentor_id.in_(chunk)]
        if postgres:
            rows = db.session.execute(
                select(MentorRequest.mentor_id, func.percentile_cont(0.5).within_group(_seconds_to_answer()),
                       func.count(MentorRequest.id))
                .where(*where).group_by(MentorRequest.mentor_id))
            found.update({mentor_id: answer_time_from(median, count) for mentor_id, median, count in rows})
            continue
        times: dict[int, list[float]] = defaultdict(list)
        for mentor_id, created, answered_at in db.session.execute(
                select(MentorRequest.mentor_id, MentorRequest.created_at, MentorRequest.answered_at).where(*where)):
            times[mentor_id].append((answered_at - created).total_seconds())
        found.update({mentor_id: AnswerTime(timedelta(seconds=statistics.median(values)), len(values))
                      for mentor_id, values in times.items()})
    return found
