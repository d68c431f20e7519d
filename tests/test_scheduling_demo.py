"""The demo: mentors have availability (Priya too), and each demo mentorship has held sessions over the
last eight weeks and one confirmed session ahead that never overlaps the mentor's other sessions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AvailabilityWindow, Meeting, MeetingStatus, Mentorship, MentorshipStatus, User, utcnow
from portal.tenancy import unscoped


def test_the_demo_has_availability_and_sessions_for_every_mentorship(app):
    from portal.demo import DEMO_LOGINS, seed_demo
    from portal.models import Role

    with app.app_context(), unscoped():
        institution = seed_demo()
        db.session.commit()
        priya = db.session.scalar(select(User).where(User.email == DEMO_LOGINS[Role.MENTOR]))
        assert priya.timezone == "America/Los_Angeles"
        assert db.session.scalars(select(AvailabilityWindow).where(AvailabilityWindow.mentor_id == priya.id)).all()
        now = utcnow()
        mentorships = db.session.scalars(select(Mentorship).where(Mentorship.institution_id == institution.id)).all()
        assert mentorships
        for mentorship in mentorships:
            sessions = db.session.scalars(select(Meeting).where(Meeting.mentorship_id == mentorship.id)).all()
            held = [m for m in sessions if m.status == MeetingStatus.COMPLETED]
            ahead = [m for m in sessions if m.status == MeetingStatus.CONFIRMED and m.starts_at > now]
            assert all(now - timedelta(weeks=8) <= m.starts_at < now for m in held)
            if mentorship.started_at < now - timedelta(weeks=3):
                assert len(held) >= 2, mentorship.id
            if mentorship.status == MentorshipStatus.ACTIVE:
                assert len(ahead) == 1, mentorship.id
        confirmed = db.session.scalars(select(Meeting).where(Meeting.status == MeetingStatus.CONFIRMED)).all()
        for meeting in confirmed:
            assert not any(other.id != meeting.id and other.mentor_id == meeting.mentor_id
                           and other.starts_at < meeting.ends_at and meeting.starts_at < other.ends_at
                           for other in confirmed)
