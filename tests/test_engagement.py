"""Engagement: record builders the engagement tests share, the reports panel, and the cron schedule.

The builders insert rows directly (with times relative to now), so each test states the
history a pair had: when it started, its sessions, ratings and messages.
"""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from rq.cron import CronScheduler
from sqlalchemy import select

from portal.extensions import db
from portal.jobs import redis_connection
from portal.models import (
    Enrollment, EnrollmentRole, Meeting, MeetingStatus, MentorRequest, Mentorship, MentorshipOrigin,
    MentorshipParticipant, MentorshipStatus, Message, ParticipantRole, Profile, Program, ProgramStatus,
    RequestStatus, SessionFeedback, utcnow,
)
from portal.periodic import register_periodic_jobs
from portal.tenancy import unscoped
from tests.factories import Ref, make_user

DAY = timedelta(days=1)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def ago(days: float, hours: float = 0):
    return utcnow() - timedelta(days=days, hours=hours)


_apps = []


@pytest.fixture
def in_app_context(app):
    """Let the builders below write through the app (modules use it with `pytestmark`)."""
    _apps.append(app)
    yield
    _apps.remove(app)


pytestmark = pytest.mark.usefixtures("in_app_context")


def _add(record) -> int:
    with _apps[-1].app_context(), unscoped():
        db.session.add(record)
        db.session.flush()
        record_id = record.id
        db.session.commit()
        return record_id


def make_program(institution: Ref, name: str = "Career Pathways", **fields) -> int:
    fields.setdefault("status", ProgramStatus.OPEN)
    return _add(Program(institution_id=institution.id, name=name, **fields))


def person(institution: Ref, role: str, first: str, last: str, **profile) -> Ref:
    """Make an active person, with a profile when profile fields are given."""
    with _apps[-1].app_context():
        ref = make_user(institution, role, first, last, password=None)
    if profile:
        set_profile(ref, **profile)
    return ref


def change(model, record_id: int, **fields) -> None:
    """Change a record's fields, as time or a person would have."""
    with _apps[-1].app_context(), unscoped():
        record = db.session.get(model, record_id)
        for name, value in fields.items():
            setattr(record, name, value)
        db.session.commit()


def set_profile(ref: Ref, **fields) -> None:
    """Fill in the profile every person gets when they are created."""
    with _apps[-1].app_context(), unscoped():
        profile = db.session.scalar(select(Profile).where(Profile.user_id == ref.id))
        for name, value in fields.items():
            setattr(profile, name, value)
        db.session.commit()


def enroll(institution: Ref, program_id: int, user: Ref, role: str = "mentee") -> int:
    return _add(Enrollment(institution_id=institution.id, program_id=program_id, user_id=user.id,
                           role=EnrollmentRole(role)))


def make_pair(institution: Ref, program_id: int, mentor: Ref, mentee: Ref, *, started_days_ago: float = 60,
              status: str = "active") -> int:
    """Make a mentorship of `mentor` and `mentee` that started that many days ago."""
    return _add(Mentorship(
        institution_id=institution.id, program_id=program_id, origin=MentorshipOrigin.ADMIN_MANUAL,
        status=MentorshipStatus(status), started_at=ago(started_days_ago), participants=[
            MentorshipParticipant(institution_id=institution.id, user_id=mentor.id, role=ParticipantRole.MENTOR),
            MentorshipParticipant(institution_id=institution.id, user_id=mentee.id, role=ParticipantRole.MENTEE)]))


def make_meeting(institution: Ref, mentorship_id: int, mentor: Ref, *, days_ago: float, minutes: int = 60,
                 status: str = "completed") -> int:
    """Make a session that started `days_ago` days ago (negative: ahead) and lasted `minutes`."""
    starts = ago(days_ago)
    return _add(Meeting(institution_id=institution.id, mentorship_id=mentorship_id, mentor_id=mentor.id,
                        starts_at=starts, ends_at=starts + timedelta(minutes=minutes),
                        status=MeetingStatus(status), uid=f"test-{mentorship_id}-{days_ago}-{minutes}-{status}"))


def rate(institution: Ref, meeting_id: int, user: Ref, rating: int, *, days_ago: float) -> int:
    with _apps[-1].app_context(), unscoped():
        mentorship_id = db.session.get(Meeting, meeting_id).mentorship_id
    return _add(SessionFeedback(institution_id=institution.id, meeting_id=meeting_id, mentorship_id=mentorship_id,
                                user_id=user.id, rating=rating, created_at=ago(days_ago)))


def write(institution: Ref, mentorship_id: int, sender: Ref, *, days_ago: float, body: str = "Hello!") -> int:
    return _add(Message(institution_id=institution.id, mentorship_id=mentorship_id, sender_id=sender.id,
                        body=body, created_at=ago(days_ago)))


def ask(institution: Ref, program_id: int, mentee: Ref, mentor: Ref, *, days_ago: float, status: str = "pending",
        expiry_days: int = 14, reminded: bool = False) -> int:
    """Make a request the mentee sent `days_ago` days ago, expiring `expiry_days` after it was sent."""
    sent = ago(days_ago)
    return _add(MentorRequest(institution_id=institution.id, program_id=program_id, mentee_id=mentee.id,
                              mentor_id=mentor.id, message="Would you mentor me?", status=RequestStatus(status),
                              created_at=sent, updated_at=sent, expires_at=sent + timedelta(days=expiry_days),
                              reminded_at=sent + DAY if reminded else None))


# --- the reports panel and the schedule ---------------------------------------------------------


def test_the_cron_scheduler_runs_the_digest_on_mondays_and_the_reminders_daily(app):
    with app.app_context():
        cron = CronScheduler(connection=redis_connection())
        register_periodic_jobs(cron)
        schedule = {job.func.__name__: job.cron for job in cron.get_jobs()}
    assert schedule["send_weekly_digests"] == "0 8 * * 1"  # Mondays 08:00 UTC
    assert schedule["remind_unanswered_requests"] == "0 9 * * *"


def test_the_dashboard_panel_counts_pairs_at_risk_and_waiting_requests(app, institution, people, admin_client):
    program = make_program(institution)
    other_program = make_program(institution, "Leadership Circle")
    mentor, student = people["mentor"], people["student"]
    amara = person(institution, "student", "Amara", "Nwosu")
    make_pair(institution, program, mentor, student, started_days_ago=40)  # no session in 40 days > 1.5 x 14 = 21
    unhappy = make_pair(institution, other_program, mentor, amara, started_days_ago=40)
    make_meeting(institution, unhappy, mentor, days_ago=3)
    rate(institution, make_meeting(institution, unhappy, mentor, days_ago=10), amara, 2, days_ago=1)
    ask(institution, program, amara, mentor, days_ago=8)  # 8 > 14 / 2: waiting too long
    ask(institution, program, student, mentor, days_ago=2)  # 2 < 7: not yet
    with app.test_request_context():
        from flask import render_template_string
        from flask_login import login_user

        from portal.models import User
        from portal.tenancy import tenant_scope

        with tenant_scope(institution.id):
            login_user(db.session.get(User, people["admin"].id))
            whole = html.unescape(render_template_string('{% include "engagement/_dashboard_panel.html" %}'))
            one = html.unescape(render_template_string('{% include "engagement/_dashboard_panel.html" %}',
                                                       program=db.session.get(Program, program)))
    # Whole institution: two pairs at risk (one with no session, one with a last rating of 2), one request.
    assert 'id="panel-at-risk">2<' in whole and "No recent session: 1" in whole and "Low last rating: 1" in whole
    assert 'id="panel-unanswered">1<' in whole
    # Career Pathways alone: only the quiet pair, the same request, and a link to its thank-you page.
    assert 'id="panel-at-risk">1<' in one and "Low last rating" not in one
    assert f"/programs/{program}/thank-you" in one and f"/reports/at-risk?program={program}" in one
