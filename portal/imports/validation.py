"""Checking each row of a people CSV: every problem found, by row number and column.

A row either becomes a `PersonRow` (clean values, ready to compare with the database) or
produces errors. Warnings never block an import: an unknown column is ignored, a capacity on a
student is ignored (capacity is about how many mentees a mentor takes).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date

from portal.accounts.people import normalise_email
from portal.imports.reading import LIST_COLUMNS, CsvFile, CsvRow, split_list
from portal.models import Profile, Role, User

ERROR = "error"
WARNING = "warning"

# How long each text may be: the database columns' own limits.
TEXT_LIMITS = {
    "email": User.__table__.c.email.type.length,
    "first_name": User.__table__.c.first_name.type.length,
    "last_name": User.__table__.c.last_name.type.length,
    **{name: Profile.__table__.c[name].type.length
       for name in ("degree", "major", "employer", "job_title", "industry", "location")},
    "bio": 4000,
}
TAG_LIMIT = 80
TAGS_PER_LIST = 30
CAPACITY_MAX = 50
EARLIEST_YEAR = 1930
# Where a column's value lands on the profile, when the names differ.
PROFILE_ATTRIBUTES = {"interests": "career_interests"}
PROFILE_COLUMNS = ("graduation_year", "degree", "major", "employer", "job_title", "industry", "location",
                   "skills", "interests", "languages", "capacity", "bio")

_EMAIL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_WHOLE_NUMBER = re.compile(r"^[+]?\d+(?:\.0+)?$")  # spreadsheets write 2 as "2.0"


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem in the file: `row` None means the file as a whole; warnings don't block."""

    row: int | None
    column: str
    message: str
    level: str = ERROR

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class PersonRow:
    """A valid row: the user's fields and the profile fields the file fills in."""

    number: int
    email: str
    role: Role
    user: dict  # first_name, and last_name when given
    profile: dict  # profile attribute -> value, only for cells that were filled in


def validate_rows(csv_file: CsvFile, progress: Callable[[float], None] | None = None
                  ) -> tuple[list[PersonRow], list[Issue]]:
    """Check every row; return the valid people and every issue, errors and warnings."""
    issues = [Issue(None, column, "This column isn't part of the import, so it will be ignored.", WARNING)
              for column in csv_file.ignored_columns]
    people: list[PersonRow] = []
    total = len(csv_file.rows)
    for index, row in enumerate(csv_file.rows, start=1):
        person, row_issues = validate_row(row)
        issues.extend(row_issues)
        if person is not None:
            people.append(person)
        if progress and index % 500 == 0:
            progress(index / total)
    duplicates = _duplicate_issues(csv_file.rows)
    if duplicates:
        issues.extend(duplicates)
        repeated = {issue.row for issue in duplicates}
        people = [person for person in people if person.number not in repeated]
    issues.sort(key=lambda issue: (issue.row or 0, issue.level != ERROR))
    return people, issues


def has_errors(issues: Iterable[Issue]) -> bool:
    """Tell whether any issue blocks the import."""
    return any(issue.level == ERROR for issue in issues)


def validate_row(row: CsvRow) -> tuple[PersonRow | None, list[Issue]]:
    """Check one row; return the person it describes (None when it has errors) and its issues."""
    values, number = row.values, row.number
    issues: list[Issue] = []

    def error(column: str, message: str) -> None:
        issues.append(Issue(number, column, message))

    if row.extra_cells:
        error("", "This row has more values than the header has columns. "
                  "A value that contains a comma must be in double quotes.")
    for column, limit in TEXT_LIMITS.items():
        value = values.get(column, "")
        if len(value) > limit:
            error(column, f"Too long: {len(value)} characters, at most {limit} fit.")

    email = normalise_email(values["email"])
    if not email:
        error("email", "Required: every person needs an email address.")
    elif not _EMAIL.match(email) and len(email) <= TEXT_LIMITS["email"]:
        error("email", f'"{values["email"]}" is not a valid email address.')

    first_name = values["first_name"]
    if not first_name:
        error("first_name", "Required: fill in the person's first name.")

    role = _role(values["role"], error)
    profile: dict = {}
    for column in PROFILE_COLUMNS:
        raw = values.get(column, "")
        if not raw:
            continue  # a blank cell leaves what is stored alone
        attribute = PROFILE_ATTRIBUTES.get(column, column)
        if column in LIST_COLUMNS:
            tags = _tags(raw, column, error)
            if tags is not None:
                profile[attribute] = tags
        elif column == "graduation_year":
            year = _year(raw, error)
            if year is not None:
                profile[attribute] = year
        elif column == "capacity":
            capacity = _capacity(raw, error)
            if capacity is not None and role == Role.STUDENT:
                issues.append(Issue(number, column, "Capacity is for mentors only, so it is ignored for a student.",
                                    WARNING))
            elif capacity is not None:
                profile[attribute] = capacity
        elif len(raw) <= TEXT_LIMITS[column]:
            profile[attribute] = raw

    if any(issue.level == ERROR for issue in issues):
        return None, issues
    user = {"first_name": first_name}
    if values.get("last_name"):
        user["last_name"] = values["last_name"]
    return PersonRow(number, email, role, user, profile), issues


def _role(raw: str, error: Callable[[str, str], None]) -> Role | None:
    value = raw.strip().lower()
    if not value:
        error("role", 'Required: write "mentor" or "student".')
        return None
    if value in (Role.MENTOR, Role.STUDENT):
        return Role(value)
    if value == Role.ADMIN:
        error("role", 'Admins can\'t be added by an import; write "mentor" or "student".')
    else:
        error("role", f'"{raw}" is not a role here; write "mentor" or "student".')
    return None


def _year(raw: str, error: Callable[[str, str], None]) -> int | None:
    latest = date.today().year + 8
    if _WHOLE_NUMBER.match(raw) and EARLIEST_YEAR <= int(float(raw)) <= latest:
        return int(float(raw))
    error("graduation_year", f'"{raw}" is not a graduation year; write a year between {EARLIEST_YEAR} and {latest}, '
                             "e.g. 2019.")
    return None


def _capacity(raw: str, error: Callable[[str, str], None]) -> int | None:
    if _WHOLE_NUMBER.match(raw) and int(float(raw)) <= CAPACITY_MAX:
        return int(float(raw))
    if raw.lstrip().startswith("-") and _WHOLE_NUMBER.match(raw.lstrip()[1:]):
        error("capacity", f'"{raw}" is negative; capacity is how many mentees a mentor takes (0 or more).')
    elif _WHOLE_NUMBER.match(raw):
        error("capacity", f"{raw} mentees is more than anyone can mentor; at most {CAPACITY_MAX}.")
    else:
        error("capacity", f'"{raw}" is not a whole number; write how many mentees, e.g. 2, '
                          "or leave it blank for the program's default.")
    return None


def _tags(raw: str, column: str, error: Callable[[str, str], None]) -> list[str] | None:
    tags = split_list(raw)
    too_long = [tag for tag in tags if len(tag) > TAG_LIMIT]
    if too_long:
        error(column, f'"{too_long[0][:40]}…" is too long for one entry (at most {TAG_LIMIT} characters); '
                      'separate entries with ";".')
        return None
    if len(tags) > TAGS_PER_LIST:
        error(column, f"{len(tags)} entries is too many; at most {TAGS_PER_LIST}.")
        return None
    return tags


def _duplicate_issues(rows: list[CsvRow]) -> list[Issue]:
    by_email: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        email = normalise_email(row.values["email"])
        if email:
            by_email[email].append(row.number)
    issues = []
    for email, numbers in by_email.items():
        if len(numbers) < 2:
            continue
        for number in numbers:
            others = [str(other) for other in numbers if other != number]
            rows_text = ("row " if len(others) == 1 else "rows ") + ", ".join(others)
            issues.append(Issue(number, "email", f"{email} is also in {rows_text}; each person may appear once."))
    return issues
