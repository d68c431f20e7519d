"""Reading mentorships: places taken and free capacity, pairs that exist or existed, a person's mentorships."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased, selectinload

from portal.extensions import db
from portal.models import (
    Enrollment, EnrollmentRole, EnrollmentStatus, Mentorship, MentorRequest, MentorshipParticipant, MentorshipStatus,
    ParticipantRole, Profile, Program, RequestStatus,
)

_CHUNK = 900  # ids per IN (...) list, under SQLite's parameter limit


def capacity_of(profile_capacity: int | None, program: Program) -> int:
    """Return how many mentees a mentor takes at a time: their own number, or the program's default."""
    return profile_capacity or program.default_capacity


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(set(ids))
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def places_taken(mentor_ids: Iterable[int] | None = None, *, among=None) -> dict[int, int]:
    """Return {mentor id: places taken}: mentees in their active mentorships of any program, plus the
    requests waiting for their answer (a pending request holds a place until it is answered).

    For these mentors, or for those `among` selects (a SELECT of user ids, e.g. one program's
    mentors: cheaper than a long list), or else for every mentor of the institution.
    """
    mentor, mentee = aliased(MentorshipParticipant), aliased(MentorshipParticipant)
    mentees = (select(mentor.user_id, func.count(mentee.id))
               .join(Mentorship, Mentorship.id == mentor.mentorship_id)
               .join(mentee, and_(mentee.mentorship_id == Mentorship.id, mentee.role == ParticipantRole.MENTEE))
               .where(mentor.role == ParticipantRole.MENTOR, Mentorship.status == MentorshipStatus.ACTIVE)
               .group_by(mentor.user_id))
    pending = (select(MentorRequest.mentor_id, func.count(MentorRequest.id))
               .where(MentorRequest.status == RequestStatus.PENDING).group_by(MentorRequest.mentor_id))
    taken: Counter[int] = Counter()
    chunks = [among] if mentor_ids is None else list(_chunks(mentor_ids))
    for chunk in chunks:
        for query, column in ((mentees, mentor.user_id), (pending, MentorRequest.mentor_id)):
            rows = db.session.execute(query if chunk is None else query.where(column.in_(chunk)))
            taken.update(dict(rows.all()))
    return dict(taken)


def free_capacities(program: Program, mentor_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Return {mentor id: places left} for the program's active mentors (or just these).

    Capacity is the mentor's own number or the program's default; every active mentee (any
    program) and every pending request takes a place, so "1 of 3 spots open" means the same
    on every page.
    """
    mentors = (Enrollment.program_id == program.id, Enrollment.role == EnrollmentRole.MENTOR,
               Enrollment.status == EnrollmentStatus.ACTIVE)
    query = (select(Enrollment.user_id, Profile.capacity)
             .outerjoin(Profile, Profile.user_id == Enrollment.user_id).where(*mentors))
    if mentor_ids is None:
        rows = db.session.execute(query).all()
        load = places_taken(among=select(Enrollment.user_id).where(*mentors))  # the program's mentors only
    else:
        rows = [row for chunk in _chunks(mentor_ids)
                for row in db.session.execute(query.where(Enrollment.user_id.in_(chunk)))]
        load = places_taken([user_id for user_id, _capacity in rows])
    return {user_id: max(capacity_of(capacity, program) - load.get(user_id, 0), 0) for user_id, capacity in rows}


def active_mentee_ids(program_id: int) -> set[int]:
    """Return the mentees who are in an active mentorship of the program."""
    return set(db.session.scalars(
        select(MentorshipParticipant.user_id)
        .join(Mentorship, Mentorship.id == MentorshipParticipant.mentorship_id)
        .where(Mentorship.program_id == program_id, Mentorship.status == MentorshipStatus.ACTIVE,
               MentorshipParticipant.role == ParticipantRole.MENTEE)))


def pairs_ever(mentee_ids: Iterable[int] | None = None) -> set[tuple[int, int]]:
    """Return every (mentee id, mentor id) that is or was a mentorship in the institution, any program."""
    mentor, mentee = aliased(MentorshipParticipant), aliased(MentorshipParticipant)
    query = (select(mentee.user_id, mentor.user_id)
             .join(mentor, and_(mentor.mentorship_id == mentee.mentorship_id, mentor.role == ParticipantRole.MENTOR))
             .where(mentee.role == ParticipantRole.MENTEE))
    if mentee_ids is None:
        return {(mentee_id, mentor_id) for mentee_id, mentor_id in db.session.execute(query)}
    return {(mentee_id, mentor_id) for chunk in _chunks(mentee_ids)
            for mentee_id, mentor_id in db.session.execute(query.where(mentee.user_id.in_(chunk)))}


def active_mentorships_of(user_id: int) -> list[Mentorship]:
    """Return the person's active mentorships, newest first, with their participants loaded."""
    mine = select(MentorshipParticipant.mentorship_id).where(MentorshipParticipant.user_id == user_id)
    return list(db.session.scalars(
        select(Mentorship)
        .where(Mentorship.id.in_(mine), Mentorship.status == MentorshipStatus.ACTIVE)
        .options(selectinload(Mentorship.participants).selectinload(MentorshipParticipant.user))
        .order_by(Mentorship.started_at.desc(), Mentorship.id.desc())))
