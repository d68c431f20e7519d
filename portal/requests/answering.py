"""A mentor's answer: accept (the mentorship begins) or decline with a reason."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update

from portal.extensions import db
from portal.mentorships import MentorshipError, create_mentorship
from portal.mentorships.creating import lock_users
from portal.mentorships.queries import free_capacities
from portal.models import (
    DeclineReason, MentorRequest, MentorshipOrigin, Program, ProgramFormat, RequestStatus, User, utcnow,
)
from portal.notifications import notify
from portal.requests import RequestError, request_path
from portal.requests.asking import already_closed, hold_mentor_profile

MAX_RESPONSE = 1000


def _mentors_request(request_id: int, mentor_id: int, *, lock: bool = False) -> MentorRequest:
    query = select(MentorRequest).where(MentorRequest.id == request_id).execution_options(populate_existing=True)
    if lock:
        query = query.with_for_update()
    record = db.session.scalar(query)
    if record is None or record.mentor_id != mentor_id:
        raise RequestError("That request was not found.")
    return record


def _response(message: str | None) -> str:
    message = (message or "").strip()
    if len(message) > MAX_RESPONSE:
        raise RequestError(f"Keep your note under {MAX_RESPONSE:,} characters (it has {len(message):,}).",
                           field="message")
    return message


def accept_request(request_id: int, mentor_id: int, message: str | None = "") -> MentorRequest:
    """Accept a pending request: the mentorship begins, and in a one-to-one program the student's other
    pending requests there are withdrawn, with a word to those mentors."""
    message = _response(message)
    record = _mentors_request(request_id, mentor_id)
    lock_users([record.mentee_id, record.mentor_id])
    hold_mentor_profile(mentor_id)
    record = _mentors_request(request_id, mentor_id, lock=True)  # as it is now that nobody else can change it
    if record.status != RequestStatus.PENDING:
        raise already_closed(record)
    program = db.session.scalar(select(Program).where(Program.id == record.program_id))
    mentee = db.session.scalar(select(User).where(User.id == record.mentee_id))
    mentor = db.session.scalar(select(User).where(User.id == mentor_id))
    now = utcnow()
    record.status = RequestStatus.ACCEPTED
    record.answered_at = record.closed_at = now
    record.response_message = message
    # The request held its place until now; from here the mentorship holds it instead, so it is not counted twice.
    db.session.flush()
    if free_capacities(program, [mentor_id]).get(mentor_id, 1) <= 0:
        raise RequestError("You have no free spot for another mentee. Raise your capacity in your profile, "
                           "or decline this request.")
    try:
        mentorship = create_mentorship(program, mentor_id, [mentee.id], MentorshipOrigin.REQUEST, mentor_id,
                                       note="Requested by the student; accepted by the mentor")
    except MentorshipError as error:
        raise RequestError(str(error)) from error
    record.mentorship_id = mentorship.id
    if program.format == ProgramFormat.ONE_TO_ONE:
        withdraw_pending_requests(program, [mentee.id], keep_id=record.id)
    note = f"\n\nTheir note to you: “{message}”" if message else ""
    notify(mentee.id, "request_accepted", f"{mentor.name} accepted your request",
           f"{mentor.first_name} will mentor you in {program.name}: your mentorship has begun.{note}\n\n"
           "Say hello, agree how often you'll meet, and bring your goals to the first meeting.",
           request_path(record.id), institution_id=record.institution_id)
    notify(mentor_id, "mentorship_started", f"You're now mentoring {mentee.name}",
           f"Your mentorship with {mentee.first_name} in {program.name} has begun. In a first meeting, agree how "
           f"often you'll meet and write down {mentee.first_name}'s goals together.",
           request_path(record.id), institution_id=record.institution_id)
    db.session.flush()
    return record


def withdraw_pending_requests(program: Program, mentee_ids: Iterable[int], *, keep_id: int | None = None) -> int:
    """Withdraw these mentees' pending requests in the program (they have a mentor now), thanking those mentors."""
    from portal.mentorships.queries import _chunks

    now, withdrawn = utcnow(), 0
    for chunk in _chunks(mentee_ids):
        pending = list(db.session.scalars(
            select(MentorRequest).where(MentorRequest.mentee_id.in_(chunk), MentorRequest.program_id == program.id,
                                        MentorRequest.status == RequestStatus.PENDING, MentorRequest.id != keep_id)
            .order_by(MentorRequest.id).with_for_update()))
        mentees = {user.id: user for user in db.session.scalars(
            select(User).where(User.id.in_({other.mentee_id for other in pending})))}
        for other in pending:
            mentee = mentees[other.mentee_id]
            other.status = RequestStatus.WITHDRAWN
            other.closed_at = now
            other.close_note = f"{mentee.first_name} found a mentor in {program.name}."
            notify(other.mentor_id, "request_withdrawn", f"{mentee.name} has found a mentor",
                   f"{mentee.first_name} has been matched with a mentor in {program.name}, so their request "
                   "to you is withdrawn. Thank you for considering it; the spot it held is free again.",
                   request_path(other.id), institution_id=other.institution_id)
            withdrawn += 1
    db.session.flush()
    return withdrawn


def decline_request(request_id: int, mentor_id: int, reason: DeclineReason | str | None,
                    message: str | None = "") -> MentorRequest:
    """Decline a pending request with a reason (and an optional note); the student is told both."""
    try:
        reason = DeclineReason(reason)
    except ValueError:
        raise RequestError("Choose why you're declining, so the student understands.", field="reason") from None
    message = _response(message)
    record = _mentors_request(request_id, mentor_id)
    now = utcnow()
    changed = db.session.execute(
        update(MentorRequest)
        .where(MentorRequest.id == record.id, MentorRequest.status == RequestStatus.PENDING)
        .values(status=RequestStatus.DECLINED, decline_reason=reason, response_message=message, answered_at=now,
                closed_at=now, updated_at=now)
        .execution_options(synchronize_session="fetch")).rowcount
    record = _mentors_request(request_id, mentor_id)
    if not changed:
        raise already_closed(record)
    mentor = db.session.scalar(select(User).where(User.id == mentor_id))
    program = db.session.scalar(select(Program).where(Program.id == record.program_id))
    note = f"\n\n{mentor.first_name}'s note: “{message}”" if message else ""
    notify(record.mentee_id, "request_declined", f"{mentor.name} declined your request",
           f"{mentor.first_name} can't mentor you in {program.name}. Their reason: {reason.label.lower()}.{note}\n\n"
           "Other mentors may be a good fit: have another look in the directory.",
           request_path(record.id), institution_id=record.institution_id)
    return record
