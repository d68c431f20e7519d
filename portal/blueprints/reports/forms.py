"""The report filters, read from the query string; a value that makes no sense is left out and said so."""

from __future__ import annotations

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from portal.blueprints.fields import DayField
from portal.reports.filters import DEFAULT_WEEKS, LONGEST_PERIOD_DAYS, ReportFilters

EARLIEST_YEAR, LATEST_YEAR = 1940, 2100
DAY = "Enter a date as YYYY-MM-DD, e.g. 2026-03-01."


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False  # filters are a GET that changes nothing

    program = SelectField("Program", validate_choice=False)
    date_from = DayField("From", unreadable=DAY, validators=[Optional()])
    date_to = DayField("To", unreadable=DAY, validators=[Optional()])
    graduation_year = SelectField("Graduation year", validate_choice=False)
    major = SelectField("Major", validate_choice=False)

    def prepare(self, programs: list[tuple[int, str]], years: list[int], majors: list[str]) -> None:
        """Offer the institution's programs and its students' graduation years and majors."""
        self.program.choices = [SelectChoice("", "All programs"),
                                *(SelectChoice(str(program_id), name) for program_id, name in programs)]
        self.graduation_year.choices = [SelectChoice("", "Any year"), *(SelectChoice(str(year), str(year))
                                                                         for year in years)]
        chosen_year = (self.graduation_year.data or "").strip()
        if chosen_year and chosen_year not in {str(year) for year in years}:
            self.graduation_year.choices.append(SelectChoice(chosen_year, chosen_year))  # a shared link's choice
        self.major.choices = [SelectChoice("", "Any major"), *(SelectChoice(major, major) for major in majors)]
        chosen_major = (self.major.data or "").strip()
        if chosen_major and chosen_major.lower() not in {major.lower() for major in majors}:
            self.major.choices.append(SelectChoice(chosen_major, chosen_major))

    def cleaned(self, institution_id: int, today: date, timezone: str) -> tuple[ReportFilters, str | None, list[str]]:
        """Return the filters, the program id asked for (unchecked) and notes about what was read differently."""
        self.validate()
        notes = [f"{field.label.text}: {error}" for field in (self.date_from, self.date_to) for error in field.errors]
        date_to = self.date_to.data or (today if not self.date_from.data or self.date_from.data <= today
                                        else self.date_from.data + timedelta(weeks=DEFAULT_WEEKS))
        date_from = self.date_from.data or date_to - timedelta(weeks=DEFAULT_WEEKS, days=-1)
        if date_from > date_to:
            date_from, date_to = date_to, date_from
            notes.append("The period started after it ended, so the two dates were swapped.")
        if (date_to - date_from).days >= LONGEST_PERIOD_DAYS:
            date_from = date_to - timedelta(days=LONGEST_PERIOD_DAYS - 1)
            notes.append("A report covers at most three years: it shows the three years up to the end date.")
        self.date_from.data, self.date_to.data = date_from, date_to
        year = _int(self.graduation_year.data)
        if self.graduation_year.data and (year is None or not EARLIEST_YEAR <= year <= LATEST_YEAR):
            notes.append(f"Graduation year: choose a year between {EARLIEST_YEAR} and {LATEST_YEAR}; "
                         "the report covers every year.")
            year, self.graduation_year.data = None, ""
        major = (self.major.data or "").strip()[:120]
        program = (self.program.data or "").strip() or None
        filters = ReportFilters(institution_id=institution_id, date_from=date_from, date_to=date_to,
                                graduation_year=year, major=major, timezone=timezone)
        return filters, program, notes


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
