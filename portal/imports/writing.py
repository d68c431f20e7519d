"""Writing a checked plan: bulk inserts and updates inside the caller's transaction.

Nothing here commits. The caller (a view, the CLI or a job) commits once everything is
written, or rolls back, so a file is imported whole or not at all. New people are invited
(no password, no mail: invitations are sent separately) and get a profile filled from the row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import insert, update

from portal.extensions import db
from portal.imports.planning import NEW, UPDATED, Plan, PlannedPerson
from portal.matching import VOCABULARY_VERSION
from portal.profiles.canonical import MATCHING_FIELDS, canonical_tags_of, refresh_canonical_tags
from portal.models import Enrollment, Institution, Profile, Role, User, UserStatus, utcnow
from portal.models.programs import EnrollmentRole, EnrollmentSource

WRITE_CHUNK = 1000
USER_FIELDS = ("first_name", "last_name")


def _chunks(items: list, size: int = WRITE_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def write_plan(institution: Institution, plan: Plan, progress: Callable[[float], None] | None = None) -> dict:
    """Write every person of `plan` (which must have no errors); return the counts."""
    if plan.errors:
        raise ValueError("a plan with errors can't be written")
    new = [person for person in plan.people if person.outcome == NEW]
    updated = [person for person in plan.people if person.outcome == UPDATED]
    steps = max(1, len(new) // WRITE_CHUNK + 1) + 2
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(min(done / steps, 1.0))

    for chunk in _chunks(new):
        _insert_people(institution, chunk)
        step()
    _update_people(institution, updated)
    refresh_canonical_tags(person.user_id for person in updated
                           if any(name in MATCHING_FIELDS for name in person.changes))
    step()
    if plan.program_id is not None:
        _enroll(institution.id, plan.program_id, [person for person in plan.people if person.enroll])
    step()
    db.session.flush()
    return plan.counts()


def _insert_people(institution: Institution, people: list[PlannedPerson]) -> None:
    users = [{"institution_id": institution.id, "email": person.row.email, "role": person.row.role,
              "status": UserStatus.INVITED, "timezone": institution.timezone, "last_name": "",
              **person.row.user} for person in people]
    ids = db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), users).all()
    profiles = []
    for person, user_id in zip(people, ids, strict=True):
        person.user_id = user_id
        profiles.append(_profile_values(institution.id, user_id, person.row.profile))
    db.session.execute(insert(Profile), profiles)


def _profile_values(institution_id: int, user_id: int, values: dict) -> dict:
    # Every key in every row, so one executemany covers the whole chunk.
    return {"institution_id": institution_id, "user_id": user_id, "headline": "", "bio": "",
            "graduation_year": None, "degree": "", "major": "", "employer": "", "job_title": "", "industry": "",
            "location": "", "languages": [], "skills": [], "career_interests": [], "mentoring_topics": [],
            "capacity": None, "accepting_requests": True, "meeting_preferences": "", "affinity": {},
            "canonical_tags": canonical_tags_of(values), "canonical_version": VOCABULARY_VERSION, **values}


def _update_people(institution: Institution, people: list[PlannedPerson]) -> None:
    now = utcnow()
    missing_profiles = []
    for chunk in _chunks(people):
        users, profiles = [], []
        for person in chunk:
            user_changes = {name: new for name, (_, new) in person.changes.items() if name in USER_FIELDS}
            profile_changes = {name: new for name, (_, new) in person.changes.items() if name not in USER_FIELDS}
            if user_changes:
                users.append({"id": person.user_id, "updated_at": now, **user_changes})
            if profile_changes and person.profile_id is None:
                missing_profiles.append(_profile_values(institution.id, person.user_id, person.row.profile))
            elif profile_changes:
                profiles.append({"id": person.profile_id, "updated_at": now, **profile_changes})
        # Bulk updates by primary key: rows of the same shape go in one executemany.
        for shape in _by_shape(users):
            db.session.execute(update(User), shape)
        for shape in _by_shape(profiles):
            db.session.execute(update(Profile), shape)
    if missing_profiles:
        db.session.execute(insert(Profile), missing_profiles)


def _by_shape(rows: list[dict]) -> list[list[dict]]:
    shapes: dict[tuple, list[dict]] = {}
    for row in rows:
        shapes.setdefault(tuple(sorted(row)), []).append(row)
    return list(shapes.values())


def _enroll(institution_id: int, program_id: int, people: list[PlannedPerson]) -> None:
    rows = [{"institution_id": institution_id, "program_id": program_id, "user_id": person.user_id,
             "role": EnrollmentRole.MENTOR if person.row.role == Role.MENTOR else EnrollmentRole.MENTEE,
             "source": EnrollmentSource.IMPORT, "answers": {}} for person in people]
    for chunk in _chunks(rows):
        db.session.execute(insert(Enrollment), chunk)
