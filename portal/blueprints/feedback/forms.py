"""The closing survey form."""

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length

from portal.blueprints.meetings.forms import int_or_none
from portal.meetings.closing import COMMENT_MAX

SCORE_MESSAGE = "Choose a score from 0 (not at all likely) to 10 (extremely likely)."


class ClosingSurveyForm(FlaskForm):
    recommend = RadioField("How likely are you to recommend this mentoring program to a friend or classmate?",
                           choices=[SelectChoice(n, str(n)) for n in range(11)], coerce=int_or_none, validate_choice=False,
                           validators=[InputRequired(SCORE_MESSAGE), AnyOf(list(range(11)), SCORE_MESSAGE)])
    comment = TextAreaField("What made the biggest difference, and what should we improve?", validators=[
        Length(max=COMMENT_MAX, message=f"Keep the comment under {COMMENT_MAX:,} characters.")],
        description="Optional. Your program team reads every answer; your partner does not see it.")
