"""Periodic housekeeping, run by RQ's cron scheduler (started by worker.py)."""

from __future__ import annotations

from datetime import timedelta

from rq.cron import CronScheduler
from sqlalchemy import delete, or_

from portal.engagement import remind_unanswered_requests, send_weekly_digests
from portal.extensions import db
from portal.meetings.feedback import prompt_for_feedback
from portal.messaging.unread_mail import mail_unread_messages
from portal.models import AuthToken, LoginSession, utcnow
from portal.profiles.canonical import refresh_stale_canonical_tags
from portal.requests import expire_requests
from portal.scheduling.reminders import send_due_reminders
from portal.tenancy import unscoped

KEEP_ENDED_FOR = timedelta(days=30)


def purge_stale_sign_in_records() -> dict[str, int]:
    """Delete ended sessions and dead one-time links older than 30 days; return the counts."""
    cutoff = utcnow() - KEEP_ENDED_FOR
    with unscoped():
        sessions = db.session.execute(
            delete(LoginSession).where(LoginSession.ended_at.is_not(None), LoginSession.ended_at < cutoff)
        ).rowcount
        tokens = db.session.execute(
            delete(AuthToken).where(or_(AuthToken.expires_at < cutoff, AuthToken.used_at < cutoff,
                                        AuthToken.revoked_at < cutoff))
        ).rowcount
    return {"sessions": sessions, "tokens": tokens}


def register_periodic_jobs(cron: CronScheduler) -> None:
    """Register every periodic job with the cron scheduler."""
    cron.register(purge_stale_sign_in_records, queue_name="default", cron="17 3 * * *", job_timeout=600)
    cron.register(refresh_stale_canonical_tags, queue_name="default", cron="47 3 * * *", job_timeout=1800)
    cron.register(remind_unanswered_requests, queue_name="default", cron="0 9 * * *", job_timeout=600)
    cron.register(send_weekly_digests, queue_name="default", cron="0 8 * * 1", job_timeout=600)  # Mondays, UTC
    cron.register(send_due_reminders, queue_name="default", cron="*/15 * * * *", job_timeout=600)
    cron.register(prompt_for_feedback, queue_name="default", cron="7-59/15 * * * *", job_timeout=600)
    cron.register(mail_unread_messages, queue_name="default", cron="3-59/10 * * * *", job_timeout=600)
    cron.register(expire_requests, queue_name="default", cron="23 * * * *", job_timeout=600)
