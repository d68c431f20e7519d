"""Access rules of engagement: admins of the institution only; another institution's program is 404.

The thank-you page lists only mentors, but mentors and students still get 403: outside their own
mentorships they see nothing else (DESIGN.md), and the admin shares the printed page.
"""

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Enrollment, EnrollmentRole, Mentorship, MentorshipOrigin, MentorshipParticipant, ParticipantRole, Program,
    ProgramStatus, Role, User, utcnow,
)
from tests.access import Rule, admins


def make_targets(institution):
    mentor = db.session.scalar(select(User).where(User.institution_id == institution.id, User.role == Role.MENTOR))
    student = db.session.scalar(select(User).where(User.institution_id == institution.id, User.role == Role.STUDENT))
    program = Program(institution_id=institution.id, name="Career Pathways", status=ProgramStatus.OPEN)
    db.session.add(program)
    db.session.flush()
    db.session.add_all([Enrollment(institution_id=institution.id, program_id=program.id, user_id=mentor.id,
                                   role=EnrollmentRole.MENTOR),
                        Enrollment(institution_id=institution.id, program_id=program.id, user_id=student.id,
                                   role=EnrollmentRole.MENTEE)])
    # A pair that never met in 40 days: at risk, so the nudge has something to act on.
    mentorship = Mentorship(institution_id=institution.id, program_id=program.id, origin=MentorshipOrigin.ADMIN_MANUAL,
                            started_at=utcnow() - timedelta(days=40), participants=[
                                MentorshipParticipant(institution_id=institution.id, user_id=mentor.id,
                                                      role=ParticipantRole.MENTOR),
                                MentorshipParticipant(institution_id=institution.id, user_id=student.id,
                                                      role=ParticipantRole.MENTEE)])
    db.session.add(mentorship)
    db.session.commit()
    return {"program": program.id, "mentorship": mentorship.id}


RULES = {
    # With the program filter, another institution's program is not found.
    "engagement.list_at_risk": Rule("GET", "/reports/at-risk?program={program}", admins(own=200, other=404)),
    # No pair chosen: the admin is told to choose (redirect, or the region for htmx); nothing is nudged.
    "engagement.nudge_pairs": Rule("POST", "/reports/at-risk/nudge", admins(own=302, other=302),
                                   htmx_expect={"admin": 200, "other_admin": 200}),
    "engagement.show_fairness": Rule("GET", "/reports/fairness?program={program}", admins(own=200, other=404)),
    "engagement.show_unanswered": Rule("GET", "/reports/unanswered-requests?program={program}",
                                       admins(own=200, other=404)),
    "engagement.thank_you": Rule("GET", "/programs/{program}/thank-you", admins(own=200, other=404)),
}
