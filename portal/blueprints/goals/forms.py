"""Forms for goals, milestones and progress updates."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import NumberInput

from portal.blueprints.fields import DayField
from portal.models import GoalKind, GoalStatus


class PercentField(IntegerField):
    """A whole number from 0 to 100 whose parse error a person understands."""

    widget = NumberInput(min=0, max=100, step=5)

    def process_formdata(self, valuelist):
        if valuelist and str(valuelist[0]).strip():
            try:
                self.data = int(str(valuelist[0]).strip().rstrip("%"))
            except ValueError:
                self.data = None
                raise ValueError("Enter progress as a whole number from 0 to 100.") from None
        elif valuelist:
            self.data = None


class GoalForm(FlaskForm):
    kind = RadioField("Kind of goal", default=GoalKind.SMART.value, validate_choice=False,
                      choices=[SelectChoice(kind.value, kind.label) for kind in GoalKind])
    title = StringField("Goal", render_kw={"maxlength": 200},
                        description="One sentence: what you'll do, e.g. “Land a summer internship in fintech”.")
    description = TextAreaField("Why it matters", render_kw={"rows": 3},
                                description="Why this goal, why now: it keeps the goal relevant.")
    measurable_outcome = TextAreaField(
        "What you'll measure or try", render_kw={"rows": 2},
        description="SMART: the result you can count or see, e.g. “Applications sent to 10 fintech firms”. "
                    "REAL: what you'll try and how you'll notice you've learned (optional).")
    target_date = DayField("Target date", validators=[Optional()],
                           description="Needed for a SMART goal; optional for a REAL one.")

    def goal_data(self) -> dict:
        """Return the form as the data `save_goal` takes."""
        return dict(kind=self.kind.data, title=self.title.data or "", description=self.description.data or "",
                    measurable_outcome=self.measurable_outcome.data or "", target_date=self.target_date.data)


class MilestoneForm(FlaskForm):
    title = StringField("Milestone", render_kw={"maxlength": 200, "placeholder": "e.g. Résumé reviewed by my mentor"})
    due_on = DayField("Due", validators=[Optional()])


class TickForm(FlaskForm):
    done = HiddenField(default="1")


class ProgressForm(FlaskForm):
    progress = PercentField("Progress (%)")
    status = SelectField("Status", validate_choice=False,
                         choices=[SelectChoice(status.value, status.label) for status in GoalStatus])
    note = TextAreaField("Note", render_kw={"rows": 2, "placeholder": "What happened, what you learned, what's next"})
    meeting_id = HiddenField()
    view = HiddenField()  # "review" when sent from a session page's goal review
    next = HiddenField()

    def meeting(self) -> int | None:
        """Return the session this update was made in, if any."""
        value = (self.meeting_id.data or "").strip()
        return int(value) if value.isdigit() else None
