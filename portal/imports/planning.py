"""Comparing valid rows with the people already in the institution: new, updated, unchanged.

Rows are keyed by email within the institution. Emails are unique across the portal, so an
email held by another institution is an error for that row, and the message says no more than
"already used by another account".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

from sqlalchemy import select

from portal.extensions import db
from portal.imports.validation import ERROR, Issue, PersonRow
from portal.models import Enrollment, Profile, Role, User
from portal.tenancy import unscoped

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
LOOKUP_CHUNK = 1000
COMPARED_PROFILE_FIELDS = ("graduation_year", "degree", "major", "employer", "job_title", "industry", "location",
                           "skills", "career_interests", "languages", "capacity", "bio")


@dataclass(slots=True)
class PlannedPerson:
    """What will happen to one row's person, and which fields change."""

    row: PersonRow
    outcome: str  # new | updated | unchanged
    user_id: int | None = None
    profile_id: int | None = None
    changes: dict = field(default_factory=dict)  # field -> (stored, new), users' and profiles' fields
    enroll: bool = False


@dataclass
class Plan:
    """The people of a file as they will be stored, and the issues that block or warn."""

    people: list[PlannedPerson]
    issues: list[Issue]
    program_id: int | None = None

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.level == ERROR]

    def counts(self) -> dict[str, int]:
        counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0}
        for person in self.people:
            counts[person.outcome] += 1
        counts["enrolled"] = sum(1 for person in self.people if person.enroll)
        counts["errors"] = len(self.errors)
        counts["warnings"] = len(self.issues) - counts["errors"]
        return counts


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def emails_used_elsewhere(institution_id: int, emails: list[str]) -> set[str]:
    """Return which of `emails` belong to accounts of other institutions (nothing else about them)."""
    used: set[str] = set()
    with unscoped():
        for chunk in _chunks(emails):
            used.update(db.session.scalars(
                select(User.email).where(User.email.in_(chunk), User.institution_id != institution_id)))
    return used


def existing_people(emails: list[str]) -> dict[str, SimpleNamespace]:
    """Return the institution's people with these emails: their user and profile fields."""
    found: dict[str, SimpleNamespace] = {}
    # Two indexed lookups rather than a join: right after a big import the planner's statistics
    # are stale, and it would pick a nested loop over the whole profiles table.
    for chunk in _chunks(emails):
        users = db.session.execute(select(User.id.label("user_id"), User.email, User.role, User.first_name,
                                          User.last_name).where(User.email.in_(chunk))).all()
        profiles = {row.user_id: row for row in db.session.execute(
            select(Profile.id.label("profile_id"), Profile.user_id,
                   *(getattr(Profile, name) for name in COMPARED_PROFILE_FIELDS))
            .where(Profile.user_id.in_([user.user_id for user in users])))}
        for user in users:
            profile = profiles.get(user.user_id)
            fields = {name: getattr(profile, name) if profile else None for name in COMPARED_PROFILE_FIELDS}
            found[user.email] = SimpleNamespace(**user._asdict(), profile_id=profile.profile_id if profile else None,
                                                **fields)
    return found


def plan_import(institution_id: int, rows: list[PersonRow], issues: Iterable[Issue], program_id: int | None = None,
                progress: Callable[[float], None] | None = None) -> Plan:
    """Compare valid rows with the stored people; add the errors only the database can reveal."""
    issues = list(issues)
    emails = [row.email for row in rows]
    elsewhere = emails_used_elsewhere(institution_id, emails)
    if progress:
        progress(0.3)
    stored = existing_people(emails)
    if progress:
        progress(0.8)
    enrolled: set[int] = set()
    if program_id is not None:
        enrolled = set(db.session.scalars(select(Enrollment.user_id).where(Enrollment.program_id == program_id)))
    people: list[PlannedPerson] = []
    for row in rows:
        if row.email in elsewhere:
            issues.append(Issue(row.number, "email", f"{row.email} is already used by another account."))
            continue
        match = stored.get(row.email)
        if match is None:
            people.append(PlannedPerson(row, NEW, enroll=program_id is not None))
            continue
        problem = _role_problem(match, row)
        if problem:
            issues.append(Issue(row.number, "role", problem))
            continue
        changes = compare(row, match)
        people.append(PlannedPerson(row, UPDATED if changes else UNCHANGED, match.user_id, match.profile_id,
                                    changes, enroll=program_id is not None and match.user_id not in enrolled))
    issues.sort(key=lambda issue: (issue.row or 0, issue.level != ERROR))
    return Plan(people, issues, program_id)


def _role_problem(user: SimpleNamespace, row: PersonRow) -> str | None:
    if user.role == Role.ADMIN:
        return f"{user.email} is an admin here; an import can't change an admin's account."
    if user.role != row.role:
        return (f"{user.email} is already here as a {user.role.value}; an import doesn't change someone's role "
                f'(the file says "{row.role.value}").')
    return None


def compare(row: PersonRow, stored: SimpleNamespace) -> dict:
    """Return {field: (stored, new)} for each field the row changes."""
    changes = {}
    for name, value in (*row.user.items(), *row.profile.items()):
        current = getattr(stored, name)
        if current != value:
            changes[name] = (current, value)
    return changes
