"""Access rules of messages: the pair reads and writes their thread; admins of the institution read it;
anyone else, and any other institution, gets 404. The conversation list is the participants' own.

Also the helper the messages and notes tests share: a mentorship of the `people` fixture's mentor
and student.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.mentorships import create_mentorship
from portal.messaging.threads import send_message
from portal.models import EnrollmentRole, EnrollmentSource, MentorshipStatus, ProgramStatus, User, utcnow
from portal.programs import create_program, enroll, set_program_status
from tests.access import SIGN_IN, Rule


def make_pair(institution_id: int, mentor_id: int | None = None, mentee_ids: list[int] | None = None,
              status: str = "active", program_name: str = "Career Pathways") -> int:
    """Make a mentorship (by default of the institution's first mentor and first student); return its id."""
    program = create_program(institution_id, {"name": program_name})
    set_program_status(program, ProgramStatus.OPEN)
    first = {role: db.session.scalar(select(User.id).where(User.institution_id == institution_id, User.role == role)
                                     .order_by(User.id)) for role in ("mentor", "student")}
    mentor_id = mentor_id or first["mentor"]
    mentee_ids = mentee_ids or [first["student"]]
    for user_id, role in [(mentor_id, EnrollmentRole.MENTOR)] + [(m, EnrollmentRole.MENTEE) for m in mentee_ids]:
        enroll(program, db.session.get(User, user_id), role, EnrollmentSource.ADMIN)
    mentorship = create_mentorship(program, mentor_id, mentee_ids, "admin_manual", None)
    if status != "active":
        mentorship.status = MentorshipStatus(status)
        mentorship.ended_at = utcnow()
    db.session.commit()
    return mentorship.id


def make_targets(institution):
    mentorship_id = make_pair(institution.id)
    mentor_id = db.session.scalar(select(User.id).where(User.institution_id == institution.id,
                                                        User.role == "mentor").order_by(User.id))
    send_message(mentorship_id, mentor_id, "Welcome! When suits you for a first call?")
    db.session.commit()
    return {"mentorship": mentorship_id}


PAIR_READS = {"anonymous": SIGN_IN, "student": 200, "mentor": 200, "other_admin": 404, "admin": 200}
PAIR_WRITES = {"anonymous": SIGN_IN, "student": 302, "mentor": 302, "other_admin": 404, "admin": 403}

RULES = {
    "messages.list_conversations": Rule("GET", "/messages", {
        "anonymous": SIGN_IN, "student": 200, "mentor": 200, "other_admin": 403, "admin": 403}),
    "messages.show_thread": Rule("GET", "/mentorships/{mentorship}/messages", PAIR_READS),
    "messages.send_message": Rule("POST", "/mentorships/{mentorship}/messages", PAIR_WRITES,
                                  htmx_expect={"student": 200, "mentor": 200}, data={"body": "Thanks, Tuesday works."}),
    "messages.poll_messages": Rule("GET", "/mentorships/{mentorship}/messages/new?after=0", PAIR_READS),
}
