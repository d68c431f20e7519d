"""Reminders: an email 24 hours before each confirmed session, in each person's own time, once."""

from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.models import Meeting, utcnow
from portal.scheduling import cancel_meeting, confirm_meeting, propose_meeting
from portal.scheduling.reminders import send_due_reminders
from portal.tenancy import tenant_scope
from tests.test_scheduling import pair  # noqa: F401  (the fixture)


def _session(app, institution, people, pair_id, hours_ahead: float, confirm: bool = True) -> int:
    """A session `hours_ahead` from now, proposed by the student and (by default) confirmed by the mentor."""
    start = (utcnow() + timedelta(hours=hours_ahead)).replace(second=0, microsecond=0)
    with app.app_context(), tenant_scope(institution.id):
        meeting = propose_meeting(pair_id, people["student"].id, start, 60, "video", "https://meet.example.com/pj",
                                  "Portfolio review")
        db.session.flush()
        if confirm:
            confirm_meeting(meeting.id, people["mentor"].id)
        db.session.commit()
        return meeting.id


def _sweep(app) -> int:
    with app.app_context():
        claimed = send_due_reminders()
        db.session.commit()
        return claimed


def _clear_notification_mail(app, run_jobs, smtp_sink) -> None:
    run_jobs()
    smtp_sink.messages.clear()


def test_each_person_is_reminded_once_the_day_before_in_their_own_time(app, institution, pair, people, run_jobs,
                                                                       smtp_sink):
    due = _session(app, institution, people, pair, hours_ahead=23)
    _session(app, institution, people, pair, hours_ahead=30)  # too early to remind
    _session(app, institution, people, pair, hours_ahead=5, confirm=False)  # never confirmed
    cancelled = _session(app, institution, people, pair, hours_ahead=10)
    with app.app_context(), tenant_scope(institution.id):
        cancel_meeting(cancelled, people["mentor"].id, "Sick")
        db.session.commit()
    _clear_notification_mail(app, run_jobs, smtp_sink)

    assert _sweep(app) == 1
    run_jobs()
    mails = {message["To"]: message for message in smtp_sink.messages}
    assert set(mails) == {people["mentor"].email, people["student"].email}
    to_mentor, to_student = mails[people["mentor"].email], mails[people["student"].email]
    assert to_mentor["Subject"].startswith("Reminder: mentoring session with Jordan Lee, ")
    assert to_mentor["Subject"].endswith(" EST") and to_student["Subject"].endswith(" GMT")
    body = to_student.get_body(("plain",)).get_content()
    assert "Portfolio review" in body and "https://meet.example.com/pj" in body
    assert f"http://localhost/sessions/{due}" in body

    smtp_sink.messages.clear()
    assert _sweep(app) == 0  # reminded already
    run_jobs()
    assert smtp_sink.messages == []


def test_a_moved_session_is_reminded_again_for_its_new_time(app, institution, pair, people, run_jobs, smtp_sink):
    from portal.scheduling import change_meeting

    meeting_id = _session(app, institution, people, pair, hours_ahead=20)
    assert _sweep(app) == 1
    with app.app_context(), tenant_scope(institution.id):
        meeting = db.session.get(Meeting, meeting_id)
        change_meeting(meeting_id, people["mentor"].id, meeting.starts_at + timedelta(hours=2), 60, "video",
                       meeting.location, meeting.agenda, "Running late")
        db.session.flush()
        confirm_meeting(meeting_id, people["student"].id)
        db.session.commit()
    assert _sweep(app) == 1


def test_a_reminder_job_for_a_session_cancelled_since_sends_nothing(app, institution, pair, people, run_jobs,
                                                                   smtp_sink):
    meeting_id = _session(app, institution, people, pair, hours_ahead=12)
    _clear_notification_mail(app, run_jobs, smtp_sink)
    assert _sweep(app) == 1
    with app.app_context(), tenant_scope(institution.id):
        cancel_meeting(meeting_id, people["student"].id, "Exam moved")
        db.session.commit()
    smtp_sink.messages.clear()
    run_jobs()
    assert [message["Subject"] for message in smtp_sink.messages if "Reminder" in message["Subject"]] == []


def test_two_workers_sweeping_at_once_send_each_reminder_once(app, institution, pair, people):
    for hours in (3, 8, 13, 18):
        _session(app, institution, people, pair, hours_ahead=hours)
    barrier, claimed = threading.Barrier(2), []

    def sweep() -> None:
        with app.app_context():
            barrier.wait()
            claimed.append(send_due_reminders())
            db.session.commit()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(claimed) == 4 and len(claimed) == 2
    with app.app_context(), tenant_scope(institution.id):
        assert db.session.scalar(sa.select(sa.func.count(Meeting.id)).where(Meeting.reminder_sent_at.is_(None))) == 0


def test_the_cron_scheduler_sweeps_reminders_every_15_minutes(app):
    from rq.cron import CronScheduler

    from portal.jobs import redis_connection
    from portal.periodic import register_periodic_jobs

    with app.app_context():
        cron = CronScheduler(connection=redis_connection())
        register_periodic_jobs(cron)
        [job] = [job for job in cron.get_jobs() if job.func.__name__ == "send_due_reminders"]
        assert job.cron == "*/15 * * * *"
