"""Access rules of mentor requests: the student who asked and the mentor who was asked see a request;
only the mentor answers it, only the student withdraws it; admins of the institution may read it;
another institution finds nothing."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import EnrollmentSource, ProgramStatus, Role, User
from portal.programs import create_program, enroll_many, set_program_status
from portal.requests import request_mentor
from portal.tenancy import tenant_scope
from tests.access import SIGN_IN, Rule

MESSAGE = "I'd like to learn how you moved into engineering management and prepare for interviews."


def make_targets(institution):
    with tenant_scope(institution.id):
        program = create_program(institution.id, {"name": "Career Pathways"})
        set_program_status(program, ProgramStatus.OPEN)
        participants = list(db.session.scalars(select(User).where(User.role.in_([Role.MENTOR, Role.STUDENT]))))
        enroll_many(program, participants, EnrollmentSource.ADMIN)
        mentor = next(user for user in participants if user.role == Role.MENTOR)
        student = next(user for user in participants if user.role == Role.STUDENT)
        record = request_mentor(student.id, mentor.id, program.id, MESSAGE)
        db.session.commit()
        return {"mentor": mentor.id, "request": record.id, "program": program.id}


def only(role: str, own: int, others: int = 403) -> dict[str, int | str]:
    expect = {"anonymous": SIGN_IN, "student": others, "mentor": others, "other_admin": others, "admin": others}
    expect[role] = own
    return expect


REQUEST = "/requests/{request}"

RULES = {
    "requests.list_my_requests": Rule("GET", "/requests", only("student", 200)),
    "requests.show_inbox": Rule("GET", "/requests/inbox", only("mentor", 200)),
    # The student asked already, so the form explains that instead of offering a second request.
    "requests.new_request": Rule("GET", "/mentors/{mentor}/request", only("student", 200)),
    # Its two people and the institution's admins read it; another institution's admin finds nothing.
    "requests.show_request": Rule("GET", REQUEST, {"anonymous": SIGN_IN, "student": 200, "mentor": 200,
                                                   "other_admin": 404, "admin": 200}),
    # The plain post accepts and goes back to the inbox; the htmx one that follows finds it answered (409).
    "requests.accept_request": Rule("POST", REQUEST + "/accept", only("mentor", 302), htmx_expect={"mentor": 409}),
    "requests.decline_request": Rule("POST", REQUEST + "/decline", only("mentor", 302), htmx_expect={"mentor": 409},
                                     data={"reason": "too_busy"}),
    # Withdrawing answers with the student's requests page, whether or not it was still waiting.
    "requests.withdraw_request": Rule("POST", REQUEST + "/withdraw", only("student", 302)),
}
