"""Demo mentorships: a few pairs already at work in the open program, so dashboards show data.

Priya (the demo mentor) and Jordan (the demo student) are left unmatched on purpose: the
matching walk-through pairs them.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.mentorships import create_mentorship
from portal.models import Institution, Mentorship, MentorshipOrigin, Program, ProgramStatus, Role, User, utcnow

# (mentee email local part, mentor email local part, how they met, weeks ago)
PAIRS = [
    ("lucas.ferreira", "elena.novak", MentorshipOrigin.REQUEST, 6),
    ("mia.johansson", "daniel.kim", MentorshipOrigin.REQUEST, 4),
    ("ethan.brooks", "aisha.bello", MentorshipOrigin.ADMIN_MANUAL, 3),
]


def seed_matching(institution: Institution) -> int:
    """Create the demo mentorships in the institution's open program; return how many (none if done before)."""
    program = db.session.scalar(select(Program).where(Program.institution_id == institution.id,
                                                      Program.status == ProgramStatus.OPEN).order_by(Program.id))
    if program is None or db.session.scalar(select(Mentorship.id).where(Mentorship.program_id == program.id)
                                            .limit(1)) is not None:
        return 0
    admin = db.session.scalar(select(User).where(User.institution_id == institution.id, User.role == Role.ADMIN))
    people = {user.email.split("@")[0]: user for user in db.session.scalars(
        select(User).where(User.institution_id == institution.id, User.role.in_([Role.MENTOR, Role.STUDENT])))}
    made = 0
    for mentee, mentor, origin, weeks in PAIRS:
        if mentee not in people or mentor not in people:
            continue
        note = "Requested by the student" if origin == MentorshipOrigin.REQUEST else "Paired by the program team"
        mentorship = create_mentorship(program, people[mentor].id, [people[mentee].id], origin,
                                       admin.id if admin and origin != MentorshipOrigin.REQUEST else None, note=note)
        started = utcnow() - timedelta(weeks=weeks)
        mentorship.started_at = mentorship.created_at = started
        for event in mentorship.events:
            event.created_at = started
        made += 1
    db.session.flush()
    return made
