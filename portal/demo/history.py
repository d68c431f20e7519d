"""Demo history: a pair that met over the autumn and completed their mentorship this week, so the
reports have a closing survey (NPS) and the directory a mentor who has mentored before."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.demo import DEMO_LOGINS
from portal.extensions import db
from portal.models import (
    Enrollment, EnrollmentRole, EnrollmentStatus, Institution, Mentorship, MentorshipEvent, MentorshipOrigin,
    MentorshipParticipant, MentorshipStatus, ParticipantRole, Program, Role, User, UserStatus, utcnow,
)

STARTED_WEEKS_AGO = 10
ENDED_DAYS_AGO = 2


def _free_person(program: Program, role: EnrollmentRole, busy: set[int]) -> User | None:
    """Return an active participant of the program in `role` with no mentorship yet, keeping the demo logins free."""
    logins = {DEMO_LOGINS[Role.MENTOR], DEMO_LOGINS[Role.STUDENT]}
    return db.session.scalar(
        select(User).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.program_id == program.id, Enrollment.role == role,
               Enrollment.status == EnrollmentStatus.ACTIVE, User.status == UserStatus.ACTIVE,
               User.email.not_in(logins), User.id.not_in(busy or {0}))
        .order_by(User.id.desc()).limit(1))


def seed(institution: Institution) -> Mentorship | None:
    """Add one completed mentorship to the open demo program; None if there is no one left to pair."""
    program = db.session.scalar(select(Program).where(Program.institution_id == institution.id,
                                                      Program.name == "Career Pathways 2026-27"))
    if program is None:
        return None
    busy = set(db.session.scalars(select(MentorshipParticipant.user_id).where(
        MentorshipParticipant.institution_id == institution.id)))
    mentor = _free_person(program, EnrollmentRole.MENTOR, busy)
    mentee = _free_person(program, EnrollmentRole.MENTEE, busy)
    if mentor is None or mentee is None:
        return None
    now = utcnow()
    started, ended = now - timedelta(weeks=STARTED_WEEKS_AGO), now - timedelta(days=ENDED_DAYS_AGO)
    mentorship = Mentorship(
        institution_id=institution.id, program_id=program.id, status=MentorshipStatus.COMPLETED,
        origin=MentorshipOrigin.ADMIN_MATCH, started_at=started, ended_at=ended,
        participants=[
            MentorshipParticipant(institution_id=institution.id, user_id=mentor.id, role=ParticipantRole.MENTOR),
            MentorshipParticipant(institution_id=institution.id, user_id=mentee.id, role=ParticipantRole.MENTEE)],
        events=[
            MentorshipEvent(institution_id=institution.id, kind="created", note="Matched by the program team",
                            created_at=started),
            MentorshipEvent(institution_id=institution.id, actor_id=mentee.id, kind="completed",
                            note="We reached the goals we set: an internship offer and a plan for the final year.",
                            created_at=ended)])
    db.session.add(mentorship)
    db.session.flush()
    return mentorship
