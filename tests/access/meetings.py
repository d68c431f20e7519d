"""Access rules after a session: the pair changes outcome, notes, action items and their own rating;
admins of the institution read; anyone else, and any other institution, gets 404.

Also the helpers tests of meetings and feedback share: a mentorship of the `people` fixture's
mentor and student, and sessions in it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.mentorships import create_mentorship
from portal.models import (
    ActionItem, EnrollmentRole, EnrollmentSource, Meeting, MeetingStatus, MentorshipStatus, ProgramStatus, User,
    utcnow,
)
from portal.programs import create_program, enroll, set_program_status
from tests.access import SIGN_IN, Rule


def make_pair(institution, status: str = "active", program_name: str = "Career Pathways") -> int:
    """Make a mentorship of the institution's mentor and student (the `people` fixture's); return its id."""
    program = create_program(institution.id, {"name": program_name})
    set_program_status(program, ProgramStatus.OPEN)
    mentor = db.session.scalar(select(User).where(User.institution_id == institution.id, User.role == "mentor")
                               .order_by(User.id))
    student = db.session.scalar(select(User).where(User.institution_id == institution.id, User.role == "student")
                                .order_by(User.id))
    enroll(program, mentor, EnrollmentRole.MENTOR, EnrollmentSource.ADMIN)
    enroll(program, student, EnrollmentRole.MENTEE, EnrollmentSource.ADMIN)
    mentorship = create_mentorship(program, mentor.id, [student.id], "admin_manual", None)
    if status != "active":
        mentorship.status = MentorshipStatus(status)
        mentorship.ended_at = utcnow()
    db.session.commit()
    return mentorship.id


def make_meeting(mentorship_id: int, status: str = "confirmed", starts_at: datetime | None = None,
                 minutes: int = 60, **fields) -> int:
    """Add a session to the mentorship (by default confirmed, started two hours ago); return its id."""
    from portal.models import Mentorship

    mentorship = db.session.get(Mentorship, mentorship_id)
    mentor_id = next(p.user_id for p in mentorship.participants if p.role.value == "mentor")
    starts_at = starts_at or utcnow().replace(microsecond=0) - timedelta(hours=2)
    meeting = Meeting(institution_id=mentorship.institution_id, mentorship_id=mentorship_id, mentor_id=mentor_id,
                      starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes),
                      status=MeetingStatus(status), uid=f"{uuid.uuid4()}@test.portal",
                      confirmed_at=starts_at - timedelta(days=2) if status != "proposed" else None, **fields)
    db.session.add(meeting)
    db.session.commit()
    return meeting.id


def make_targets(institution):
    mentorship = make_pair(institution)
    started = make_meeting(mentorship)
    held = make_meeting(mentorship, "completed", utcnow() - timedelta(days=3))
    item = ActionItem(institution_id=institution.id, mentorship_id=mentorship, meeting_id=held,
                      owner_id=None, title="Send the updated CV")
    db.session.add(item)
    db.session.commit()
    return {"started": started, "held": held, "item": item.id}


def participants(own: int) -> dict[str, int | str]:
    """The pair gets `own`; an admin of the institution may only read (403); others 404."""
    return {"anonymous": SIGN_IN, "student": own, "mentor": own, "other_admin": 404, "admin": 403}


RULES = {
    # The student marks the session first; the mentor's later click is told it is already marked.
    "meetings.complete_session": Rule("POST", "/sessions/{started}/complete", participants(302),
                                      htmx_expect={"student": 200, "mentor": 200}, data={"outcome": "completed"}),
    "meetings.save_notes": Rule("POST", "/sessions/{held}/notes", participants(302),
                                htmx_expect={"student": 200, "mentor": 200}, data={"notes": "We talked about CVs."}),
    "meetings.add_action_item": Rule("POST", "/sessions/{held}/action-items", participants(302),
                                     htmx_expect={"student": 200, "mentor": 200},
                                     data={"title": "Book a mock interview"}),
    "meetings.toggle_action_item": Rule("POST", "/action-items/{item}/toggle", participants(302),
                                        htmx_expect={"student": 200, "mentor": 200}),
    "meetings.give_feedback": Rule("GET", "/sessions/{held}/feedback", {
        "anonymous": SIGN_IN, "student": 200, "mentor": 200, "other_admin": 404, "admin": 200}),
}
