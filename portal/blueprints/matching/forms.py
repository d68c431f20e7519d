"""Forms of the matching pages: a run's settings, the review filters, and the review actions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, HiddenField, IntegerField, IntegerRangeField, RadioField, SelectField
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from portal.match_runs.parameters import OBJECTIVES
from portal.matching import CRITERIA
from portal.models import SuggestionDecision


class NumberField(FloatField):
    """A number input whose parse error a person understands."""

    def process_formdata(self, valuelist):
        if valuelist and str(valuelist[0]).strip():
            try:
                self.data = float(str(valuelist[0]).strip().replace(",", "."))
            except ValueError:
                self.data = None
                raise ValueError("Enter a number from 0 to 100, e.g. 40.") from None
        else:
            self.data = None


class MatchSettingsForm(FlaskForm):
    min_score = NumberField("Minimum score", validators=[Optional(), NumberRange(0, 100, "Use a score from 0 to 100.")],
                            description="Pairs scoring below it are never suggested. Leave empty for no minimum.")
    require_shared_language = BooleanField("Mentor and mentee must share a language",
                                           description="Otherwise a shared language only adds to the score.")
    objective = RadioField("Aim for", choices=[SelectChoice(value, label) for value, label in OBJECTIVES.items()],
                           default="total_score")
    keep_decisions = BooleanField("Keep the decisions of the last run",
                                  description="Its approved pairs are kept; its rejected pairs are not suggested again.")

    def weight_fields(self, criteria) -> list:
        """Return the weight fields of these criteria, in order."""
        return [self[f"weight_{criterion}"] for criterion in criteria]

    def load(self, parameters: dict) -> None:
        """Fill the form from a run's parameters."""
        for criterion in CRITERIA:
            self[f"weight_{criterion}"].data = int((parameters.get("weights") or {}).get(criterion, 0) or 0)
        self.min_score.data = parameters.get("min_score")
        self.require_shared_language.data = bool(parameters.get("require_shared_language"))
        self.objective.data = parameters.get("objective") or "total_score"

    def parameters(self, criteria) -> dict:
        """Return the run's parameters from the form, with weights for these criteria only."""
        return {"weights": {criterion: self[f"weight_{criterion}"].data or 0 for criterion in criteria},
                "min_score": self.min_score.data, "require_shared_language": self.require_shared_language.data,
                "objective": self.objective.data}


for _criterion in CRITERIA:
    setattr(MatchSettingsForm, f"weight_{_criterion}", IntegerRangeField(
        _criterion, default=0, validators=[Optional(), NumberRange(0, 100, "Use a weight from 0 to 100.")]))


DECISIONS = [SelectChoice("", "Any decision"),
             *(SelectChoice(d.value, d.value.capitalize()) for d in SuggestionDecision)]
SORT_CHOICES = [SelectChoice("score", "Best score first"), SelectChoice("score_asc", "Lowest score first"),
                SelectChoice("mentee", "Mentee name"), SelectChoice("mentor", "Mentor name")]


class ReviewFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a search: GET, changes nothing

    q = StringField("Search names or emails")
    min_score = NumberField("Score from", validators=[Optional(), NumberRange(0, 100, "Use 0 to 100.")])
    max_score = NumberField("to", validators=[Optional(), NumberRange(0, 100, "Use 0 to 100.")])
    decision = SelectField("Decision", choices=DECISIONS, default="")
    sort = SelectField("Sort by", choices=SORT_CHOICES, default="score")
    page = IntegerField("Page", default=1, validators=[Optional()])


class ActionForm(FlaskForm):
    """A button that changes a run; only the CSRF token travels."""


class DecisionForm(FlaskForm):
    decision = HiddenField(validators=[InputRequired()])

    def validate_decision(self, field):
        if field.data not in {d.value for d in SuggestionDecision}:
            raise ValidationError("Choose approve or reject.")


class ApproveAboveForm(FlaskForm):
    min_score = NumberField("Approve proposed pairs scoring at least", validators=[
        InputRequired("Enter the lowest score to approve, e.g. 50."), NumberRange(0, 100, "Use a score from 0 to 100.")])


class SwapForm(FlaskForm):
    mentor_id = IntegerField(validators=[InputRequired("Choose the mentor to swap in.")])
