"""Requests a mentor has left waiting: listed for admins, and one reminder to the mentor per request.

A request is overdue once it has waited more than half the program's `request_expiry_days`
without an answer: late enough to worry about, early enough for a reminder to help.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, literal, select, update
from sqlalchemy.orm import selectinload

from portal.engagement.at_risk import _plural
from portal.engagement.mailing import send_engagement_mail
from portal.extensions import db
from portal.jobs import enqueue_after_commit
from portal.models import MentorRequest, Program, RequestStatus, User, UserStatus, utcnow
from portal.models.base import UTCDateTime
from portal.notifications import notify
from portal.tenancy import unscoped


@dataclass
class OverdueRequest:
    request: MentorRequest
    program_name: str
    days_waiting: int

    @property
    def mentor(self) -> User:
        return self.request.mentor

    @property
    def mentee(self) -> User:
        return self.request.mentee


def _overdue_after(expiry_days: int) -> timedelta:
    return timedelta(days=expiry_days / 2)


def overdue_requests(program_id: int | None = None, now: datetime | None = None) -> list[OverdueRequest]:
    """Return pending requests older than half their program's expiry time, the longest waiting first."""
    now = now or utcnow()
    query = (select(MentorRequest, Program.name, Program.request_expiry_days)
             .join(Program, Program.id == MentorRequest.program_id)
             .where(MentorRequest.status == RequestStatus.PENDING)
             .options(selectinload(MentorRequest.mentor), selectinload(MentorRequest.mentee))
             .order_by(MentorRequest.created_at, MentorRequest.id))
    if program_id is not None:
        query = query.where(MentorRequest.program_id == program_id)
    found = []
    for request, program_name, expiry_days in db.session.execute(query):
        if request.created_at <= now - _overdue_after(expiry_days):
            found.append(OverdueRequest(request, program_name, max(0, (now - request.created_at).days)))
    return found


def overdue_request_count(program_id: int | None = None, now: datetime | None = None) -> int:
    """Count the requests `overdue_requests` lists, in one query (for the reports panel)."""
    now = now or utcnow()
    programs = select(Program.id, Program.request_expiry_days)
    if program_id is not None:
        programs = programs.where(Program.id == program_id)
    due = {program: literal(now - _overdue_after(days), UTCDateTime())
           for program, days in db.session.execute(programs)}
    if not due:
        return 0
    return db.session.scalar(
        select(func.count()).select_from(MentorRequest)
        .where(MentorRequest.status == RequestStatus.PENDING, MentorRequest.program_id.in_(list(due)),
               MentorRequest.created_at <= case(due, value=MentorRequest.program_id)))

def mentors_waiting(overdue: list[OverdueRequest]) -> list[tuple[User, int, int]]:
    """Return (mentor, overdue requests, days the oldest has waited), the most behind first."""
    by_mentor: dict[int, list[OverdueRequest]] = {}
    for item in overdue:
        by_mentor.setdefault(item.request.mentor_id, []).append(item)
    rows = [(items[0].mentor, len(items), max(i.days_waiting for i in items)) for items in by_mentor.values()]
    return sorted(rows, key=lambda row: (-row[1], -row[2], row[0].name))


def remind_unanswered_requests(now: datetime | None = None) -> int:
    """Remind mentors of overdue requests, once per request in every institution; return how many (cron)."""
    now = now or utcnow()
    reminded = 0
    with unscoped():
        rows = db.session.execute(
            select(MentorRequest.id, MentorRequest.created_at, Program.request_expiry_days)
            .join(Program, Program.id == MentorRequest.program_id)
            .where(MentorRequest.status == RequestStatus.PENDING, MentorRequest.reminded_at.is_(None))
            .order_by(MentorRequest.id)).all()
        for request_id, created_at, expiry_days in rows:
            if created_at > now - _overdue_after(expiry_days):
                continue
            # Two sweeps at once: only the one whose UPDATE changes the row sends the reminder.
            claimed = db.session.execute(
                update(MentorRequest).where(MentorRequest.id == request_id, MentorRequest.reminded_at.is_(None),
                                            MentorRequest.status == RequestStatus.PENDING)
                .values(reminded_at=now).execution_options(synchronize_session=False)).rowcount
            if claimed:
                _remind(request_id, now)
                reminded += 1
    return reminded


def _remind(request_id: int, now: datetime) -> None:
    from portal.requests import request_path

    request = db.session.get(MentorRequest, request_id)
    mentor, mentee = request.mentor, request.mentee
    if mentor.status == UserStatus.DEACTIVATED:
        return
    program = db.session.get(Program, request.program_id)
    days = max(0, (now - request.created_at).days)
    closes = request.expires_at.astimezone(ZoneInfo(mentor.timezone or "UTC"))
    title = f"{mentee.name} is waiting for your answer"
    body = (f"{mentee.first_name} asked you {_plural(days, 'day')} ago to be their mentor in {program.name}. "
            f"The request closes on {closes:%B %-d, %Y} if nobody answers it.\n\n"
            "Accepting or kindly declining takes a minute. If you are too busy right now, declining lets "
            f"{mentee.first_name} ask someone else straight away.")
    for made in notify(mentor.id, "request_reminder", title, body, request_path(request.id),
                       institution_id=request.institution_id, email=False):
        enqueue_after_commit("mail", send_engagement_mail, request.institution_id, made.id, "request_reminder")
