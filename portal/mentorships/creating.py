"""Making mentorships: within each mentor's capacity, never the same pair twice, with a history."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import select, text

from portal.extensions import db
from portal.mentorships import MentorshipError
from portal.mentorships.queries import _chunks, active_mentee_ids, free_capacities, pairs_ever
from portal.models import (
    Enrollment, EnrollmentRole, EnrollmentStatus, Mentorship, MentorshipEvent, MentorshipOrigin,
    MentorshipParticipant, MentorshipStatus, ParticipantRole, Program, ProgramFormat, User, UserStatus, utcnow,
)

Group = tuple[int, Sequence[int]]  # (mentor id, mentee ids)
MAX_PROBLEMS_LISTED = 50


def lock_users(user_ids: Iterable[int]) -> None:
    """Hold these people's `users` rows until commit, taken in ascending id order.

    Whoever changes a mentor's places (a request, an answer, a published match) takes this lock
    first, then counts, then writes: two writers can't both take a mentor's last place, and the
    one order means two of them never wait on each other in a circle. SQLite has no row locks,
    so there a no-op UPDATE takes the database's write lock at once instead of at the first write.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return
    if db.session.get_bind().dialect.name == "sqlite":
        for chunk in _chunks(ids):
            db.session.execute(text(f"UPDATE users SET status = status WHERE id IN ({', '.join(map(str, chunk))})"))
        return
    for chunk in _chunks(ids):
        db.session.execute(select(User.id).where(User.id.in_(chunk)).order_by(User.id).with_for_update())


def _lock_mentors(program_id: int, mentor_ids: set[int]) -> None:
    """Hold the mentors' `users` rows until commit (see `lock_users`): requests lock the same rows."""
    lock_users(mentor_ids)


def _participants(program_id: int, user_ids: set[int]) -> dict[int, tuple[User, EnrollmentRole | None]]:
    """Return {user id: (user, their active role in the program or None)}."""
    found: dict[int, tuple[User, EnrollmentRole | None]] = {}
    for chunk in _chunks(user_ids):
        for user in db.session.scalars(select(User).where(User.id.in_(chunk))):
            found[user.id] = (user, None)
        rows = db.session.execute(select(Enrollment.user_id, Enrollment.role).where(
            Enrollment.program_id == program_id, Enrollment.status == EnrollmentStatus.ACTIVE,
            Enrollment.user_id.in_(chunk)))
        for user_id, role in rows:
            if user_id in found:
                found[user_id] = (found[user_id][0], role)
    return found


def _problems(program: Program, groups: Sequence[Group]) -> list[str]:
    """Return every reason these mentorships can't be made, as sentences; none means they can."""
    one_to_one = program.format == ProgramFormat.ONE_TO_ONE
    mentor_ids = {mentor_id for mentor_id, _ in groups}
    mentee_ids = {mentee_id for _, mentees in groups for mentee_id in mentees}
    people = _participants(program.id, mentor_ids | mentee_ids)
    name = {user_id: user.name for user_id, (user, _) in people.items()}.get
    free = free_capacities(program, mentor_ids)
    existing = pairs_ever(mentee_ids)
    busy = active_mentee_ids(program.id) if one_to_one else set()
    problems, seen_mentees, seen_pairs = [], Counter(), set()
    wanted = Counter()
    for mentor_id, mentees in groups:
        user, role = people.get(mentor_id, (None, None))
        if user is None or role != EnrollmentRole.MENTOR:
            problems.append(f"{name(mentor_id, 'Someone')} is not a mentor in {program.name}.")
        elif user.status == UserStatus.DEACTIVATED:
            problems.append(f"{user.name}'s account is deactivated.")
        if not mentees:
            problems.append("A mentorship needs at least one mentee.")
        if one_to_one and len(mentees) > 1:
            problems.append(f"{program.name} pairs one mentee with one mentor.")
        wanted[mentor_id] += len(mentees)
        for mentee_id in mentees:
            mentee, mentee_role = people.get(mentee_id, (None, None))
            if mentee is None or mentee_role != EnrollmentRole.MENTEE:
                problems.append(f"{name(mentee_id, 'Someone')} is not a mentee in {program.name}.")
                continue
            if mentee.status == UserStatus.DEACTIVATED:
                problems.append(f"{mentee.name}'s account is deactivated.")
            pair = (mentee_id, mentor_id)
            if pair in existing or pair in seen_pairs:
                problems.append(f"{mentee.name} and {name(mentor_id, 'this mentor')} are, or were, paired already.")
            seen_pairs.add(pair)
            seen_mentees[mentee_id] += 1
            if one_to_one and (mentee_id in busy or seen_mentees[mentee_id] == 2):
                problems.append(f"{mentee.name} already has a mentor in {program.name}.")
    for mentor_id, count in wanted.items():
        if mentor_id in free and count > free[mentor_id]:
            places = free[mentor_id]
            if places == 0:
                problems.append(f"{name(mentor_id)} has no room for another mentee (capacity reached).")
            else:
                problems.append(f"{name(mentor_id)} has room for {places} more "
                                f"{'mentee' if places == 1 else 'mentees'}, not {count}.")
    return problems


def create_mentorships(program: Program, groups: Sequence[Group], origin: MentorshipOrigin | str,
                       actor_id: int | None, *, match_run_id: int | None = None, note: str = "") -> list[Mentorship]:
    """Make these mentorships, all of them or none; raise MentorshipError listing every problem."""
    if program.format == ProgramFormat.FLASH:
        raise MentorshipError(f"{program.name} runs one-off sessions, so it has no long-term mentorships.")
    _lock_mentors(program.id, {mentor_id for mentor_id, _ in groups})
    problems = _problems(program, groups)
    if problems:
        shown = problems[:MAX_PROBLEMS_LISTED]
        more = len(problems) - len(shown)
        summary = (problems[0] if len(problems) == 1 else
                   f"{len(problems)} mentorships can't be made as asked" + (f" (the first {len(shown)} are listed)"
                                                                            if more else "") + ".")
        raise MentorshipError(summary, shown)
    origin, now = MentorshipOrigin(origin), utcnow()
    made = []
    for mentor_id, mentees in groups:
        participants = [MentorshipParticipant(institution_id=program.institution_id, user_id=mentor_id,
                                              role=ParticipantRole.MENTOR)]
        participants += [MentorshipParticipant(institution_id=program.institution_id, user_id=mentee_id,
                                               role=ParticipantRole.MENTEE) for mentee_id in mentees]
        mentorship = Mentorship(
            institution_id=program.institution_id, program_id=program.id, status=MentorshipStatus.ACTIVE,
            origin=origin, match_run_id=match_run_id, started_at=now, participants=participants,
            events=[MentorshipEvent(institution_id=program.institution_id, actor_id=actor_id, kind="created",
                                    note=note, created_at=now)])
        made.append(mentorship)
    db.session.add_all(made)
    db.session.flush()
    return made


def create_mentorship(program: Program, mentor_id: int, mentee_ids: Sequence[int], origin: MentorshipOrigin | str,
                      actor_id: int | None, *, match_run_id: int | None = None, note: str = "") -> Mentorship:
    """Make one mentorship (one mentor, their mentees); raise MentorshipError if it can't be made."""
    return create_mentorships(program, [(mentor_id, list(mentee_ids))], origin, actor_id,
                              match_run_id=match_run_id, note=note)[0]
