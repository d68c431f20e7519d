"""Jobs: enqueued only after commit, run in a fresh app context, commit at their boundary."""

from __future__ import annotations

from datetime import timedelta

from rq.cron import CronScheduler
from sqlalchemy import func, select

from portal.accounts.invitations import invite_people, send_invitations
from portal.extensions import db
from portal.jobs import enqueue_after_commit, queue, redis_connection
from portal.models import AuthToken, LoginSession, utcnow
from portal.periodic import purge_stale_sign_in_records, register_periodic_jobs
from portal.tenancy import tenant_scope, unscoped
from tests.factories import make_user
from tests.workers import worker_env


def test_a_rolled_back_request_enqueues_nothing(app, people):
    with app.app_context():
        enqueue_after_commit("mail", send_invitations, 1, [people["student"].id])
        db.session.rollback()
        assert queue("mail").count == 0
        enqueue_after_commit("mail", send_invitations, 1, [people["student"].id])
        db.session.commit()
        assert queue("mail").count == 1


def test_invitation_mail_arrives_over_smtp_with_a_working_link(app, institution, run_jobs, smtp_sink, client):
    with app.app_context():
        invited = make_user(institution, "mentor", "Noor", "Haidari", status="invited")
        with tenant_scope(institution.id):
            invite_people(institution.id, [invited.id])
            db.session.commit()
    run_jobs()
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == invited.email
    assert "Northbridge University" in message["Subject"]
    text = smtp_sink.text_of(message)
    link = text[text.index("http://localhost/invitation/"):].split()[0]
    assert link in smtp_sink.html_of(message)
    page = client.get(link.removeprefix("http://localhost"))
    assert page.status_code == 200 and "Welcome, Noor" in page.get_data(as_text=True)
    with app.app_context(), unscoped():
        assert db.session.scalar(select(func.count()).select_from(AuthToken)) == 1  # committed by the job


def test_a_job_for_another_institution_cannot_reach_this_one(app, people, other_institution, run_jobs, smtp_sink):
    with app.app_context():
        # The wrong institution id: the job's scope hides the user, so nothing is sent.
        enqueue_after_commit("mail", send_invitations, other_institution.id, [people["student"].id])
        db.session.commit()
    run_jobs()
    assert smtp_sink.wait_for(1, timeout=0.5) == []


def test_periodic_purge_removes_only_old_ended_records(app, people, student_client):
    with app.app_context(), unscoped():
        live = db.session.scalar(select(LoginSession))
        old = LoginSession(institution_id=live.institution_id, user_id=live.user_id, token_hash="0" * 64,
                           ended_at=utcnow() - timedelta(days=45))
        db.session.add(old)
        db.session.commit()
        assert purge_stale_sign_in_records() == {"sessions": 1, "tokens": 0}
        db.session.commit()
    assert student_client.get("/").status_code == 200


def test_the_cron_scheduler_knows_the_periodic_jobs(app):
    with app.app_context():
        cron = CronScheduler(connection=redis_connection())
        register_periodic_jobs(cron)
        names = [job.func.__name__ for job in cron.get_jobs()]
    assert "purge_stale_sign_in_records" in names


def test_the_worker_script_runs_queued_jobs(app, institution, smtp_sink, tmp_path):
    import subprocess
    import sys

    with app.app_context():
        invited = make_user(institution, "student", "Lena", "Fischer", status="invited")
        with tenant_scope(institution.id):
            invite_people(institution.id, [invited.id])
            db.session.commit()
    env = worker_env(app, tmp_path, smtp_sink)
    result = subprocess.run([sys.executable, "worker.py", "--burst", "mail"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [m["To"] for m in smtp_sink.wait_for(1)] == [invited.email]
