"""Asking a mentor: the rules a request must meet, making one, and withdrawing it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.mentorships.creating import lock_users
from portal.mentorships.queries import active_mentee_ids, free_capacities, pairs_ever
from portal.models import (
    Enrollment, EnrollmentRole, EnrollmentStatus, MentorRequest, Profile, Program, ProgramFormat, ProgramStatus,
    RequestStatus, Role, User, UserStatus, utcnow,
)
from portal.notifications import notify
from portal.requests import INBOX_PATH, RequestError, request_path

MIN_MESSAGE, MAX_MESSAGE = 30, 2000
EXCERPT = 300  # characters of the student's message quoted in the mentor's notification


@dataclass
class RequestOptions:
    """What a student may do about one mentor: the programs they could ask in now, or why they can't."""

    mentor: User
    programs: list[Program] = field(default_factory=list)  # where a request could be made now
    pending: MentorRequest | None = None  # the student's request waiting for this mentor's answer
    problem: str | None = None  # why no request can be made now (when `programs` is empty)

    @property
    def can_ask(self) -> bool:
        return bool(self.programs)


def _user(user_id: int) -> User | None:
    return db.session.scalar(select(User).where(User.id == user_id))


def _enrolled_as(program_id: int, user_id: int) -> EnrollmentRole | None:
    return db.session.scalar(select(Enrollment.role).where(
        Enrollment.program_id == program_id, Enrollment.user_id == user_id,
        Enrollment.status == EnrollmentStatus.ACTIVE))


def _pending_between(student_id: int, mentor_id: int) -> MentorRequest | None:
    return db.session.scalar(select(MentorRequest).where(
        MentorRequest.mentee_id == student_id, MentorRequest.mentor_id == mentor_id,
        MentorRequest.status == RequestStatus.PENDING))


def hold_mentor_profile(mentor_id: int) -> None:
    """Share-lock the mentor's profile until commit: a change to their capacity or to whether they take
    requests waits for this request (or answer) to be made, and one made before it is seen."""
    db.session.execute(select(Profile.id).where(Profile.user_id == mentor_id).with_for_update(read=True))


def open_request_count(student_id: int, program_id: int) -> int:
    """Return how many of the student's requests in the program wait for an answer."""
    return db.session.scalar(select(func.count(MentorRequest.id)).where(
        MentorRequest.mentee_id == student_id, MentorRequest.program_id == program_id,
        MentorRequest.status == RequestStatus.PENDING)) or 0


def _problem(student: User, mentor: User, program: Program) -> str | None:
    """Return why `student` can't ask `mentor` in `program` now, as a sentence to them; None if they can."""
    first = mentor.first_name
    if student.role != Role.STUDENT:
        return "Only students can ask a mentor."
    if program.status != ProgramStatus.OPEN:
        return f"{program.name} is not open, so it takes no requests."
    if program.format == ProgramFormat.FLASH:
        return f"{program.name} runs one-off sessions, so its mentors are not requested."
    if _enrolled_as(program.id, student.id) != EnrollmentRole.MENTEE:
        return f"Join {program.name} as a mentee before asking one of its mentors."
    if (mentor.role != Role.MENTOR or mentor.status != UserStatus.ACTIVE
            or _enrolled_as(program.id, mentor.id) != EnrollmentRole.MENTOR):
        return f"{mentor.name} is not a mentor in {program.name}."
    if _pending_between(student.id, mentor.id) is not None:
        return f"You've already asked {first}; your request is waiting for their answer."
    if (student.id, mentor.id) in pairs_ever([student.id]):
        return f"You and {first} are, or were, paired already, so you can't ask again."
    if program.format == ProgramFormat.ONE_TO_ONE and student.id in active_mentee_ids(program.id):
        return f"You already have a mentor in {program.name}."
    accepting = db.session.scalar(select(Profile.accepting_requests).where(Profile.user_id == mentor.id))
    if not accepting:
        return f"{first} isn't taking new requests right now."
    waiting = open_request_count(student.id, program.id)
    if waiting >= program.max_open_requests:
        return (f"You have {waiting} {'request' if waiting == 1 else 'requests'} waiting for an answer in "
                f"{program.name}, the most it allows. Withdraw one, or wait for an answer.")
    if free_capacities(program, [mentor.id]).get(mentor.id, 0) <= 0:
        return f"{first} has no free spot right now. Try another mentor, or ask {first} again when a spot opens."
    return None


def shared_programs(student_id: int, mentor_id: int) -> list[Program]:
    """Return the open programs where the student is a mentee and the mentor a mentor, by name."""
    mentor_in = select(Enrollment.program_id).where(
        Enrollment.user_id == mentor_id, Enrollment.role == EnrollmentRole.MENTOR,
        Enrollment.status == EnrollmentStatus.ACTIVE)
    return list(db.session.scalars(
        select(Program).join(Enrollment, Enrollment.program_id == Program.id)
        .where(Enrollment.user_id == student_id, Enrollment.role == EnrollmentRole.MENTEE,
               Enrollment.status == EnrollmentStatus.ACTIVE, Program.status == ProgramStatus.OPEN,
               Program.id.in_(mentor_in))
        .order_by(Program.name, Program.id)))


def request_options(student_id: int, mentor_id: int) -> RequestOptions | None:
    """Return what the student may do about this mentor (None if there is no such mentor)."""
    student, mentor = _user(student_id), _user(mentor_id)
    if student is None or mentor is None:
        return None
    options = RequestOptions(mentor=mentor, pending=_pending_between(student_id, mentor_id))
    if student_id == mentor_id:
        options.problem = "You can't ask yourself to be your mentor."
        return options
    problems = []
    for program in shared_programs(student_id, mentor_id):
        problem = _problem(student, mentor, program)
        if problem is None:
            options.programs.append(program)
        else:
            problems.append(problem)
    if not options.programs:
        options.problem = problems[0] if problems else f"You and {mentor.first_name} share no open program."
    return options


def check_message(message: str | None) -> str:
    """Return the message, trimmed, or raise RequestError saying what it needs."""
    message = (message or "").strip()
    if not message:
        raise RequestError("Write a short message: your goals and what you hope to learn.", field="message")
    if len(message) < MIN_MESSAGE:
        raise RequestError(f"Say a little more (at least {MIN_MESSAGE} characters): your goals and what you hope "
                           "to learn from this mentor.", field="message")
    if len(message) > MAX_MESSAGE:
        raise RequestError(f"Keep your message under {MAX_MESSAGE:,} characters (it has {len(message):,}).",
                           field="message")
    return message


def request_mentor(student_id: int, mentor_id: int, program_id: int, message: str | None) -> MentorRequest:
    """Ask a mentor to take the student on in a program; raise RequestError if a rule says no."""
    message = check_message(message)
    if student_id == mentor_id:
        raise RequestError("You can't ask yourself to be your mentor.")
    lock_users([student_id, mentor_id])  # then count: nobody else can take this mentor's last place meanwhile
    hold_mentor_profile(mentor_id)
    student, mentor = _user(student_id), _user(mentor_id)
    program = db.session.scalar(select(Program).where(Program.id == program_id))
    if student is None or mentor is None:
        raise RequestError("That mentor was not found.")
    if program is None:
        raise RequestError("Choose one of your programs.", field="program")
    problem = _problem(student, mentor, program)
    if problem:
        raise RequestError(problem)
    now = utcnow()
    record = MentorRequest(institution_id=program.institution_id, program_id=program.id, mentee_id=student.id,
                           mentor_id=mentor.id, message=message, status=RequestStatus.PENDING,
                           expires_at=now + timedelta(days=program.request_expiry_days), created_at=now,
                           updated_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:  # the unique index on pending pairs, should a writer ever skip the lock
        raise RequestError(f"You've already asked {mentor.first_name}; your request is waiting for their answer.")
    quoted = message if len(message) <= EXCERPT else message[:EXCERPT].rstrip() + "…"
    notify(mentor.id, "request_received", f"{student.name} asked you to be their mentor",
           f"{student.name} would like you to mentor them in {program.name}:\n\n“{quoted}”\n\n"
           f"Accept or decline in your requests. The request holds one of your spots until you answer, "
           f"and expires in {program.request_expiry_days} days.",
           request_path(record.id), institution_id=program.institution_id)
    return record


ALREADY = {RequestStatus.ACCEPTED: "accepted", RequestStatus.DECLINED: "declined",
           RequestStatus.WITHDRAWN: "withdrawn", RequestStatus.EXPIRED: "expired"}


def already_closed(record: MentorRequest) -> RequestError:
    """Return the error for acting on a request that is no longer waiting for an answer."""
    return RequestError(f"This request has already been {ALREADY.get(record.status, 'answered')}.")


def withdraw_request(request_id: int, student_id: int) -> MentorRequest:
    """Withdraw the student's pending request and tell the mentor; the spot it held is free again."""
    now = utcnow()
    changed = db.session.execute(
        update(MentorRequest)
        .where(MentorRequest.id == request_id, MentorRequest.mentee_id == student_id,
               MentorRequest.status == RequestStatus.PENDING)
        .values(status=RequestStatus.WITHDRAWN, closed_at=now, updated_at=now)
        .execution_options(synchronize_session="fetch")).rowcount
    record = db.session.scalar(select(MentorRequest).where(MentorRequest.id == request_id)
                               .execution_options(populate_existing=True))
    if record is None or record.mentee_id != student_id:
        raise RequestError("That request was not found.")
    if not changed:
        raise already_closed(record)
    student = _user(student_id)
    program = db.session.get(Program, record.program_id)
    notify(record.mentor_id, "request_withdrawn", f"{student.name} withdrew their request",
           f"{student.first_name} no longer needs an answer to their request in {program.name}. "
           "The spot it held is free again.", INBOX_PATH, institution_id=record.institution_id)
    return record
