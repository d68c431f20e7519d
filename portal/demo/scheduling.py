"""Demo scheduling: mentors' weekly availability (Priya's too), and for every demo mentorship a few
held sessions over the last eight weeks and one confirmed session ahead, in the mentor's own hours."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AvailabilityWindow, DateOff, Institution, Meeting, MeetingMode, MeetingStatus, Mentorship,
    MentorshipParticipant, MentorshipStatus, ParticipantRole, Role, User, UserStatus, utcnow,
)
from portal.scheduling.slots import busy_times, local_to_utc, open_slots, overlaps, zone_of

# Mentors keep the timezone of where they live, so the demo shows times converted for students.
ZONES = {"San Francisco": "America/Los_Angeles", "Menlo Park": "America/Los_Angeles",
         "Seattle": "America/Los_Angeles", "Chicago": "America/Chicago", "Rochester, MN": "America/Chicago"}

# Weekly windows (weekday, from, until) in the mentor's own time; Priya's first.
PATTERNS = [
    [(1, "17:00", "19:00"), (3, "17:00", "19:00"), (5, "10:00", "12:00")],
    [(0, "12:00", "13:30"), (2, "18:00", "20:00")],
    [(1, "08:00", "09:30"), (4, "16:00", "18:00")],
    [(2, "12:00", "14:00"), (3, "19:00", "20:30")],
]

AGENDAS = [
    "Getting to know each other; what you want from this mentorship; first goals.",
    "CV review: bring the latest version and one job ad you like.",
    "Mock interview (behavioural questions), then feedback.",
    "Goal check-in; informational interviews: whom to ask and how.",
    "Career paths after graduation: industry now, or a master's first?",
]
UPCOMING_AGENDA = "Review of the goals; next steps for applications; questions about the industry."


def _clock(value: str) -> time:
    return time.fromisoformat(value)


def _set_zone(mentor: User) -> None:
    location = mentor.profile.location if mentor.profile else ""
    for place, zone in ZONES.items():
        if location.startswith(place):
            mentor.timezone = zone


def _seed_availability(institution: Institution, mentors: list[User]) -> None:
    today = utcnow().date()
    for index, mentor in enumerate(mentors):
        _set_zone(mentor)
        for weekday, start, end in PATTERNS[index % len(PATTERNS)]:
            db.session.add(AvailabilityWindow(institution_id=institution.id, mentor_id=mentor.id, weekday=weekday,
                                              starts_at=_clock(start), ends_at=_clock(end)))
        if index % 3 == 0:
            first = today + timedelta(days=16 + index)
            db.session.add(DateOff(institution_id=institution.id, mentor_id=mentor.id, starts_on=first,
                                   ends_on=first + timedelta(days=2), note="Travelling for work"))
    db.session.flush()


def _meeting(mentorship: Mentorship, mentor: User, mentee: User, starts_at, status: MeetingStatus, agenda: str,
             minutes: int = 45) -> Meeting:
    return Meeting(institution_id=mentorship.institution_id, mentorship_id=mentorship.id, mentor_id=mentor.id,
                   proposed_by_id=mentee.id, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes),
                   mode=MeetingMode.VIDEO, location=f"https://meet.example.com/{mentor.first_name.lower()}-"
                   f"{mentee.first_name.lower()}", agenda=agenda, status=status, status_reason="", notes="",
                   uid=f"{uuid.uuid4()}@mentor-portal", sequence=0, confirmed_at=starts_at - timedelta(days=5),
                   created_at=starts_at - timedelta(days=6), updated_at=starts_at - timedelta(days=5))


def _held_days(mentorship: Mentorship, today: date) -> list[date]:
    """Up to four days spread from the mentorship's first week (within the last eight weeks) to a few days ago."""
    first = max(mentorship.started_at.date() + timedelta(days=4), today - timedelta(weeks=8))
    last = today - timedelta(days=3)
    if first > last:
        return []
    step = max(7, (last - first).days // 3)  # weekly at first; further apart when there is more time to cover
    return [first + timedelta(days=step * index) for index in range(4) if first + timedelta(days=step * index) <= last]


def _seed_sessions(mentorship: Mentorship, mentor: User, mentee: User) -> None:
    zone, today = zone_of(mentor.timezone), utcnow().date()
    for index, day in enumerate(_held_days(mentorship, today)):
        starts_at = local_to_utc(day, time(17, 30), zone)
        if starts_at is None or starts_at < mentorship.started_at:
            continue
        db.session.add(_meeting(mentorship, mentor, mentee, starts_at, MeetingStatus.COMPLETED,
                                AGENDAS[index % len(AGENDAS)]))
    if mentorship.status != MentorshipStatus.ACTIVE:
        return
    db.session.flush()
    # The next session: an open slot of the mentor's own availability, at least two days ahead.
    soon = [slot for slot in open_slots(mentor.id, 45) if slot >= utcnow() + timedelta(days=2)]
    for slot in soon:
        if not overlaps(slot, slot + timedelta(minutes=45), busy_times(mentor.id, slot, slot + timedelta(minutes=45))):
            db.session.add(_meeting(mentorship, mentor, mentee, slot, MeetingStatus.CONFIRMED, UPCOMING_AGENDA))
            db.session.flush()
            return


def seed(institution: Institution) -> int:
    """Seed availability and sessions; return how many sessions (none if done before)."""
    if db.session.scalar(select(Meeting.id).where(Meeting.institution_id == institution.id).limit(1)) is not None:
        return 0
    mentors = list(db.session.scalars(select(User).where(
        User.institution_id == institution.id, User.role == Role.MENTOR, User.status == UserStatus.ACTIVE)
        .order_by(User.id)))
    _seed_availability(institution, mentors)
    mentorships = db.session.scalars(select(Mentorship).where(Mentorship.institution_id == institution.id)
                                     .order_by(Mentorship.id))
    for mentorship in mentorships:
        people = {participant.role: participant.user_id for participant in db.session.scalars(
            select(MentorshipParticipant).where(MentorshipParticipant.mentorship_id == mentorship.id))}
        if ParticipantRole.MENTOR not in people or ParticipantRole.MENTEE not in people:
            continue
        _seed_sessions(mentorship, db.session.get(User, people[ParticipantRole.MENTOR]),
                       db.session.get(User, people[ParticipantRole.MENTEE]))
    db.session.flush()
    return db.session.query(Meeting).filter(Meeting.institution_id == institution.id).count()
