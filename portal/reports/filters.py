"""What a report looks at: one program or the whole institution, a period, and a student cohort
(graduation year, major); and the SQL conditions that narrow each table to it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, func, select

from portal.models import (
    Enrollment, EnrollmentRole, EnrollmentStatus, Mentorship, MentorshipParticipant, ParticipantRole, Profile,
)

DEFAULT_WEEKS = 12
LONGEST_PERIOD_DAYS = 3 * 366  # a weekly chart of more than three years says nothing at a glance


@dataclass(frozen=True)
class ReportFilters:
    """The report's scope. Dates are days in the institution's time zone, both included."""

    institution_id: int
    date_from: date
    date_to: date
    program_id: int | None = None
    graduation_year: int | None = None
    major: str = ""
    timezone: str = "UTC"
    # Set by `with_scope_checked` when the chosen program holds every pair of the institution:
    # then rows need no per-pair program check (the institution's own check says it all).
    program_has_every_pair: bool = False

    @classmethod
    def default(cls, institution_id: int, today: date, timezone: str = "UTC", **chosen) -> ReportFilters:
        """Return the last twelve weeks up to `today`, with any filters `chosen`."""
        return cls(institution_id=institution_id, date_from=today - timedelta(weeks=DEFAULT_WEEKS, days=-1),
                   date_to=today, timezone=timezone, **chosen)

    @property
    def start(self) -> datetime:
        """The first moment of the period (UTC)."""
        return _midnight(self.date_from, self.timezone)

    @property
    def end(self) -> datetime:
        """The moment after the period's last day (UTC)."""
        return _midnight(self.date_to + timedelta(days=1), self.timezone)

    @property
    def cohort(self) -> bool:
        """Whether the report is narrowed to a student cohort."""
        return self.graduation_year is not None or bool(self.major)

    def with_program(self, program_id: int | None) -> ReportFilters:
        return replace(self, program_id=program_id, program_has_every_pair=False)

    def with_scope_checked(self) -> ReportFilters:
        """Return these filters, noting whether the chosen program holds every pair of the institution."""
        from portal.extensions import db

        if self.program_id is None:
            return self
        elsewhere = db.session.scalar(select(exists().where(Mentorship.institution_id == self.institution_id,
                                                            Mentorship.program_id != self.program_id)))
        return replace(self, program_has_every_pair=not elsewhere)


def _midnight(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


def normalised_major(value: str) -> str:
    """Return a major as the filter compares it: trimmed, lower case."""
    return value.strip().lower()


def cohort_user_ids(filters: ReportFilters):
    """Select the students of the chosen cohort (by their profile)."""
    conditions = [Profile.institution_id == filters.institution_id]
    if filters.graduation_year is not None:
        conditions.append(Profile.graduation_year == filters.graduation_year)
    if filters.major:
        conditions.append(func.lower(func.trim(Profile.major)) == normalised_major(filters.major))
    return select(Profile.user_id).where(*conditions)


def enrollment_conditions(filters: ReportFilters, *, mentees_only: bool = False) -> list:
    """Conditions on Enrollment: taking part now, in the program(s); with a cohort, its mentees only."""
    conditions = [Enrollment.institution_id == filters.institution_id, Enrollment.status == EnrollmentStatus.ACTIVE]
    if filters.program_id is not None:
        conditions.append(Enrollment.program_id == filters.program_id)
    if mentees_only or filters.cohort:
        conditions.append(Enrollment.role == EnrollmentRole.MENTEE)
    if filters.cohort:
        conditions.append(Enrollment.user_id.in_(cohort_user_ids(filters)))
    return conditions


def pair_conditions(filters: ReportFilters, pair=Mentorship) -> list:
    """Conditions on Mentorship: in the program(s); with a cohort, pairs whose mentee belongs to it."""
    conditions = [pair.institution_id == filters.institution_id]
    if filters.program_id is not None:
        conditions.append(pair.program_id == filters.program_id)
    if filters.cohort:
        conditions.append(exists().where(and_(
            MentorshipParticipant.mentorship_id == pair.id, MentorshipParticipant.role == ParticipantRole.MENTEE,
            MentorshipParticipant.user_id.in_(cohort_user_ids(filters)))))
    return conditions


def in_scope(pair_id, filters: ReportFilters) -> list:
    """Conditions that keep a row's mentorship (`pair_id`) in scope, beyond the institution (which
    every query checks on its own table): none for the whole institution, so the database skips
    looking each pair up."""
    if (filters.program_id is None or filters.program_has_every_pair) and not filters.cohort:
        return []
    return [pair_id.in_(scoped_pair_ids(filters))]


def scoped_pair_ids(filters: ReportFilters):
    """Select the ids of the mentorships in scope (any status)."""
    return select(Mentorship.id).where(*pair_conditions(filters))


def cohort_choices(institution_id: int) -> tuple[list[int], list[str]]:
    """Return the graduation years and majors of the institution's enrolled mentees, for the filters."""
    from portal.extensions import db

    mentees = select(Enrollment.user_id).where(Enrollment.institution_id == institution_id,
                                               Enrollment.role == EnrollmentRole.MENTEE)
    # One pass over the mentees' profiles: each (year, major as typed) once; a few dozen rows.
    pairs = db.session.execute(
        select(Profile.graduation_year, func.trim(Profile.major)).distinct()
        .where(Profile.institution_id == institution_id, Profile.user_id.in_(mentees))).all()
    years = sorted({year for year, _ in pairs if year is not None}, reverse=True)
    # One entry per major however people typed it ("computer science ", "Computer Science"): the
    # smallest spelling, in the order of the lower-cased majors.
    spellings: dict[str, str] = {}
    for _, major in pairs:
        if major:
            key = major.lower()
            spellings[key] = min(spellings.get(key, major), major)
    return years, [spellings[key] for key in sorted(spellings)]
