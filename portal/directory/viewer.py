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

from sqlalchemy import select

from portal.extensions import db
from portal.matching import Person, Question
from portal.models import Enrollment, EnrollmentRole, EnrollmentStatus, Profile, Program, ProgramStatus, Role, User
from portal.models import Question as QuestionRow
from portal.requests.queries import responsiveness_known


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


def matching_questions(program_ids: list[int]) -> dict[int, tuple[Question, ...]]:
    """Return each program's questions used in matching, as the engine takes them."""
    if not program_ids:
        return {}
    found: dict[int, list[Question]] = {program_id: [] for program_id in program_ids}
    rows = db.session.execute(
        select(QuestionRow.program_id, QuestionRow.id, QuestionRow.kind, QuestionRow.match_rule,
               QuestionRow.matching_weight, QuestionRow.options, QuestionRow.prompt)
        .where(QuestionRow.program_id.in_(program_ids), QuestionRow.used_in_matching.is_(True))
        .order_by(QuestionRow.program_id, QuestionRow.position))
    for row in rows:
        found[row.program_id].append(Question(id=row.id, kind=row.kind.value, rule=row.match_rule.value,
                                              weight=row.matching_weight, options=tuple(row.options or ()),
                                              prompt=row.prompt))
    return {program_id: tuple(questions) for program_id, questions in found.items()}


_PROGRAM_COLUMNS = (Program.id, Program.name, Program.default_capacity, Program.matching_weights,
                    Program.affinity_fields)


def _program_view(row, questions=(), answers=None) -> ProgramView:
    return ProgramView(row.id, row.name, row.default_capacity, dict(row.matching_weights or {}),
                       tuple(row.affinity_fields or ()), tuple(questions), dict(answers or {}))


def viewer_for(user: User) -> Viewer:
    """Return the directory's view of a signed-in student or admin."""
    if user.role != Role.STUDENT:
        rows = db.session.execute(select(*_PROGRAM_COLUMNS).where(Program.status == ProgramStatus.OPEN)
                                  .order_by(Program.name, Program.id)).all()
        return Viewer(user.id, False, tuple(_program_view(row) for row in rows),
                      responsiveness_known=responsiveness_known([row.id for row in rows]))
    rows = db.session.execute(
        select(*_PROGRAM_COLUMNS, Enrollment.answers).join(Enrollment, Enrollment.program_id == Program.id)
        .where(Enrollment.user_id == user.id, Enrollment.role == EnrollmentRole.MENTEE,
               Enrollment.status == EnrollmentStatus.ACTIVE, Program.status == ProgramStatus.OPEN)
        .order_by(Program.name, Program.id)).all()
    questions = matching_questions([row.id for row in rows])
    profile = db.session.execute(select(Profile.canonical_tags, Profile.location, Profile.affinity)
                                 .where(Profile.user_id == user.id)).first()
    return Viewer(
        user.id, True, tuple(_program_view(row, questions.get(row.id, ()), row.answers) for row in rows),
        canonical=dict(profile.canonical_tags or {}) if profile else {},
        location=profile.location if profile else "",
        # "UTC" is the default nobody chose, so it says nothing about where someone is.
        timezone="" if (user.timezone or "UTC") == "UTC" else user.timezone,
        affinity=dict(profile.affinity or {}) if profile else {},
        responsiveness_known=responsiveness_known([row.id for row in rows]))
