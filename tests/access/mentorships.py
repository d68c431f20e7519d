"""Access rules of mentorships over their life: admins list and pair by hand in their own institution;
a mentorship's participants and its institution's admins end it and read its history; anyone else
finds nothing (404)."""

from sqlalchemy import select

from portal.extensions import db
from portal.mentorships import create_mentorship
from portal.models import EnrollmentRole, EnrollmentSource, Institution, ProgramStatus, Role, User
from portal.programs import create_program, enroll, set_program_status
from tests.access import SIGN_IN, Rule, admins
from tests.factories import Ref, make_user


def make_targets(institution):
    program = create_program(institution.id, {"name": "Career Pathways"})
    set_program_status(program, ProgramStatus.OPEN)
    mentor = db.session.scalar(select(User).where(User.institution_id == institution.id, User.role == Role.MENTOR))
    tenant = db.session.get(Institution, institution.id)
    mentee_ref = make_user(Ref(id=tenant.id, slug=tenant.slug), "student", "Sam", "Ortiz")
    enroll(program, mentor, EnrollmentRole.MENTOR, EnrollmentSource.ADMIN)
    enroll(program, db.session.get(User, mentee_ref.id), EnrollmentRole.MENTEE, EnrollmentSource.ADMIN)
    # The signed-in mentor takes part; the signed-in student does not.
    mentorship = create_mentorship(program, mentor.id, [mentee_ref.id], "admin_manual", None)
    db.session.commit()
    return {"mentorship": mentorship.id}


def participant_mentor_and_admins(own: int) -> dict[str, int | str]:
    return {"anonymous": SIGN_IN, "student": 404, "mentor": own, "other_admin": 404, "admin": own}


RULES = {
    # Another institution's admin sees their own (empty) lists, never ours.
    "mentorships.list_mentorships": Rule("GET", "/admin/mentorships?status=active&age=7",
                                         admins(own=200, other=200)),
    "mentorships.list_requests": Rule("GET", "/admin/requests?status=pending", admins(own=200, other=200)),
    "mentorships.new_mentorship": Rule("GET", "/admin/mentorships/new", admins(own=200, other=200)),
    "mentorships.show_history": Rule("GET", "/mentorships/{mentorship}/history", participant_mentor_and_admins(200)),
    # The mentor ends it first; later posts (the admin's) find it ended and go to its history.
    "mentorships.end_mentorship": Rule("POST", "/mentorships/{mentorship}/end", participant_mentor_and_admins(302),
                                       data={"outcome": "completed"}),
}
