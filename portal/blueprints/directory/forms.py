"""The directory's search form: read from the query string; a value that makes no sense is left out."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from portal.blueprints.fields import WholeNumberField
from portal.directory import RECOMMENDED, RESPONSIVE, Search, Viewer, known_tag, sorts_for
from portal.directory.terms import MAX_QUERY_LENGTH

EARLIEST_YEAR, LATEST_YEAR = 1940, 2100
YEAR = "Enter a year as four digits, e.g. 2015."


class DirectorySearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search is a GET that changes nothing

    q = StringField("Search", validators=[Length(max=MAX_QUERY_LENGTH, message="Use at most 100 characters.")])
    industry = SelectField("Industry", choices=[SelectChoice("", "Any industry")], validate_choice=False)
    location = StringField("Location", validators=[Length(max=100, message="Use at most 100 characters.")])
    skills = StringField("Skills", validators=[Length(max=200, message="Use at most 200 characters.")])
    graduated_from = WholeNumberField("Graduated from", unreadable=YEAR, validators=[Optional(), NumberRange(
        EARLIEST_YEAR, LATEST_YEAR, message=f"Enter a year between {EARLIEST_YEAR} and {LATEST_YEAR}.")])
    graduated_to = WholeNumberField("to", unreadable=YEAR, validators=[Optional(), NumberRange(
        EARLIEST_YEAR, LATEST_YEAR, message=f"Enter a year between {EARLIEST_YEAR} and {LATEST_YEAR}.")])
    free_spot = BooleanField("Has a free spot")
    accepting = BooleanField("Accepting requests")
    program = SelectField("Program", choices=[SelectChoice("", "All your programs")], validate_choice=False)
    sort = SelectField("Sort by", validate_choice=False)
    page = IntegerField("Page", validators=[Optional()])

    def prepare(self, viewer: Viewer, industries: list[tuple[str, str]]) -> None:
        """Offer this viewer's programs, sort orders and industries."""
        self.program.choices = [SelectChoice("", "All your programs" if viewer.is_student else "All open programs"),
                                *(SelectChoice(str(program.id), program.name) for program in viewer.programs)]
        self.sort.choices = [SelectChoice(value, label) for value, label in sorts_for(viewer).items()]
        chosen = self.industry.data or ""
        self.industry.choices = [SelectChoice("", "Any industry"),
                                 *(SelectChoice(value, label) for value, label in industries)]
        if chosen and chosen not in dict(industries):
            self.industry.choices.append(SelectChoice(chosen, chosen))  # keep a shared link's choice visible

    def cleaned(self, viewer: Viewer) -> tuple[Search, str, int, list[str]]:
        """Return the search, the sort, the page and notes about what was read differently."""
        self.validate()
        notes = []
        sorts = sorts_for(viewer)
        sort = self.sort.data if self.sort.data in sorts else next(iter(sorts))
        if self.sort.data == RESPONSIVE and RESPONSIVE not in sorts:
            notes.append("Sorting by how quickly mentors answer becomes possible once mentors have answered "
                         "requests; these mentors are in the recommended order instead.")
            sort = RECOMMENDED if viewer.is_student else sort
        self.sort.data = sort
        years = [None if field.errors else field.data for field in (self.graduated_from, self.graduated_to)]
        if years[0] and years[1] and years[0] > years[1]:
            years.reverse()
            self.graduated_from.data, self.graduated_to.data = years
        industry = (self.industry.data or "").strip()[:120]
        program = viewer.program(_int(self.program.data))
        search = Search(
            query="" if self.q.errors else (self.q.data or "").strip(),
            industry=(known_tag(industry) or industry) if industry else "",
            location="" if self.location.errors else (self.location.data or "").strip(),
            graduated_from=years[0], graduated_to=years[1],
            skills=tuple(value for value in (self.skills.raw_data or []) if value.strip())[:8]
            if not self.skills.errors else (),
            free_spot=bool(self.free_spot.data), accepting=bool(self.accepting.data),
            program_id=program.id if program else None)
        self.skills.data = ", ".join(search.skills)
        page = self.page.data if not self.page.errors and self.page.data and self.page.data > 0 else 1
        return search, sort, min(page, 10_000), notes


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
