"""Demo mentor requests: two waiting in Priya's inbox, the requests behind the demo's student-requested
mentorships (accepted), a declined one and an expired one, so inboxes, "My requests" and answer times
have something to show.

Priya (the demo mentor) and Jordan (the demo student) stay unmatched, and Priya keeps a free place,
so the walk-through can have Jordan ask Priya and Priya accept.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    DeclineReason, Institution, MentorRequest, Mentorship, MentorshipOrigin, MentorshipParticipant, ParticipantRole,
    Program, ProgramStatus, RequestStatus, Role, User, utcnow,
)
from portal.notifications import notify
from portal.requests import request_path

WAITING = [
    ("amara.nwosu", "priya.raman", 2,
     "I'm an economics senior set on product management, but I keep hearing that PMs at fintech companies need a "
     "technical grounding. You moved from engineering into management: could you help me work out which technical "
     "skills matter for a PM, and practise the system-design questions product interviews now include?"),
    ("noah.williams", "priya.raman", 0.3,
     "I'm finishing civil engineering but have spent the last year teaching myself Python, and I'd like to switch "
     "into software after graduating. My goal is a junior backend role by next autumn. I'd love to learn how you "
     "would plan that switch, and how to prepare for technical interviews without a CS degree."),
]
# (mentee, mentor, status, days ago, hours to answer, reason, the mentor's note, the student's message)
ANSWERED = [
    ("samuel.osei", "kwame.mensah", RequestStatus.DECLINED, 12, 20, DeclineReason.TOO_BUSY,
     "I'm in the middle of a fundraising round and couldn't give you the time you deserve. Elena Novak did her "
     "graduate degree recently and is great on PhD decisions; do ask her.",
     "I'm weighing a PhD in molecular biology against an industry research job. I'd like to understand how you "
     "decided, and what the move from the lab to founding a company looked like."),
    ("chloe.dubois", "hannah.schultz", RequestStatus.EXPIRED, 20, None, None, "",
     "I'm a first-year communications student who loves brand strategy. I'd like to learn what a brand director's "
     "week looks like and which internships would set me on that path."),
]


def _origin_requests(program: Program, people: dict[str, User]) -> list[MentorRequest]:
    """Return the accepted requests behind the demo mentorships that students asked for."""
    made = []
    answer_hours = [9, 40, 3]
    mentorships = db.session.scalars(select(Mentorship).where(
        Mentorship.program_id == program.id, Mentorship.origin == MentorshipOrigin.REQUEST).order_by(Mentorship.id))
    for index, mentorship in enumerate(mentorships):
        roles = {p.role: p.user_id for p in db.session.scalars(
            select(MentorshipParticipant).where(MentorshipParticipant.mentorship_id == mentorship.id))}
        mentee = next((user for user in people.values() if user.id == roles.get(ParticipantRole.MENTEE)), None)
        mentor = next((user for user in people.values() if user.id == roles.get(ParticipantRole.MENTOR)), None)
        if mentee is None or mentor is None:
            continue
        answered = mentorship.started_at
        asked = answered - timedelta(hours=answer_hours[index % len(answer_hours)])
        interests = ", ".join((mentee.profile.career_interests or ["my career"])[:2]).lower()
        made.append(MentorRequest(
            institution_id=program.institution_id, program_id=program.id, mentee_id=mentee.id, mentor_id=mentor.id,
            message=(f"I'm a {mentee.profile.major or 'final-year'} student interested in {interests}. Your path "
                     f"as {mentor.profile.job_title} is exactly what I'd like to learn about, and I'd value help "
                     "setting goals for this year."),
            status=RequestStatus.ACCEPTED, created_at=asked, updated_at=answered,
            expires_at=asked + timedelta(days=program.request_expiry_days), answered_at=answered, closed_at=answered,
            response_message=f"Happy to, {mentee.first_name}! Let's set up a first call this week.",
            mentorship_id=mentorship.id))
    return made


def seed(institution: Institution) -> int:
    """Create the demo requests in the institution's open program; return how many (none if done before)."""
    program = db.session.scalar(select(Program).where(Program.institution_id == institution.id,
                                                      Program.status == ProgramStatus.OPEN).order_by(Program.id))
    if program is None or db.session.scalar(select(MentorRequest.id).where(MentorRequest.program_id == program.id)
                                            .limit(1)) is not None:
        return 0
    people = {user.email.split("@")[0]: user for user in db.session.scalars(
        select(User).where(User.institution_id == institution.id, User.role.in_([Role.MENTOR, Role.STUDENT])))}
    now = utcnow()
    made = _origin_requests(program, people)
    for mentee, mentor, status, days, hours, reason, note, message in ANSWERED:
        if mentee not in people or mentor not in people:
            continue
        asked = now - timedelta(days=days)
        answered = asked + timedelta(hours=hours) if hours is not None else None
        expires = asked + timedelta(days=program.request_expiry_days)
        made.append(MentorRequest(
            institution_id=institution.id, program_id=program.id, mentee_id=people[mentee].id,
            mentor_id=people[mentor].id, message=message, status=status, created_at=asked,
            updated_at=answered or expires, expires_at=expires, answered_at=answered,
            closed_at=answered or expires, decline_reason=reason, response_message=note))
    waiting = []
    for mentee, mentor, days, message in WAITING:
        if mentee not in people or mentor not in people:
            continue
        asked = now - timedelta(days=days)
        record = MentorRequest(
            institution_id=institution.id, program_id=program.id, mentee_id=people[mentee].id,
            mentor_id=people[mentor].id, message=message, status=RequestStatus.PENDING, created_at=asked,
            updated_at=asked, expires_at=asked + timedelta(days=program.request_expiry_days))
        made.append(record)
        waiting.append(record)
    db.session.add_all(made)
    db.session.flush()
    for record in waiting:
        student = db.session.get(User, record.mentee_id)
        notify(record.mentor_id, "request_received", f"{student.name} asked you to be their mentor",
               f"{student.name} would like you to mentor them in {program.name}. Accept or decline in your requests.",
               request_path(record.id), institution_id=institution.id, email=False)
    return len(made)
