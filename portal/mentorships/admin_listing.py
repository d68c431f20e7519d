"""What admins read across their programs: mentorships and requests, filtered and a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    MentorRequest, Mentorship, MentorshipParticipant, MentorshipStatus, ParticipantRole, Program, RequestStatus,
    User, utcnow,
)
from portal.paging import Page, page_of

PER_PAGE = 25
# "Older than" filters, in days: what an office checks on (a week without an answer, a month, a term).
AGES = (7, 14, 30, 90)


@dataclass
class Filters:
    status: str = ""
    program_id: int | None = None
    older_than_days: int | None = None
    query: str = ""

    @property
    def any(self) -> bool:
        return bool(self.status or self.program_id or self.older_than_days or self.query)


@dataclass
class MentorshipRow:
    mentorship: Mentorship
    mentor: User | None
    mentees: list[User]


def _status_program_age(filters: Filters, model, statuses, dated_by) -> list:
    """Return the conditions both lists share: status, program, and older than (by the `dated_by` column)."""
    conditions = []
    if filters.status:
        conditions.append(model.status == statuses(filters.status))
    if filters.program_id:
        conditions.append(model.program_id == filters.program_id)
    if filters.older_than_days:
        conditions.append(dated_by < utcnow() - timedelta(days=filters.older_than_days))
    return conditions


def _people_matching(text: str):
    pattern = f"%{text.lower()}%"
    full_name = func.lower(User.first_name + " " + User.last_name)
    return select(User.id).where(or_(func.lower(User.email).like(pattern), full_name.like(pattern)))


def mentorships_page(filters: Filters, number: int = 1) -> Page:
    """Return one page of the institution's mentorships, newest first, with their people loaded."""
    conditions = _status_program_age(filters, Mentorship, MentorshipStatus, Mentorship.started_at)
    if filters.query:
        conditions.append(Mentorship.id.in_(select(MentorshipParticipant.mentorship_id).where(
            MentorshipParticipant.user_id.in_(_people_matching(filters.query)))))
    query = (select(Mentorship).where(*conditions)
             .options(selectinload(Mentorship.program),
                      selectinload(Mentorship.participants).selectinload(MentorshipParticipant.user))
             .order_by(Mentorship.started_at.desc(), Mentorship.id.desc()))
    page = page_of(query, select(func.count(Mentorship.id)).where(*conditions), number, PER_PAGE)
    rows = []
    for mentorship in page.items:
        people = sorted(mentorship.participants, key=lambda p: (p.user.last_name, p.user.first_name))
        mentor = next((p.user for p in people if p.role == ParticipantRole.MENTOR), None)
        rows.append(MentorshipRow(mentorship, mentor, [p.user for p in people if p.role == ParticipantRole.MENTEE]))
    page.items = rows
    return page


def requests_page(filters: Filters, number: int = 1) -> Page:
    """Return one page of the institution's mentor requests, newest first, with both people loaded."""
    conditions = _status_program_age(filters, MentorRequest, RequestStatus, MentorRequest.created_at)
    if filters.query:
        people = _people_matching(filters.query)
        conditions.append(or_(MentorRequest.mentee_id.in_(people), MentorRequest.mentor_id.in_(people)))
    query = (select(MentorRequest).where(*conditions)
             .options(selectinload(MentorRequest.mentee), selectinload(MentorRequest.mentor))
             .order_by(MentorRequest.created_at.desc(), MentorRequest.id.desc()))
    return page_of(query, select(func.count(MentorRequest.id)).where(*conditions), number, PER_PAGE)


def request_status_counts(program_id: int | None = None) -> dict[RequestStatus, int]:
    """Return how many requests are in each state (in one program, or all)."""
    query = select(MentorRequest.status, func.count(MentorRequest.id)).group_by(MentorRequest.status)
    if program_id:
        query = query.where(MentorRequest.program_id == program_id)
    found = dict(db.session.execute(query).all())
    return {status: found.get(status, 0) for status in RequestStatus}


def pending_older_than(days: int, program_id: int | None = None) -> int:
    """Return how many requests have waited for an answer longer than `days`."""
    query = select(func.count(MentorRequest.id)).where(
        MentorRequest.status == RequestStatus.PENDING, MentorRequest.created_at < utcnow() - timedelta(days=days))
    if program_id:
        query = query.where(MentorRequest.program_id == program_id)
    return db.session.scalar(query) or 0


def mentorship_status_counts(program_id: int | None = None) -> dict[MentorshipStatus, int]:
    """Return how many mentorships are in each state (in one program, or all)."""
    query = select(Mentorship.status, func.count(Mentorship.id)).group_by(Mentorship.status)
    if program_id:
        query = query.where(Mentorship.program_id == program_id)
    found = dict(db.session.execute(query).all())
    return {status: found.get(status, 0) for status in MentorshipStatus}


def programs_for_filters() -> list[Program]:
    """Return the institution's programs by name, for the filter menus."""
    return list(db.session.scalars(select(Program).order_by(Program.name, Program.id)))
