"""A small institution whose report figures were worked out by hand (see tests/test_reports_metrics.py),
and the fixture that writes it.

Everything is placed relative to `now`, so the same world serves the figure tests (a fixed `now`)
and the page tests (the real time). Rows are inserted directly: the reports read tables that
other features write.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from portal.extensions import db
from portal.models import (
    ClosingSurvey, Enrollment, EnrollmentRole, EnrollmentStatus, Goal, GoalStatus, Institution, Meeting,
    MeetingStatus, Mentorship, MentorshipOrigin, MentorshipParticipant, MentorshipStatus, Message,
    ParticipantRole, Profile, Program, ProgramStatus, SessionFeedback, User, utcnow,
)
from portal.tenancy import unscoped
from tests.factories import Ref, make_user

STUDENT_PROFILE = dict(career_interests=["Software"], skills=["Python"])
MENTOR_PROFILE = dict(skills=["Python"], mentoring_topics=["Careers"], industry="Technology",
                      job_title="Engineer", employer="Contoso", capacity=2)


@dataclass
class World:
    now: datetime
    institution_id: int
    career: int = 0  # program ids
    women: int = 0
    other_program: int = 0
    people: dict[str, Ref] = field(default_factory=dict)
    pairs: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def report_world(app, institution, other_institution) -> World:
    """The hand-worked world placed around the real time, for the page, export and browser tests."""
    with app.app_context():
        return build_world(institution, other_institution, utcnow())


def _days(now: datetime, days: float) -> datetime:
    return now + timedelta(days=days)


def build_world(institution: Ref, other_institution: Ref, now: datetime) -> World:
    """Write the hand-worked world; return its ids."""
    with unscoped():
        world = World(now=now, institution_id=institution.id)
        today = now.date()
        career = Program(institution_id=institution.id, name="Career Launch", status=ProgramStatus.OPEN,
                         session_cadence_days=14, key_result_target=10, key_result_unit="final-year students guided",
                         key_result_deadline=today + timedelta(days=30), starts_on=today - timedelta(days=60),
                         objective="Guide 10 final-year students in career choice")
        women = Program(institution_id=institution.id, name="Women in Tech", status=ProgramStatus.OPEN,
                        session_cadence_days=30)
        db.session.add_all([career, women])
        db.session.flush()
        world.career, world.women = career.id, women.id

        def person(key, role, first, last, program, *, joined=-100, profile=None, signed_in=True,
                   status="active", invited=False, enrollment_status=EnrollmentStatus.ACTIVE):
            ref = make_user(institution, role, first, last, status=status)
            user = db.session.get(User, ref.id)
            user.last_login_at = _days(now, -1) if signed_in else None
            user.invited_at = _days(now, -90) if invited else None
            profile_row = db.session.query(Profile).filter_by(user_id=ref.id).one()
            for name, value in (profile or {}).items():
                setattr(profile_row, name, value)
            if program is not None:
                db.session.add(Enrollment(
                    institution_id=institution.id, program_id=program.id, user_id=ref.id,
                    role=EnrollmentRole.MENTOR if role == "mentor" else EnrollmentRole.MENTEE,
                    status=enrollment_status, joined_at=_days(now, joined)))
            db.session.commit()
            world.people[key] = ref
            return ref

        person("m1", "mentor", "Maya", "Okafor", career, profile=MENTOR_PROFILE)
        person("m2", "mentor", "Noah", "Brandt", career, profile={**MENTOR_PROFILE, "capacity": None})  # incomplete
        person("m3", "mentor", "Iris", "Chen", women, profile=MENTOR_PROFILE)
        person("s1", "student", "Ava", "Stone", career, joined=-50,
               profile={**STUDENT_PROFILE, "graduation_year": 2026, "major": "Computer Science"})
        person("s2", "student", "Ben", "Ruiz", career, joined=-50,
               profile={**STUDENT_PROFILE, "graduation_year": 2026, "major": " computer science "})
        person("s3", "student", "Cleo", "Park", career, joined=-74,
               profile={**STUDENT_PROFILE, "graduation_year": 2027, "major": "Economics"})
        person("s4", "student", "Dev", "Shah", career, joined=-32,  # no skills: an incomplete profile
               profile={"career_interests": ["Finance"], "graduation_year": 2026, "major": "Economics"})
        person("s5", "student", "Eli", "Moss", career, status="invited", invited=True, signed_in=False,
               profile={"graduation_year": 2027, "major": "History"})
        person("s6", "student", "Fay", "Lund", women, joined=-61,
               profile={**STUDENT_PROFILE, "graduation_year": 2026, "major": "Computer Science"})
        person("s7", "student", "Gus", "Hale", career, status="invited", signed_in=False)  # not invited yet
        person("s8", "student", "Hal", "Iver", career, enrollment_status=EnrollmentStatus.LEFT,
               profile={**STUDENT_PROFILE, "graduation_year": 2026, "major": "Computer Science"})

        p = world.people
        pair_specs = {  # key: (program, mentor, mentee, status, started, ended)
            "A": (career, "m1", "s1", MentorshipStatus.ACTIVE, -40, None),
            "B": (career, "m1", "s2", MentorshipStatus.ACTIVE, -20, None),
            "C": (career, "m2", "s3", MentorshipStatus.COMPLETED, -70, -10),
            "D": (career, "m2", "s4", MentorshipStatus.ENDED_EARLY, -30, -25),
            "E": (women, "m3", "s6", MentorshipStatus.ACTIVE, -60, None),
        }
        for key, (program, mentor, mentee, status, started, ended) in pair_specs.items():
            world.pairs[key] = _pair(institution.id, program.id, p[mentor].id, p[mentee].id, status,
                                     _days(now, started), _days(now, ended) if ended is not None else None)

        sessions = [  # (pair, days from now, status, [(person, rating)])
            ("A", -35, MeetingStatus.COMPLETED, [("s1", 5), ("m1", 4)]),
            ("A", -28, MeetingStatus.COMPLETED, [("s1", 4)]),
            ("A", -21, MeetingStatus.COMPLETED, [("s1", 5), ("m1", 5)]),
            ("A", -14, MeetingStatus.CANCELLED, []),
            ("A", -7, MeetingStatus.COMPLETED, [("s1", 3)]),
            ("A", 3, MeetingStatus.CONFIRMED, []),
            ("B", -15, MeetingStatus.NO_SHOW, []),
            ("C", -60, MeetingStatus.COMPLETED, [("s3", 2), ("m2", 3)]),
            ("C", -45, MeetingStatus.COMPLETED, []),
            ("D", -27, MeetingStatus.COMPLETED, [("s4", 1)]),
            ("E", -50, MeetingStatus.COMPLETED, [("s6", 5)]),
            ("E", -20, MeetingStatus.COMPLETED, [("s6", 4), ("m3", 4)]),
        ]
        mentor_of = {key: p[spec[1]].id for key, spec in pair_specs.items()}
        for pair, day, status, ratings in sessions:
            meeting = _meeting(institution.id, world.pairs[pair], mentor_of[pair], _days(now, day), status)
            for who, rating in ratings:
                db.session.add(SessionFeedback(institution_id=institution.id, meeting_id=meeting.id,
                                               mentorship_id=meeting.mentorship_id, user_id=p[who].id, rating=rating, created_at=_days(now, day + 1)))
        for pair, who, score, day in (("C", "s3", 10, -10), ("C", "m2", 9, -10), ("D", "s4", 3, -25)):
            db.session.add(ClosingSurvey(institution_id=institution.id, mentorship_id=world.pairs[pair],
                                         user_id=p[who].id, recommend=score, created_at=_days(now, day)))
        for pair, title, status, progress in (
                ("A", "Land an internship", GoalStatus.ACHIEVED, 100), ("A", "Practise interviews", GoalStatus.IN_PROGRESS, 60),
                ("B", "Build a portfolio", GoalStatus.NOT_STARTED, 0),
                ("C", "Choose a major track", GoalStatus.ACHIEVED, 100), ("C", "Grow a network", GoalStatus.DROPPED, 30),
                ("E", "Learn SQL", GoalStatus.IN_PROGRESS, 40)):
            db.session.add(Goal(institution_id=institution.id, mentorship_id=world.pairs[pair], title=title,
                                status=status, progress=progress))
        for pair, who, day in (("A", "s1", -36), ("A", "m1", -36), ("A", "s1", -8), ("B", "s2", -16), ("E", "s6", -40)):
            db.session.add(Message(institution_id=institution.id, mentorship_id=world.pairs[pair],
                                   sender_id=p[who].id, body="Hello =1+1", created_at=_days(now, day)))
        db.session.commit()
        world.other_program = _other_institution(other_institution, now)
        return world


def _pair(institution_id, program_id, mentor_id, mentee_id, status, started, ended) -> int:
    pair = Mentorship(institution_id=institution_id, program_id=program_id, status=status,
                      origin=MentorshipOrigin.ADMIN_MATCH, started_at=started, ended_at=ended)
    db.session.add(pair)
    db.session.flush()
    db.session.add_all([
        MentorshipParticipant(institution_id=institution_id, mentorship_id=pair.id, user_id=mentor_id,
                              role=ParticipantRole.MENTOR),
        MentorshipParticipant(institution_id=institution_id, mentorship_id=pair.id, user_id=mentee_id,
                              role=ParticipantRole.MENTEE)])
    db.session.flush()
    return pair.id


def _meeting(institution_id, pair_id, mentor_id, starts, status) -> Meeting:
    meeting = Meeting(institution_id=institution_id, mentorship_id=pair_id, mentor_id=mentor_id, starts_at=starts,
                      ends_at=starts + timedelta(hours=1), status=status, uid=f"{uuid.uuid4()}@test")
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _other_institution(other: Ref, now: datetime) -> int:
    """Lakeshore: a busy program that must never show in Northbridge's figures."""
    institution = db.session.get(Institution, other.id)
    program = Program(institution_id=institution.id, name="Lakeshore Leaders", status=ProgramStatus.OPEN,
                      key_result_target=5, key_result_unit="students")
    db.session.add(program)
    db.session.flush()
    mentor = make_user(other, "mentor", "Lars", "Berg")
    student = make_user(other, "student", "Mia", "Holt")
    for ref, role in ((mentor, EnrollmentRole.MENTOR), (student, EnrollmentRole.MENTEE)):
        db.session.add(Enrollment(institution_id=institution.id, program_id=program.id, user_id=ref.id, role=role,
                                  joined_at=_days(now, -5)))
    pair = _pair(institution.id, program.id, mentor.id, student.id, MentorshipStatus.ACTIVE, _days(now, -5), None)
    meeting = _meeting(institution.id, pair, mentor.id, _days(now, -2), MeetingStatus.COMPLETED)
    db.session.add(SessionFeedback(institution_id=institution.id, meeting_id=meeting.id, mentorship_id=pair,
                                   user_id=student.id, rating=1))
    db.session.add(ClosingSurvey(institution_id=institution.id, mentorship_id=pair, user_id=student.id,
                                 recommend=0, created_at=_days(now, -1)))
    db.session.add(Goal(institution_id=institution.id, mentorship_id=pair, title="Lakeshore goal",
                        status=GoalStatus.ACHIEVED, progress=100))
    db.session.add(Message(institution_id=institution.id, mentorship_id=pair, sender_id=student.id, body="Hi",
                           created_at=_days(now, -1)))
    db.session.commit()
    return program.id
