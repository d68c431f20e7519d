"""Requests nobody answered in time expire; both sides are told. A cron job, over every institution."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import MentorRequest, Program, RequestStatus, User, utcnow
from portal.notifications import notify
from portal.requests import request_path
from portal.tenancy import unscoped


def expire_requests(now: datetime | None = None) -> int:
    """Expire every pending request past its expiry time and tell both sides; return how many.

    Idempotent: the conditional UPDATE closes each request once, so a retried or overlapping
    run finds nothing more to do and tells nobody twice.
    """
    now = now or utcnow()
    with unscoped():
        rows = db.session.execute(
            update(MentorRequest)
            .where(MentorRequest.status == RequestStatus.PENDING, MentorRequest.expires_at <= now)
            .values(status=RequestStatus.EXPIRED, closed_at=now, updated_at=now)
            .returning(MentorRequest.id, MentorRequest.institution_id, MentorRequest.mentee_id,
                       MentorRequest.mentor_id, MentorRequest.program_id)
            .execution_options(synchronize_session=False)).all()
        if not rows:
            return 0
        people = {user.id: user for user in db.session.scalars(
            select(User).where(User.id.in_({row.mentee_id for row in rows} | {row.mentor_id for row in rows})))}
        programs = {program.id: program for program in db.session.scalars(
            select(Program).where(Program.id.in_({row.program_id for row in rows})))}
        for row in rows:
            mentee, mentor, program = people[row.mentee_id], people[row.mentor_id], programs[row.program_id]
            days = program.request_expiry_days
            notify(mentee.id, "request_expired", f"Your request to {mentor.name} has expired",
                   f"{mentor.first_name} didn't answer within {days} days, so your request in {program.name} has "
                   "expired and no longer counts towards your open requests. Another mentor may be a good fit: "
                   "have another look in the directory.",
                   request_path(row.id), institution_id=row.institution_id)
            notify(mentor.id, "request_expired", f"{mentee.name}'s request has expired",
                   f"{mentee.first_name}'s request in {program.name} waited {days} days without an answer, so it "
                   "has expired and the spot it held is free again. If you're too busy for new mentees, you can "
                   "stop taking requests in your profile.",
                   request_path(row.id), institution_id=row.institution_id)
    return len(rows)
