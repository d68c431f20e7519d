"""Forms of the after-session panel: outcome, notes, action items and feedback."""

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from portal.meetings.after import NOTES_MAX, TITLE_MAX
from portal.meetings.feedback import TEXT_MAX

RATINGS = [SelectChoice(1, "Very poor"), SelectChoice(2, "Poor"), SelectChoice(3, "OK"), SelectChoice(4, "Good"),
           SelectChoice(5, "Excellent")]


def int_or_none(value):
    """Read a whole number from a form, or None (a validator then says what is wrong)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class CompleteForm(FlaskForm):
    outcome = SelectField("Outcome", choices=[SelectChoice("completed", "We met"), SelectChoice("no_show", "No-show")],
                          validate_choice=False, validators=[AnyOf(
                              ["completed", "no_show"], "Say whether the session took place or was a no-show.")])


class NotesForm(FlaskForm):
    notes = TextAreaField("Shared notes", validators=[Length(
        max=NOTES_MAX, message=f"The notes are too long: keep them under {NOTES_MAX:,} characters.")],
        description="Both of you can read and edit these notes: what you discussed, decisions, links shared.")
    based_on = HiddenField()


class ActionItemForm(FlaskForm):
    title = StringField("Action item", validators=[
        DataRequired("Write what needs doing, e.g. “Send the updated CV”."),
        Length(max=TITLE_MAX, message=f"Keep the action item under {TITLE_MAX} characters.")])
    owner_id = SelectField("Who", coerce=int_or_none, validate_choice=False,
                           validators=[InputRequired("Choose who will do it.")])
    due_on = DateField("Due", validators=[Optional()], format="%Y-%m-%d")

    def set_people(self, people: list[tuple[int, str]], default_id: int | None) -> None:
        """Offer the participants as owners, with the viewer first."""
        self.owner_id.choices = [SelectChoice(user_id, name) for user_id, name in people]
        if self.owner_id.data is None:
            self.owner_id.data = default_id


class ToggleForm(FlaskForm):
    done = HiddenField()


class FeedbackForm(FlaskForm):
    rating = RadioField("How was this session?", choices=RATINGS, coerce=int_or_none, validate_choice=False,
                        validators=[InputRequired("Choose a rating from 1 (very poor) to 5 (excellent)."),
                                    AnyOf([1, 2, 3, 4, 5], "Choose a rating from 1 (very poor) to 5 (excellent).")])
    went_well = TextAreaField("What went well?", validators=[Length(
        max=TEXT_MAX, message=f"Keep this answer under {TEXT_MAX:,} characters.")],
        description="A sentence is plenty, e.g. “Clear advice on which internships to apply for.”")
    goal_progress = TextAreaField("How did your goals move on?", validators=[Length(
        max=TEXT_MAX, message=f"Keep this answer under {TEXT_MAX:,} characters.")],
        description="e.g. “CV finished; next I ask two alumni for feedback.”")
