"""How well each mentor fits a student: the matching engine's scores, kept in Redis between searches.

The engine scores a student against all of a program's visible mentors at once (the program's
weights and questions, the cached canonical tags), so a mentor's score is the same whatever
the filters and on their profile page; a search then only looks its candidates up. The scores
are kept for CACHE_SECONDS under a key that changes with everything they depend on on the
student's side (profile, answers, the program's weights and questions: Viewer.matching_stamp),
so editing one's profile re-ranks at once; a mentor who joined since is scored on arrival.
Changes to mentors' profiles show in the ranking within CACHE_SECONDS.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from sqlalchemy import select

from portal.directory.viewer import ProgramView, Viewer
from portal.extensions import db
from portal.jobs import redis_connection
from portal.matching import Person, Scorer, explain
from portal.models import Enrollment, EnrollmentRole, EnrollmentStatus, Profile, Role, User, UserStatus

CACHE_SECONDS = 600
_KEY = "portal:directory:scores:{user}:{program}:{stamp}"
_REASONS_KEY = "portal:directory:reasons:{user}:{program}:{stamp}"


class ScoreTable:
    """Scores 0-100 by mentor id for one student in one program."""

    def __init__(self, ids: np.ndarray, scores: np.ndarray, ordered: bool = False):
        if not ordered:
            order = np.argsort(ids, kind="stable")
            ids, scores = ids[order], scores[order]
        self.ids, self.scores = ids.astype(np.int64, copy=False), scores.astype(np.float32, copy=False)

    def lookup(self, mentor_ids: Sequence[int]) -> np.ndarray:
        """Return the scores of these mentors, NaN for a mentor not in the table."""
        wanted = np.asarray(mentor_ids, dtype=np.int64)
        at = np.searchsorted(self.ids, wanted)
        at = np.minimum(at, max(len(self.ids) - 1, 0))
        found = (self.ids[at] == wanted) if len(self.ids) else np.zeros(len(wanted), bool)
        return np.where(found, self.scores[at] if len(self.ids) else 0, np.nan).astype(np.float32)

    def merged(self, other: ScoreTable) -> ScoreTable:
        return ScoreTable(np.concatenate([self.ids, other.ids]), np.concatenate([self.scores, other.scores]))

    def to_bytes(self) -> bytes:
        """Return the table as 8 bytes a mentor (80 KB for 10,000 mentors)."""
        return self.ids.astype("<i4").tobytes() + self.scores.astype("<f4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> ScoreTable:
        count = len(data) // 8
        return cls(np.frombuffer(data[:4 * count], "<i4"), np.frombuffer(data[4 * count:], "<f4"), ordered=True)


def mentors_as_people(program: ProgramView, mentor_ids: Iterable[int] | None = None) -> list[Person]:
    """Return the program's visible mentors (or just these) as the matching engine sees them."""
    columns = [Enrollment.user_id, User.timezone, Profile.canonical_tags, Profile.location]
    if program.questions:
        columns.append(Enrollment.answers)
    if program.affinity_fields:
        columns.append(Profile.affinity)
    query = (select(*columns)
             .join(User, User.id == Enrollment.user_id).join(Profile, Profile.user_id == Enrollment.user_id)
             .where(Enrollment.program_id == program.id, Enrollment.role == EnrollmentRole.MENTOR,
                    Enrollment.status == EnrollmentStatus.ACTIVE, User.role == Role.MENTOR,
                    User.status == UserStatus.ACTIVE))
    if mentor_ids is not None:
        query = query.where(Enrollment.user_id.in_(sorted(set(mentor_ids))))
    people = []
    for row in db.session.execute(query):
        mapping = row._mapping
        affinity = mapping.get("affinity") or {}
        people.append(Person.from_profile(
            row.user_id, row.canonical_tags or {}, location=row.location or "",
            # "UTC" is the default nobody chose, so it says nothing about where someone is.
            timezone="" if (row.timezone or "UTC") == "UTC" else row.timezone,
            answers=mapping.get("answers") or {},
            affinity={key: affinity.get(key) for key in program.affinity_fields}))
    return people


def _scorer(viewer: Viewer, program: ProgramView, mentors: Sequence[Person]) -> Scorer | None:
    try:
        return Scorer([viewer.as_mentee(program)], mentors, program.weights, program.questions,
                      program.affinity_fields)
    except ValueError:  # a program whose weights are all 0: nothing to rank by
        return None


def _score(viewer: Viewer, program: ProgramView, mentors: Sequence[Person]) -> ScoreTable:
    ids = np.array([person.id for person in mentors], np.int64)
    scorer = _scorer(viewer, program, mentors) if mentors else None
    scores = scorer.block(np.array([0]))[0].copy() if scorer else np.zeros(len(mentors), np.float32)
    return ScoreTable(ids, scores)


def score_table(viewer: Viewer, program: ProgramView, candidate_ids: Iterable[int] = ()) -> ScoreTable:
    """Return the student's scores in `program`, from Redis or worked out now; score any newcomer too."""
    key = _KEY.format(user=viewer.user_id, program=program.id, stamp=viewer.matching_stamp(program))
    redis = redis_connection()
    cached = redis.get(key)
    table = ScoreTable.from_bytes(cached) if cached else _score(viewer, program, mentors_as_people(program))
    changed = not cached
    wanted = np.asarray(list(candidate_ids), dtype=np.int64)
    missing = wanted[np.isnan(table.lookup(wanted))].tolist() if len(wanted) else []
    if missing:
        table = table.merged(_score(viewer, program, mentors_as_people(program, missing)))
        changed = True
    if changed:
        redis.set(key, table.to_bytes(), ex=CACHE_SECONDS)
    return table


def _worked_out_reasons(viewer: Viewer, program: ProgramView, mentor_ids: Sequence[int]) -> dict[int, list[str]]:
    mentors = mentors_as_people(program, mentor_ids)
    scorer = _scorer(viewer, program, mentors) if mentors else None
    if scorer is None:
        return {person.id: [] for person in mentors}
    breakdowns = scorer.breakdowns([0] * len(mentors), list(range(len(mentors))))
    return {person.id: explain(breakdown, viewer="mentee") for person, breakdown in zip(mentors, breakdowns)}


def reasons(viewer: Viewer, program: ProgramView, versions: Mapping[int, object]) -> dict[int, list[str]]:
    """Return, per mentor, why they fit the student ("Shared skills: Python and SQL"...), weightiest first.

    `versions` maps each mentor id to something that changes when their profile does (its update
    time): reasons are kept in Redis like the scores, per mentor and version, since the same
    mentors come back as a student types, and a changed profile is explained afresh.
    """
    if not versions:
        return {}
    key = _REASONS_KEY.format(user=viewer.user_id, program=program.id, stamp=viewer.matching_stamp(program))
    fields = {mentor_id: f"{mentor_id}:{version}" for mentor_id, version in versions.items()}
    redis = redis_connection()
    cached = redis.hmget(key, list(fields.values()))
    found = {mentor_id: json.loads(value) for mentor_id, value in zip(fields, cached) if value is not None}
    missing = [mentor_id for mentor_id in fields if mentor_id not in found]
    if missing:
        worked_out = _worked_out_reasons(viewer, program, missing)
        found.update(worked_out)
        if worked_out:
            pipeline = redis.pipeline()
            pipeline.hset(key, mapping={fields[mentor_id]: json.dumps(value) for mentor_id, value in worked_out.items()})
            pipeline.expire(key, CACHE_SECONDS)
            pipeline.execute()
    return found
