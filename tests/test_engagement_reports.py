"""Requests left waiting (page and reminders) and the weekly digest to admins."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portal.engagement import remind_unanswered_requests, send_weekly_digest, send_weekly_digests
from portal.engagement.digest import iso_week
from portal.extensions import db
from portal.models import DigestSent, MentorRequest, Notification, User, UserStatus, utcnow
from portal.tenancy import unscoped
from tests.concurrency import while_open
from tests.factories import make_user
from tests.test_engagement import (  # noqa: F401 (in_app_context is a fixture)
    ask, enroll, in_app_context, make_meeting, make_pair, make_program, person, text,
)

pytestmark = pytest.mark.usefixtures("in_app_context")


@pytest.fixture
def waiting(app, institution, other_institution, people):
    """Requests in every state: two overdue at Northbridge (one already reminded), one at Lakeshore."""
    program = make_program(institution, request_expiry_days=14)  # overdue after 14 / 2 = 7 days
    slow = make_program(institution, "Alumni Circle", request_expiry_days=30)  # overdue after 15 days
    mentor, marcus = people["mentor"], person(institution, "mentor", "Marcus", "Okafor")
    jordan, amara = people["student"], person(institution, "student", "Amara", "Nwosu")
    lucas, mia = person(institution, "student", "Lucas", "Ferreira"), person(institution, "student", "Mia", "Chen")
    theirs = make_program(other_institution, "Lakeshore Mentoring", request_expiry_days=14)
    their_mentor = person(other_institution, "mentor", "Ines", "Duarte")
    return {
        "program": program, "mentor": mentor, "marcus": marcus,
        "overdue": ask(institution, program, jordan, mentor, days_ago=8),  # 8 > 7: overdue
        "fresh": ask(institution, program, amara, mentor, days_ago=6),  # 6 <= 7: not yet
        "declined": ask(institution, program, lucas, mentor, days_ago=9, status="declined"),
        "reminded": ask(institution, program, mia, marcus, days_ago=10, reminded=True),  # overdue, reminded already
        "slow": ask(institution, slow, lucas, marcus, days_ago=10, expiry_days=30),  # 10 <= 15: not yet
        "theirs": ask(other_institution, theirs, people["other_student"], their_mentor, days_ago=8),
        "their_mentor": their_mentor,
    }


def reminded_at(app, request_id):
    with app.app_context(), unscoped():
        return db.session.get(MentorRequest, request_id).reminded_at


def test_the_page_lists_requests_waiting_over_half_their_expiry_time(app, waiting, admin_client, other_admin_client):
    page = text(admin_client.get("/reports/unanswered-requests"))
    assert "2 requests waiting" in page
    assert f'id="request-{waiting["overdue"]}"' in page and f'id="request-{waiting["reminded"]}"' in page
    for quiet in ("fresh", "declined", "slow", "theirs"):
        assert f'id="request-{waiting[quiet]}"' not in page, quiet
    # Longest waiting first: Mia (10 days, reminded) before Jordan (8 days, reminder still to go).
    assert page.index("Mia Chen") < page.index("Jordan Lee")
    assert "10 days" in page and "8 days" in page and "Goes out with the next daily run" in page
    # Mentors who have not answered: one request each.
    assert "Mentors who have not answered" in page and page.count("1 request</span>") == 2
    filtered = text(admin_client.get(f"/reports/unanswered-requests?program={waiting['program']}"))
    assert "2 requests waiting" in filtered
    theirs = text(other_admin_client.get("/reports/unanswered-requests"))
    assert "1 request waiting" in theirs and "Jordan Lee" not in theirs and "Ines Duarte" in theirs


def test_mentors_are_reminded_once_per_overdue_request_in_every_institution(app, institution, people, waiting,
                                                                           run_jobs, smtp_sink):
    with app.app_context():
        assert remind_unanswered_requests() == 2  # Jordan's request, and the one at Lakeshore
        db.session.commit()
        assert remind_unanswered_requests() == 0  # each request is reminded once
        db.session.commit()
    assert reminded_at(app, waiting["overdue"]) is not None and reminded_at(app, waiting["theirs"]) is not None
    assert reminded_at(app, waiting["fresh"]) is None and reminded_at(app, waiting["slow"]) is None
    run_jobs()
    mails = {m["To"]: m for m in smtp_sink.wait_for(2)}
    assert set(mails) == {people["mentor"].email, waiting["their_mentor"].email}
    mail = mails[people["mentor"].email]
    body = smtp_sink.text_of(mail)
    assert mail["Subject"] == "Jordan Lee is waiting for your answer"
    assert "Jordan asked you 8 days ago to be their mentor in Career Pathways." in body
    # Sent 8 days ago, expiring 14 days after: in 6 days, on the mentor's own calendar (New York).
    expires = (utcnow() + timedelta(days=6)).astimezone(ZoneInfo("America/New_York"))
    assert f"The request closes on {expires:%B} {expires.day}, {expires.year} if nobody answers it." in body
    assert f"http://localhost/requests/{waiting['overdue']}" in body
    assert "Jordan" not in smtp_sink.text_of(mails[waiting["their_mentor"].email])
    with app.app_context(), unscoped():
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.kind == "request_reminder", Notification.user_id == people["mentor"].id)) == 1
    run_jobs()
    assert len(smtp_sink.wait_for(3, timeout=0.5)) == 2  # a rerun of the mail jobs sends nothing twice


def test_a_deactivated_mentor_is_not_mailed(app, people, waiting, run_jobs, smtp_sink):
    with app.app_context(), unscoped():
        db.session.get(User, people["mentor"].id).status = UserStatus.DEACTIVATED
        db.session.commit()
    with app.app_context():
        assert remind_unanswered_requests() == 2
        db.session.commit()
    run_jobs()
    assert [m["To"] for m in smtp_sink.wait_for(2, timeout=1)] == [waiting["their_mentor"].email]


def test_two_sweeps_at_once_remind_each_request_once(app, waiting):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    with app.app_context():
        first = remind_unanswered_requests()  # the other sweep's UPDATE waits for this commit
        second = while_open(app, remind_unanswered_requests)
    assert (first, second) == (2, 0)
    with app.app_context(), unscoped():
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.kind == "request_reminder")) == 2


# --- the weekly digest -----------------------------------------------------------------------------


def test_the_iso_week_names_the_week_a_moment_falls_in():
    assert iso_week(datetime(2026, 11, 23, 8, tzinfo=timezone.utc)) == "2026-W48"  # a Monday
    assert iso_week(datetime(2024, 12, 31, 8, tzinfo=timezone.utc)) == "2025-W01"  # ISO years start on Mondays


@pytest.fixture
def week(app, institution, other_institution, people):
    """Last week at Northbridge: 1 new match, 2 sessions held, 1 pair at risk, 2 requests waiting (1 overdue)."""
    program = make_program(institution, session_cadence_days=14, request_expiry_days=14)
    priya, marcus = people["mentor"], person(institution, "mentor", "Marcus", "Okafor")
    names = {first: person(institution, "student", first, last) for first, last in (
        ("Amara", "Nwosu"), ("Lucas", "Ferreira"), ("Mia", "Chen"), ("Noah", "Kim"))}
    for ref in (priya, marcus, people["student"], *names.values()):
        enroll(institution, program, ref, ref.role if ref.role == "mentor" else "mentee")
    new = make_pair(institution, program, priya, names["Amara"], started_days_ago=3)  # new this week
    make_meeting(institution, new, priya, days_ago=2)  # held this week
    older = make_pair(institution, program, priya, people["student"], started_days_ago=10)
    make_meeting(institution, older, priya, days_ago=5)  # held this week
    make_meeting(institution, older, priya, days_ago=1, status="cancelled")  # not held
    calm = make_pair(institution, program, marcus, names["Lucas"], started_days_ago=40)
    make_meeting(institution, calm, marcus, days_ago=9)  # held, but 9 days ago: last week's
    late = make_pair(institution, program, marcus, names["Mia"], started_days_ago=60)
    make_meeting(institution, late, marcus, days_ago=25)  # 25 > 1.5 x 14 = 21: at risk
    ask(institution, program, names["Noah"], marcus, days_ago=8)  # 8 > 14 / 2: overdue
    ask(institution, program, names["Lucas"], priya, days_ago=1)  # waiting, not overdue
    with app.app_context():
        second = make_user(institution, "admin", "Sam", "Okoro")
        invited = make_user(institution, "admin", "Ivy", "Park", status="invited")
    return {"second": second, "invited": invited}


def test_every_admin_gets_the_weekly_digest_of_their_own_institution_once(app, people, week, run_jobs, smtp_sink):
    with app.app_context():
        assert send_weekly_digests() == 3  # Dana and Sam at Northbridge, Olu at Lakeshore; not the invited Ivy
        db.session.commit()
    run_jobs()
    mails = {m["To"]: m for m in smtp_sink.wait_for(3)}
    assert set(mails) == {people["admin"].email, week["second"].email, people["other_admin"].email}
    dana = mails[people["admin"].email]
    assert dana["Subject"] == "Mentoring this week at Northbridge University: 1 new match, 2 sessions, 1 pair at risk"
    body = smtp_sink.text_of(dana)
    for line in ("New matches: 1", "Sessions held: 2", "Pairs at risk: 1",
                 "Requests waiting too long for a mentor: 1 (of 2 waiting for an answer)",
                 "- Marcus Okafor & Mia Chen (Career Pathways): No session for 25 days (expected every 14 days)",
                 "- Marcus Okafor: 1 request, the oldest waiting 8 days",
                 "Nudge them: http://localhost/reports/at-risk", "http://localhost/reports/unanswered-requests"):
        assert line in body, line
    assert "Nudge pairs at risk" in smtp_sink.html_of(dana)
    olu = smtp_sink.text_of(mails[people["other_admin"].email])
    assert "New matches: 0" in olu and "Pairs at risk: 0" in olu and "Marcus" not in olu and "Northbridge" not in olu
    # The same week again, by the cron or a retried job: nobody gets a second digest.
    with app.app_context():
        assert send_weekly_digests() == 0
        db.session.commit()
        assert send_weekly_digest(people["admin"].institution_id, people["admin"].id, iso_week(utcnow())) is False
        db.session.commit()
    run_jobs()
    assert len(smtp_sink.wait_for(4, timeout=0.5)) == 3
    with app.app_context(), unscoped():
        assert db.session.scalar(select(func.count(DigestSent.id))) == 3
    # Next Monday, a new digest.
    with app.app_context():
        assert send_weekly_digests(now=utcnow() + timedelta(days=7)) == 3
        db.session.commit()


def test_two_digest_jobs_for_the_same_admin_and_week_send_one_mail(app, people, week, run_jobs, smtp_sink):
    this_week = iso_week(utcnow())
    with app.app_context():
        admin = people["admin"]
        assert send_weekly_digest(admin.institution_id, admin.id, this_week) is True
        db.session.commit()
        assert send_weekly_digest(admin.institution_id, admin.id, this_week) is False
        db.session.commit()
        # Not an admin, or not this institution's: nothing.
        assert send_weekly_digest(admin.institution_id, people["mentor"].id, this_week) is False
        assert send_weekly_digest(people["other_admin"].institution_id, admin.id, this_week) is False
        db.session.commit()
    assert len(smtp_sink.wait_for(2, timeout=0.5)) == 1
