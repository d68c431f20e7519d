"""The weekly digest: Monday morning's summary mail to every admin, once per admin and ISO week.

The cron sweep queues one job per admin; each job first records the digest (a unique index on
admin and week), so a retried or doubled job sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.engagement.at_risk import AtRiskPair, at_risk_pairs, reason_counts
from portal.engagement.mailing import path_for
from portal.engagement.reminders import OverdueRequest, mentors_waiting, overdue_requests
from portal.extensions import db
from portal.jobs import enqueue_after_commit
from portal.models import (
    DigestSent, Institution, Meeting, MeetingStatus, MentorRequest, Mentorship, RequestStatus, Role, User,
    UserStatus, utcnow,
)
from portal.tenancy import tenant_scope, unscoped

DIGEST_PERIOD = timedelta(days=7)
PAIRS_LISTED = 5


def iso_week(moment: datetime) -> str:
    """Return the ISO week of a moment, e.g. 2026-W47."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class WeeklyFigures:
    since: datetime
    until: datetime
    new_matches: int
    sessions_held: int
    pending_requests: int
    at_risk: list[AtRiskPair] = field(default_factory=list)
    overdue: list[OverdueRequest] = field(default_factory=list)

    @property
    def at_risk_reasons(self) -> list[tuple[str, int]]:
        return reason_counts(self.at_risk)

    @property
    def mentors_waiting(self):
        return mentors_waiting(self.overdue)[:PAIRS_LISTED]


def weekly_figures(now: datetime | None = None) -> WeeklyFigures:
    """Return the last 7 days of the institution in scope: matches, sessions, pairs at risk, requests."""
    until = now or utcnow()
    since = until - DIGEST_PERIOD
    new_matches = db.session.scalar(select(func.count(Mentorship.id)).where(
        Mentorship.started_at >= since, Mentorship.started_at < until)) or 0
    sessions_held = db.session.scalar(select(func.count(Meeting.id)).where(
        Meeting.status == MeetingStatus.COMPLETED, Meeting.starts_at >= since, Meeting.starts_at < until)) or 0
    pending = db.session.scalar(select(func.count(MentorRequest.id)).where(
        MentorRequest.status == RequestStatus.PENDING)) or 0
    return WeeklyFigures(since, until, new_matches, sessions_held, pending, at_risk_pairs(now=until),
                         overdue_requests(now=until))


def send_weekly_digests(now: datetime | None = None) -> int:
    """Queue this week's digest for every active admin of every institution; return how many (cron)."""
    now = now or utcnow()
    week = iso_week(now)
    with unscoped():
        done = set(db.session.scalars(select(DigestSent.user_id).where(DigestSent.week == week)))
        admins = db.session.execute(select(User.id, User.institution_id).where(
            User.role == Role.ADMIN, User.status == UserStatus.ACTIVE).order_by(User.id)).all()
    queued = 0
    for user_id, institution_id in admins:
        if user_id not in done:
            enqueue_after_commit("mail", send_weekly_digest, institution_id, user_id, week)
            queued += 1
    return queued


def send_weekly_digest(institution_id: int, user_id: int, week: str, now: datetime | None = None) -> bool:
    """Mail one admin this week's digest unless they had it; return whether it was sent (job)."""
    from portal.mail import send_templated_mail

    with tenant_scope(institution_id):
        user = db.session.get(User, user_id)
        if user is None or user.role != Role.ADMIN or user.status != UserStatus.ACTIVE:
            return False
        try:
            with db.session.begin_nested():
                db.session.add(DigestSent(institution_id=institution_id, user_id=user_id, week=week))
        except IntegrityError:
            return False  # this admin had this week's digest already
        figures = weekly_figures(now)
        institution = db.session.get(Institution, institution_id)
        links = {name: path_for(endpoint, fallback) for name, endpoint, fallback in (
            ("at_risk", "engagement.list_at_risk", "/reports/at-risk"),
            ("unanswered", "engagement.show_unanswered", "/reports/unanswered-requests"),
            ("fairness", "engagement.show_fairness", "/reports/fairness"),
            ("reports", "reports.show_dashboard", "/reports"))}
        subject = (f"Mentoring this week at {institution.name}: "
                   f"{_count(figures.new_matches, 'new match', 'new matches')}, "
                   f"{_count(figures.sessions_held, 'session')}, {_count(len(figures.at_risk), 'pair')} at risk")
        zone = ZoneInfo(user.timezone or "UTC")
        send_templated_mail(user.email, subject, "weekly_digest", user=user, figures=figures, week=week,
                            links=links, pairs_listed=PAIRS_LISTED,
                            period=(figures.since.astimezone(zone), figures.until.astimezone(zone)))
        return True


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"
