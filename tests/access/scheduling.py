"""Access rules of scheduling: mentors keep their own availability; a mentorship's sessions belong to its
pair (admins of the institution read them, never change them); the calendar feed's secret address is
its own credential, so it needs no sign-in."""

from datetime import date, time, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.mentorships import create_mentorship
from portal.models import EnrollmentRole, EnrollmentSource, ProgramStatus, Role, User, utcnow
from portal.programs import create_program, enroll, set_program_status
from portal.scheduling import add_date_off, add_window, propose_meeting
from portal.scheduling.feeds import reset_feed
from tests.access import SIGN_IN, Rule, everyone


def make_targets(institution):
    users = {user.role: user for user in db.session.scalars(
        select(User).where(User.institution_id == institution.id, User.role.in_([Role.MENTOR, Role.STUDENT])))}
    mentor, student = users[Role.MENTOR], users[Role.STUDENT]
    program = create_program(institution.id, {"name": "Career Pathways"})
    set_program_status(program, ProgramStatus.OPEN)
    enroll(program, mentor, EnrollmentRole.MENTOR, EnrollmentSource.ADMIN)
    enroll(program, student, EnrollmentRole.MENTEE, EnrollmentSource.ADMIN)
    mentorship = create_mentorship(program, mentor.id, [student.id], "admin_manual", None)
    window = add_window(institution.id, mentor.id, 2, time(9), time(11))
    date_off = add_date_off(institution.id, mentor.id, date.today() + timedelta(days=60), None, "", date.today())
    start = (utcnow() + timedelta(days=5)).replace(hour=15, minute=0, second=0, microsecond=0)
    meeting = propose_meeting(mentorship.id, mentor.id, start, 60, "video")
    token = reset_feed(institution.id, student.id)
    db.session.commit()
    return {"mentorship": mentorship.id, "meeting": meeting.id, "window": window.id, "date_off": date_off.id,
            "token": token}


def mentors(status: int) -> dict:
    return {"anonymous": SIGN_IN, "student": 403, "mentor": status, "other_admin": 403, "admin": 403}


def pair_and_admin(pair: int, admin: int) -> dict:
    """The pair (student and mentor), their institution's admin, and another institution's admin (404)."""
    return {"anonymous": SIGN_IN, "student": pair, "mentor": pair, "other_admin": 404, "admin": admin}


def participants(status: int) -> dict:
    return {"anonymous": SIGN_IN, "student": status, "mentor": status, "other_admin": 403, "admin": 403}


RULES = {
    "availability.edit_availability": Rule("GET", "/availability", mentors(200)),
    "availability.add_availability_window": Rule("POST", "/availability/windows", mentors(302),
                                               htmx_expect={"mentor": 200},
                                               data={"weekday": "1", "starts_at": "17:00", "ends_at": "19:00"}),
    # The plain request (made first) removes it, so the htmx one finds nothing.
    "availability.remove_availability_window": Rule("POST", "/availability/windows/{window}/remove", mentors(302),
                                                  htmx_expect={"mentor": 404}),
    "availability.add_availability_date_off": Rule("POST", "/availability/dates-off", mentors(302),
                                                 htmx_expect={"mentor": 200},
                                                 data={"starts_on": (date.today() + timedelta(days=30)).isoformat()}),
    "availability.remove_availability_date_off": Rule("POST", "/availability/dates-off/{date_off}/remove",
                                                    mentors(302), htmx_expect={"mentor": 404}),
    "scheduling.list_sessions": Rule("GET", "/mentorships/{mentorship}/sessions", pair_and_admin(200, 200)),
    # No slot chosen: the form says so.
    "scheduling.book_session": Rule("POST", "/mentorships/{mentorship}/sessions/book", pair_and_admin(200, 403)),
    "scheduling.propose_session": Rule("GET", "/mentorships/{mentorship}/sessions/propose",
                                       pair_and_admin(200, 403)),
    "scheduling.show_session": Rule("GET", "/sessions/{meeting}", pair_and_admin(200, 200)),
    "scheduling.download_ics": Rule("GET", "/sessions/{meeting}.ics", pair_and_admin(200, 200)),
    "scheduling.reschedule_session": Rule("GET", "/sessions/{meeting}/change", pair_and_admin(200, 403)),
    # The student confirms the mentor's proposal; the mentor's own confirm is refused with a message.
    "scheduling.confirm_session": Rule("POST", "/sessions/{meeting}/confirm", pair_and_admin(302, 403)),
    "scheduling.decline_session": Rule("POST", "/sessions/{meeting}/decline", pair_and_admin(302, 403)),
    # The student's "cancel" of the mentor's proposal declines it (no reason needed); then it is cancelled
    # already, which the page says.
    "scheduling.cancel_session": Rule("POST", "/sessions/{meeting}/cancel",
                                      {**pair_and_admin(200, 403), "student": 302}, htmx_expect={"student": 200}),
    "scheduling.show_calendar_feed": Rule("GET", "/account/calendar", participants(200)),
    "scheduling.reset_calendar_feed": Rule("POST", "/account/calendar/reset", participants(302)),
    # Reachable without signing in: the secret in the address is the credential.
    "scheduling.calendar_feed": Rule("GET", "/calendar/{token}.ics", everyone(200)),
}
