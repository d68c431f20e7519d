"""Who is looking at the directory: a student with their open programs and matching data, or an admin.

A student sees the mentors of the open programs they take part in as a mentee; an admin sees
the mentors of every open program of the institution (to check what students see), without
recommendations, since an admin is nobody's mentee.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass, field
from typing import Any

from sqlalchemy import and_, select

from portal.extensions import db
from portal.matching import Person, Question
from portal.models import Enrollment, EnrollmentRole, EnrollmentStatus, Profile, Program, ProgramStatus, Role, User
from portal.models import Question as QuestionRow
from portal.requests.queries import answered_in


@dataclass(frozen=True)
class ProgramView:
    """An open program as the directory uses it: capacity default and how it weighs a match."""

    id: int
    name: str
    default_capacity: int
    weights: dict[str, Any]
    affinity_fields: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    answers: dict[str, Any] = field(default_factory=dict)  # the viewing student's answers


@dataclass(frozen=True)
class Viewer:
    user_id: int
    is_student: bool
    programs: tuple[ProgramView, ...]
    canonical: dict[str, Any] = field(default_factory=dict)
    location: str = ""
    timezone: str = ""
    affinity: dict[str, Any] = field(default_factory=dict)
    responsiveness_known: bool = False  # some mentor of these programs has answered a request

    @property
    def program_ids(self) -> list[int]:
        return [program.id for program in self.programs]

    def program(self, program_id: int | None) -> ProgramView | None:
        """Return one of the viewer's programs by id, or None."""
        return next((program for program in self.programs if program.id == program_id), None)

    @property
    def has_matching_data(self) -> bool:
        """Say whether the student's profile gives the matching anything to go on."""
        tags = self.canonical or {}
        return any(tags.get(key) for key in ("skills", "career_interests", "industry", "major"))

    def as_mentee(self, program: ProgramView) -> Person:
        """Return the student as the matching engine sees them in one program."""
        return Person.from_profile(
            self.user_id, self.canonical, location=self.location, timezone=self.timezone, answers=program.answers,
            affinity={key: self.affinity.get(key) for key in program.affinity_fields})

    def matching_stamp(self, program: ProgramView) -> str:
        """Return a short digest of everything the student's match scores in `program` depend on."""
        inputs = [self.canonical, self.location, self.timezone, program.answers, program.weights,
                  program.affinity_fields, [astuple(question) for question in program.questions],
                  {key: self.affinity.get(key) for key in program.affinity_fields}]
        return hashlib.blake2b(json.dumps(inputs, sort_keys=True, default=str).encode(), digest_size=10).hexdigest()


_PROGRAM_COLUMNS = (Program.id, Program.name, Program.default_capacity, Program.matching_weights,
                    Program.affinity_fields)
_PROFILE_COLUMNS = (Profile.id.label("profile_id"), Profile.canonical_tags, Profile.location, Profile.affinity)
# The questions a program matches on, read with the student's programs (a row per question).
_QUESTION_COLUMNS = tuple(column.label(f"question_{name}") for name, column in (
    ("id", QuestionRow.id), ("kind", QuestionRow.kind), ("rule", QuestionRow.match_rule),
    ("weight", QuestionRow.matching_weight), ("options", QuestionRow.options), ("prompt", QuestionRow.prompt)))


def _question(row) -> Question:
    """Return a question read with `_QUESTION_COLUMNS`, as the matching engine takes it."""
    return Question(id=row.question_id, kind=row.question_kind.value, rule=row.question_rule.value,
                    weight=row.question_weight, options=tuple(row.question_options or ()), prompt=row.question_prompt)


def _program_view(row, questions=(), answers=None) -> ProgramView:
    return ProgramView(row.id, row.name, row.default_capacity, dict(row.matching_weights or {}),
                       tuple(row.affinity_fields or ()), tuple(questions), dict(answers or {}))


def viewer_for(user: User) -> Viewer:
    """Return the directory's view of a signed-in student or admin.

    One query reads the programs, whether their mentors have answered requests and, for a
    student, the questions each program matches on and the profile the matching uses.
    """
    answered = answered_in(Program.id).label("answered")
    if user.role != Role.STUDENT:
        rows = db.session.execute(select(*_PROGRAM_COLUMNS, answered).where(Program.status == ProgramStatus.OPEN)
                                  .order_by(Program.name, Program.id)).all()
        return Viewer(user.id, False, tuple(_program_view(row) for row in rows),
                      responsiveness_known=any(row.answered for row in rows))
    rows = db.session.execute(
        select(*_PROGRAM_COLUMNS, Enrollment.answers, answered, *_PROFILE_COLUMNS, *_QUESTION_COLUMNS)
        .join(Enrollment, Enrollment.program_id == Program.id)
        .outerjoin(Profile, Profile.user_id == Enrollment.user_id)
        .outerjoin(QuestionRow, and_(QuestionRow.program_id == Program.id, QuestionRow.used_in_matching.is_(True)))
        .where(Enrollment.user_id == user.id, Enrollment.role == EnrollmentRole.MENTEE,
               Enrollment.status == EnrollmentStatus.ACTIVE, Program.status == ProgramStatus.OPEN)
        .order_by(Program.name, Program.id, QuestionRow.position)).all()
    programs: dict[int, tuple] = {}  # program id: (its first row, its questions), in the order read
    for row in rows:
        _first, questions = programs.setdefault(row.id, (row, []))
        if row.question_id is not None:
            questions.append(_question(row))
    if rows:
        profile = rows[0] if rows[0].profile_id is not None else None
    else:
        profile = db.session.execute(select(*_PROFILE_COLUMNS).where(Profile.user_id == user.id)).first()
    return Viewer(
        user.id, True, tuple(_program_view(row, questions, row.answers) for row, questions in programs.values()),
        canonical=dict(profile.canonical_tags or {}) if profile else {},
        location=profile.location if profile else "",
        # "UTC" is the default nobody chose, so it says nothing about where someone is.
        timezone="" if (user.timezone or "UTC") == "UTC" else user.timezone,
        affinity=dict(profile.affinity or {}) if profile else {},
        responsiveness_known=any(row.answered for row in rows))
