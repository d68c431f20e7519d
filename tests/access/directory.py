"""Access rules of the mentor directory: students find the mentors of their programs; admins may look
at what students see; mentors have no directory; another institution finds nothing of ours."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import EnrollmentSource, ProgramStatus, Role, User
from portal.programs import create_program, enroll_many, set_program_status
from tests.access import SIGN_IN, Rule


def make_targets(institution):
    program = create_program(institution.id, {"name": "Career Pathways"})
    set_program_status(program, ProgramStatus.OPEN)
    participants = list(db.session.scalars(select(User).where(User.institution_id == institution.id,
                                                              User.role.in_([Role.MENTOR, Role.STUDENT]))))
    enroll_many(program, participants, EnrollmentSource.ADMIN)
    db.session.commit()
    mentor = next(user for user in participants if user.role == Role.MENTOR)
    return {"mentor": mentor.id}


def students_and_admins(own: int, other: int) -> dict[str, int | str]:
    return {"anonymous": SIGN_IN, "student": own, "mentor": 403, "other_admin": other, "admin": own}


RULES = {
    # Another institution's admin sees their own (empty) directory, never ours.
    "directory.search_mentors": Rule("GET", "/mentors?q=python", students_and_admins(own=200, other=200)),
    "directory.show_mentor": Rule("GET", "/mentors/{mentor}", students_and_admins(own=200, other=404)),
}
