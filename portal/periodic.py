"""Periodic housekeeping, run by RQ's cron scheduler (started by worker.py)."""

from __future__ import annotations

from datetime import timedelta

from rq.cron import CronScheduler
from sqlalchemy import delete, or_

from portal.extensions import db
from portal.models import AuthToken, LoginSession, utcnow
from portal.profiles.canonical import refresh_stale_canonical_tags
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
