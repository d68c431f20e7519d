"""What the preview page shows: a page of rows as they will be stored, and the issues as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from portal.imports.planning import NEW, UNCHANGED, UPDATED, compare, existing_people
from portal.imports.reading import COLUMNS, parse_people_csv
from portal.imports.validation import ERROR, validate_row
from portal.models import PeopleImport

PAGE_SIZE = 50
LABELS = {
    "email": "Email", "first_name": "First name", "last_name": "Last name", "role": "Role",
    "graduation_year": "Graduation year", "degree": "Degree", "major": "Major", "employer": "Employer",
    "job_title": "Job title", "industry": "Industry", "location": "Location", "skills": "Skills",
    "interests": "Interests", "career_interests": "Interests", "languages": "Languages", "capacity": "Capacity",
    "bio": "Bio",
}


@dataclass
class PreviewRow:
    """One row of the file as the preview shows it."""

    number: int
    outcome: str  # new | updated | unchanged | error
    values: dict  # column -> value as it will be stored (lists as lists)
    changes: list[tuple[str, object, object]] = field(default_factory=list)  # (label, stored, new)
    issues: list[dict] = field(default_factory=list)


@dataclass
class PreviewPage:
    rows: list[PreviewRow]
    page: int
    pages: int
    total: int


def issues_by_row(record: PeopleImport) -> dict[int | None, list[dict]]:
    """Group the import's issues by row number (None for the file as a whole)."""
    grouped: dict[int | None, list[dict]] = {}
    for issue in record.errors or []:
        grouped.setdefault(issue.get("row"), []).append(issue)
    return grouped


def preview_page(record: PeopleImport, page: int = 1, page_size: int = PAGE_SIZE) -> PreviewPage:
    """Return one page of the file's rows with what will happen to each person."""
    rows = parse_people_csv(record.content).rows
    pages = max(1, -(-len(rows) // page_size))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * page_size:page * page_size]
    issues = issues_by_row(record)
    checked = [(row, *validate_row(row)) for row in shown]
    stored = existing_people([person.email for _, person, _ in checked if person is not None])
    result = []
    for row, person, _ in checked:
        row_issues = issues.get(row.number, [])
        if person is None or any(issue.get("level", ERROR) == ERROR for issue in row_issues):
            result.append(PreviewRow(row.number, "error", dict(row.values), issues=row_issues))
            continue
        values = {"email": person.email, "role": person.role.value, **person.user, **person.profile}
        match = stored.get(person.email)
        if match is None:
            result.append(PreviewRow(row.number, NEW, values, issues=row_issues))
            continue
        changes = [(LABELS.get(name, name), old, new) for name, (old, new) in compare(person, match).items()]
        result.append(PreviewRow(row.number, UPDATED if changes else UNCHANGED, values, changes, row_issues))
    return PreviewPage(result, page, pages, len(rows))


def _safe_cell(value: object) -> str:
    # A cell starting with = + - @ would run as a formula when the CSV is opened in a spreadsheet.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def issues_csv(record: PeopleImport) -> str:
    """Return the import's errors and warnings as CSV, with a BOM so spreadsheets read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["row", "column", "level", "message"])
    for issue in record.errors or []:
        writer.writerow([issue.get("row") or "file", _safe_cell(issue.get("column")), issue.get("level", ERROR),
                         _safe_cell(issue.get("message"))])
    return "\ufeff" + buffer.getvalue()


def template_csv() -> str:
    """Return a CSV template: the header and two example people."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(["amara.okafor@alumni.example.edu", "Amara", "Okafor", "mentor", "2012", "BSc", "Computer Science",
                     "Northwind Health", "Engineering Manager", "Technology", "Boston, MA",
                     "Python;Leadership;Public speaking", "Career change;Tech industry", "English;Igbo", "2",
                     "Happy to talk about first jobs and switching fields."])
    writer.writerow(["jordan.lee@students.example.edu", "Jordan", "Lee", "student", "2027", "BA", "Economics", "", "",
                     "", "Chicago, IL", "Excel;Writing", "Consulting;Graduate school", "English;Korean", "",
                     "Curious about consulting and how to prepare for case interviews."])
    return buffer.getvalue()
