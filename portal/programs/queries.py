"""Reading programs and their participants for pages and other features."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Enrollment, EnrollmentRole, EnrollmentStatus, Program, ProgramStatus, User

STATUS_ORDER = case({ProgramStatus.OPEN.value: 0, ProgramStatus.DRAFT.value: 1}, value=Program.status, else_=2)


def list_programs(status: ProgramStatus | None = None) -> list[Program]:
    """Return the institution's programs: open first, then drafts, then closed; newest first."""
    query = select(Program).order_by(STATUS_ORDER, Program.starts_on.desc(), Program.id.desc())
    if status is not None:
        query = query.where(Program.status == status)
    return list(db.session.scalars(query))


def participant_counts(program_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Return {program_id: {"mentor": n, "mentee": n, "total": n}} counting active enrollments."""
    query = (select(Enrollment.program_id, Enrollment.role, func.count())
             .where(Enrollment.status == EnrollmentStatus.ACTIVE)
             .group_by(Enrollment.program_id, Enrollment.role))
    if program_ids is not None:
        query = query.where(Enrollment.program_id.in_(program_ids))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"mentor": 0, "mentee": 0, "total": 0})
    for program_id, role, count in db.session.execute(query):
        counts[program_id][role.value] += count
        counts[program_id]["total"] += count
    return counts


def participants(program_id: int, role: EnrollmentRole, limit: int = 100) -> list[Enrollment]:
    """Return the program's active participants in one role, by name."""
    return list(db.session.scalars(
        select(Enrollment).join(Enrollment.user)
        .where(Enrollment.program_id == program_id, Enrollment.role == role,
               Enrollment.status == EnrollmentStatus.ACTIVE)
        .options(joinedload(Enrollment.user))
        .order_by(User.last_name, User.first_name, User.id)
        .limit(limit)
    ))


def left_count(program_id: int) -> int:
    """Return how many people have left the program."""
    return db.session.scalar(select(func.count()).select_from(Enrollment).where(
        Enrollment.program_id == program_id, Enrollment.status == EnrollmentStatus.LEFT)) or 0


def enrollments_of(user_id: int) -> dict[int, Enrollment]:
    """Return the person's enrollments (active or left) by program id."""
    rows = db.session.scalars(select(Enrollment).where(Enrollment.user_id == user_id)
                              .options(joinedload(Enrollment.program)))
    return {enrollment.program_id: enrollment for enrollment in rows}
