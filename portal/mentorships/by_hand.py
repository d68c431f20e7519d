"""An admin pairs a mentor with mentees by hand: who can be chosen, and making the mentorship."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.mentorships import MentorshipError
from portal.mentorships.creating import create_mentorship
from portal.mentorships.queries import active_mentee_ids, free_capacities
from portal.models import (
    Enrollment, EnrollmentRole, EnrollmentStatus, Mentorship, MentorshipOrigin, ParticipantRole, Program,
    ProgramFormat, User, UserStatus,
)
from portal.notifications import notify

MAX_NOTE_LENGTH = 1000


@dataclass
class Candidates:
    mentors: list[tuple[User, int]]  # (mentor, free places)
    mentees: list[User]  # mentees who can still be given a mentor in this program


def _enrolled(program_id: int, role: EnrollmentRole) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.program_id == program_id, Enrollment.role == role,
               Enrollment.status == EnrollmentStatus.ACTIVE, User.status != UserStatus.DEACTIVATED)
        .order_by(User.last_name, User.first_name, User.id)))


def candidates(program: Program) -> Candidates:
    """Return the program's mentors with their free places, and its mentees who can still be paired."""
    free = free_capacities(program)
    mentors = [(user, free.get(user.id, 0)) for user in _enrolled(program.id, EnrollmentRole.MENTOR)]
    mentees = _enrolled(program.id, EnrollmentRole.MENTEE)
    if program.format == ProgramFormat.ONE_TO_ONE:
        busy = active_mentee_ids(program.id)
        mentees = [user for user in mentees if user.id not in busy]
    return Candidates(mentors, mentees)


def pair_by_hand(program_id: int | None, mentor_id: int | None, mentee_ids: Sequence[int], actor_id: int,
                 note: str = "") -> Mentorship:
    """Make a mentorship an admin chose by hand, and tell the mentor and mentees; raise MentorshipError."""
    program = db.session.scalar(select(Program).where(Program.id == program_id)) if program_id else None
    if program is None:
        raise MentorshipError("Choose the program the mentorship belongs to.")
    if not mentor_id:
        raise MentorshipError("Choose a mentor.")
    if not mentee_ids:
        raise MentorshipError("Choose at least one mentee.")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise MentorshipError(f"Keep the note under {MAX_NOTE_LENGTH} characters.")
    mentorship = create_mentorship(program, mentor_id, list(dict.fromkeys(mentee_ids)),
                                   MentorshipOrigin.ADMIN_MANUAL, actor_id,
                                   note=note or "Paired by hand by the program team")
    _announce(mentorship, program)
    return mentorship


def _announce(mentorship: Mentorship, program: Program) -> None:
    mentor = next(p.user for p in mentorship.participants if p.role == ParticipantRole.MENTOR)
    mentees = [p.user for p in mentorship.participants if p.role == ParticipantRole.MENTEE]
    names = ", ".join(user.name for user in mentees)
    link = f"/mentorships/{mentorship.id}"
    notify(mentor.id, "mentorship_started", f"You have a new {'mentee' if len(mentees) == 1 else 'group'} in "
           f"{program.name}: {names}",
           "The program team paired you. Say hello and agree on a first meeting; the workspace has goals, "
           "sessions and messages in one place.", link, institution_id=program.institution_id)
    notify([user.id for user in mentees], "mentorship_started", f"Meet your mentor in {program.name}: {mentor.name}",
           "The program team paired you. Introduce yourself, share what you hope to get out of it and suggest "
           "a first meeting.", link, institution_id=program.institution_id)
