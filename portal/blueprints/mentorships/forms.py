"""Forms of the mentorship pages: the admin lists' filters, pairing by hand, and ending a mentorship."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.mentorships.admin_listing import AGES, Filters
from portal.mentorships.by_hand import MAX_NOTE_LENGTH
from portal.mentorships.ending import EARLY_END_REASONS, MAX_REASON_LENGTH, EndOutcome
from portal.models import Program
from portal.paging import MAX_PAGE


class ListFilterForm(FlaskForm):
    """Filters read from the query string; a value that makes no sense counts as no filter."""

    class Meta:
        csrf = False  # a search is a GET that changes nothing

    q = StringField("Person", validators=[Length(max=100)])
    status = SelectField("Status", choices=[SelectChoice("", "Any status")], validators=[Optional()])
    program = SelectField("Program", choices=[SelectChoice("", "All programs")], validators=[Optional()])
    age = SelectField("Age", validators=[Optional()], choices=[
        SelectChoice("", "Any age"), *(SelectChoice(str(days), f"Older than {days} days") for days in AGES)])
    page = IntegerField("Page", validators=[Optional()])

    def prepare(self, statuses: list[tuple[str, str]], programs: list[Program]) -> None:
        """Offer these statuses and the institution's programs."""
        self.status.choices = [SelectChoice("", "Any status"),
                               *(SelectChoice(value, label) for value, label in statuses)]
        self.program.choices = [SelectChoice("", "All programs"),
                                *(SelectChoice(str(program.id), program.name) for program in programs)]

    def cleaned(self) -> tuple[Filters, int]:
        """Return the valid filters and the page number asked for."""
        self.validate()

        def value(field) -> str:
            return "" if field.errors or field.data is None else str(field.data).strip()

        program = value(self.program)
        filters = Filters(status=value(self.status), program_id=int(program) if program else None,
                          older_than_days=int(value(self.age)) if value(self.age) else None,
                          query="" if self.q.errors else (self.q.data or "").strip())
        page = self.page.data if not self.page.errors and self.page.data and self.page.data > 0 else 1
        return filters, min(page, MAX_PAGE)


class NewMentorshipForm(FlaskForm):
    program = SelectField("Program", choices=[SelectChoice("", "Choose a program")],
                          validators=[DataRequired("Choose the program the mentorship belongs to.")])
    # Who can still be chosen changes while the form is open; the domain says why a choice no longer works.
    mentor = SelectField("Mentor", choices=[SelectChoice("", "Choose a mentor")], validate_choice=False,
                         validators=[DataRequired("Choose a mentor.")])
    mentees = SelectMultipleField("Mentees", choices=[], coerce=int, validate_choice=False,
                                  validators=[DataRequired("Choose at least one mentee.")])
    note = TextAreaField("Note for the history (optional)", validators=[Length(
        max=MAX_NOTE_LENGTH, message=f"Keep the note under {MAX_NOTE_LENGTH} characters.")],
        description="Why you paired them by hand, e.g. “Asked for each other at the kick-off event”. "
                    "Admins see it in the mentorship's history.")


class EndMentorshipForm(FlaskForm):
    outcome = RadioField("How did it end?", choices=[
        SelectChoice(EndOutcome.COMPLETED.value, "Completed: we reached the end of the mentorship"),
        SelectChoice(EndOutcome.ENDED_EARLY.value, "Ended early: we are stopping before the planned end")],
        validators=[InputRequired("Choose whether the mentorship was completed or ended early.")])
    reason_choice = SelectField("Main reason for ending early", choices=[
        SelectChoice("", "Choose a reason"), *(SelectChoice(key, label) for key, label in EARLY_END_REASONS.items())],
        validate_choice=False)
    reason_detail = TextAreaField("In your own words", validators=[Length(
        max=MAX_REASON_LENGTH - 100, message=f"Keep it under {MAX_REASON_LENGTH - 100} characters.")],
        description="The other participants see what you write here. For a completed mentorship it is an "
                    "optional closing note.")

    def validate_reason_choice(self, field) -> None:
        if self.outcome.data == EndOutcome.ENDED_EARLY and field.data not in EARLY_END_REASONS:
            raise ValidationError("Choose the main reason for ending early.")

    def validate_reason_detail(self, field) -> None:
        if self.outcome.data == EndOutcome.ENDED_EARLY and self.reason_choice.data == "other" \
                and not (field.data or "").strip():
            raise ValidationError("Describe the reason in a few words.")
