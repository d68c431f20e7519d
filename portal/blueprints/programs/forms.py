"""Forms for programs, their questions, and answering a questionnaire."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField,
    StringField, TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from portal.blueprints.fields import DayField, WholeNumberField
from portal.models import (
    DEFAULT_MATCHING_WEIGHTS, Audience, MatchMode, MatchRule, ProgramFormat, ProgramStatus, Question, QuestionKind,
)
from portal.models.programs import AFFINITY_FIELDS, MATCHING_CRITERIA_LABELS
from portal.programs.operations import NUMBER_LIMITS

WHOLE_NUMBER = "Enter a whole number, e.g. 14."


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(kind) -> list[SelectChoice]:
    return [SelectChoice(item.value, item.label) for item in kind]


def _number(label: str, key: str, description: str = "", **kwargs) -> WholeNumberField:
    low, high, _ = NUMBER_LIMITS[key]
    return WholeNumberField(label, description=description, widget=NumberInput(min=low, max=high),
                            unreadable=WHOLE_NUMBER, **kwargs)


class ProgramForm(FlaskForm):
    name = StringField("Program name", validators=[DataRequired("Give the program a name."), Length(max=200)])
    description = TextAreaField("Description", render_kw={"rows": 3},
                                description="What the program offers and who it is for; participants see this.")
    objective = StringField("Objective",
                            description="e.g. “Guide 100 final-year students in career choice by June 30”.")
    key_result_target = _number("Key result target", "key_result_target",
                                "The number you report against, e.g. 100.")
    key_result_unit = StringField("Measured in", description="e.g. “students guided”.")
    key_result_deadline = DayField("Key result deadline", description="When the target should be reached.")
    starts_on = DayField("Starts on")
    ends_on = DayField("Ends on", description="Every program has a defined end; participants see it.")
    format = SelectField("Format", choices=_choices(ProgramFormat), validate_choice=False,
                         description="One-to-one pairs, one mentor with a small group, or one-off office hours.")
    match_mode = SelectField("Matching", choices=_choices(MatchMode), validate_choice=False,
                             default=MatchMode.HYBRID.value,
                             description="Who chooses the pairs: the office, the students, or students "
                                         "from suggestions.")
    default_capacity = _number("Default mentor capacity", "default_capacity",
                               "Mentees per mentor, unless a mentor sets their own.", default=2)
    max_open_requests = _number("Open requests per student", "max_open_requests",
                                "How many mentors a student may ask at the same time.", default=3)
    request_expiry_days = _number("Requests expire after (days)", "request_expiry_days",
                                  "An unanswered request lapses, so students aren't left waiting.", default=14)
    session_cadence_days = _number("Pairs meet every (days)", "session_cadence_days",
                                   "e.g. 14 for every two weeks. Pairs meeting less often are flagged.", default=14)
    affinity_fields = CheckboxesField("Affinity fields used in matching",
                                      choices=[SelectChoice(key, label) for key, label in AFFINITY_FIELDS.items()],
                                      validate_choice=False,
                                      description="Optional. Only people who chose to share these are matched on them.")

    def weight_fields(self):
        """Yield the per-criterion weight fields in menu order."""
        return [self[f"weight_{criterion}"] for criterion in DEFAULT_MATCHING_WEIGHTS]

    def program_data(self) -> dict:
        """Return the form as the data `create_program` and `update_program` take."""
        data = {key: self[key].data for key in (
            "name", "description", "objective", "key_result_target", "key_result_unit", "key_result_deadline",
            "starts_on", "ends_on", "format", "match_mode", "default_capacity", "max_open_requests",
            "request_expiry_days", "session_cadence_days", "affinity_fields")}
        data["matching_weights"] = {criterion: self[f"weight_{criterion}"].data
                                    for criterion in DEFAULT_MATCHING_WEIGHTS}
        return data

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Put domain errors next to their fields; return those that belong to no field."""
        general = []
        for key, message in errors.items():
            name = "weight_" + key.split(".", 1)[1] if key.startswith("matching_weights.") else key
            if name in self:
                self[name].errors = [*self[name].errors, message]
            else:
                general.append(message)
        return general

    def load(self, program) -> None:
        """Fill the weight fields from a program (the other fields come from `obj=`)."""
        for criterion in DEFAULT_MATCHING_WEIGHTS:
            self[f"weight_{criterion}"].data = (program.matching_weights or {}).get(
                criterion, DEFAULT_MATCHING_WEIGHTS[criterion])


for _criterion, _default in DEFAULT_MATCHING_WEIGHTS.items():
    setattr(ProgramForm, f"weight_{_criterion}", WholeNumberField(
        MATCHING_CRITERIA_LABELS[_criterion], default=_default, widget=NumberInput(min=0, max=100, step=5),
        unreadable=WHOLE_NUMBER))


class QuestionForm(FlaskForm):
    prompt = StringField("Question", validators=[DataRequired("Write the question people will answer."),
                                                 Length(max=300)])
    help_text = StringField("Help text", description="Optional. A hint shown under the question.")
    kind = SelectField("Answer type", choices=_choices(QuestionKind), validate_choice=False)
    options = TextAreaField("Options", render_kw={"rows": 5},
                            description="For choice questions: one option per line, at least two.")
    audience = SelectField("Asked of", choices=_choices(Audience), validate_choice=False,
                           default=Audience.BOTH.value)
    required = BooleanField("Answer required", default=True)
    used_in_matching = BooleanField("Use in matching",
                                    description="Compare mentors' and mentees' answers when suggesting pairs.")
    # Text, not a float field: the number only matters when the question is used in matching,
    # and then the domain check says what is wrong with it.
    matching_weight = StringField("Weight in matching", default="1", widget=NumberInput(min=0.1, max=10, step=0.5),
                                 description="From 0.1 to 10: how much this answer counts among the questionnaire "
                                             "answers.")
    match_rule = SelectField("Answers match when", choices=_choices(MatchRule), validate_choice=False,
                             default=MatchRule.SAME.value,
                             description="For choice questions. Complementary suits e.g. “I can teach / I want "
                                         "to learn”.")

    def question_data(self) -> dict:
        """Return the form as the data `add_question` and `update_question` take."""
        return {key: self[key].data for key in ("prompt", "help_text", "kind", "options", "audience", "required",
                                                "used_in_matching", "matching_weight", "match_rule")}

    def load(self, question: Question) -> None:
        """Fill the form from a question."""
        self.process(data={
            "prompt": question.prompt, "help_text": question.help_text, "kind": question.kind.value,
            "options": "\n".join(question.options or []), "audience": question.audience.value,
            "required": question.required, "used_in_matching": question.used_in_matching,
            "matching_weight": f"{question.matching_weight:g}", "match_rule": question.match_rule.value})
        self.options.render_kw = {"rows": max(5, len(question.options or []) + 1)}

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Put domain errors next to their fields; return those that belong to no field."""
        general = []
        for key, message in errors.items():
            if key in self:
                self[key].errors = [*self[key].errors, message]
            else:
                general.append(message)
        return general


class StatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])

    def target(self) -> ProgramStatus | None:
        """Return the status asked for, or None for anything else."""
        return ProgramStatus._value2member_map_.get(self.status.data or "")


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that only needs its CSRF token (join, leave, delete)."""


SCALE_CHOICES = [SelectChoice(str(number), str(number)) for number in range(1, 6)]


def answer_field_name(question: Question) -> str:
    return f"q{question.id}"


def questionnaire_form(questions: list[Question], answers: dict | None = None) -> FlaskForm:
    """Build the form of a questionnaire; `answers` fills it in when it is first shown."""

    class AnswersForm(FlaskForm):
        next = HiddenField()

    for question in questions:
        label, description = question.prompt, question.help_text
        if question.kind == QuestionKind.SINGLE_CHOICE:
            field = RadioField(label, choices=[SelectChoice(o, o) for o in question.options],
                               validate_choice=False, description=description)
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            field = CheckboxesField(label, choices=[SelectChoice(o, o) for o in question.options],
                                    validate_choice=False, description=description)
        elif question.kind == QuestionKind.SCALE:
            field = RadioField(label, choices=SCALE_CHOICES, validate_choice=False, description=description)
        else:
            field = TextAreaField(label, description=description, render_kw={"rows": 3})
        setattr(AnswersForm, answer_field_name(question), field)
    if answers is None:
        return AnswersForm()
    data = {}
    for question in questions:
        value = answers.get(str(question.id))
        if value is not None:
            data[answer_field_name(question)] = str(value) if question.kind == QuestionKind.SCALE else value
    return AnswersForm(data=data)
