"""Access rules of the mentorship workspace: its participants read it; admins of the institution read it;
anyone else, and any other institution, finds nothing.

Also the helper the workspace and goal tests share: a mentorship of the `people` fixture's mentor and student.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.mentorships import create_mentorship
from portal.models import EnrollmentRole, EnrollmentSource, MentorshipStatus, ProgramStatus, User, utcnow
from portal.programs import create_program, enroll, set_program_status
from tests.access import SIGN_IN, Rule


def make_mentorship(institution_id: int, *, mentor_id: int | None = None, student_id: int | None = None,
                    status: str = "active", program: str = "Career Pathways", ends_on: date | None = None) -> int:
    """Pair the institution's first mentor and student (or these) in a new open program; return the mentorship id."""
    record = create_program(institution_id, {"name": program, "ends_on": ends_on})
    set_program_status(record, ProgramStatus.OPEN)

    def first(role: str) -> User:
        return db.session.scalar(select(User).where(User.institution_id == institution_id, User.role == role)
                                 .order_by(User.id))

    mentor = db.session.get(User, mentor_id) if mentor_id else first("mentor")
    student = db.session.get(User, student_id) if student_id else first("student")
    enroll(record, mentor, EnrollmentRole.MENTOR, EnrollmentSource.ADMIN)
    enroll(record, student, EnrollmentRole.MENTEE, EnrollmentSource.ADMIN)
    mentorship = create_mentorship(record, mentor.id, [student.id], "admin_manual", None)
    if status != "active":
        mentorship.status, mentorship.ended_at = MentorshipStatus(status), utcnow()
    db.session.commit()
    return mentorship.id


def make_targets(institution):
    return {"mentorship": make_mentorship(institution.id)}


def readers(own: int = 200) -> dict[str, int | str]:
    """The pair and their institution's admins read; another institution finds nothing."""
    return {"anonymous": SIGN_IN, "student": own, "mentor": own, "other_admin": 404, "admin": own}


RULES = {
    # Admins have the program team's list of every mentorship instead.
    "workspace.list_my_mentorships": Rule("GET", "/mentorships", {
        "anonymous": SIGN_IN, "student": 200, "mentor": 200, "other_admin": 302, "admin": 302}),
    "workspace.show_workspace": Rule("GET", "/mentorships/{mentorship}", readers()),
    "workspace.show_resources": Rule("GET", "/mentorships/{mentorship}/resources", readers()),
}
