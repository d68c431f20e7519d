"""The forms of mentor requests: ask (message and program), accept (an optional note), decline (a reason)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.models import DeclineReason
from portal.requests import MAX_MESSAGE, MIN_MESSAGE
from portal.requests.answering import MAX_RESPONSE

MESSAGE_HELP = ("Say what you hope to achieve (your goals), what you'd like to learn from this mentor, and why "
                "they in particular. Two or three sentences are plenty.")


class RequestForm(FlaskForm):
    # Left out when the student and the mentor share one program: that one is meant.
    program = SelectField("Program", coerce=int, validate_choice=False, validators=[Optional()])
    message = TextAreaField("Your message", description=MESSAGE_HELP, validators=[
        DataRequired(message="Write a short message: your goals and what you hope to learn."),
        Length(min=MIN_MESSAGE, message=f"Say a little more (at least {MIN_MESSAGE} characters): your goals and "
                                        "what you hope to learn from this mentor."),
        Length(max=MAX_MESSAGE, message=f"Keep your message under {MAX_MESSAGE:,} characters.")])


class AcceptForm(FlaskForm):
    message = TextAreaField("A note to the student (optional)", validators=[
        Optional(), Length(max=MAX_RESPONSE, message=f"Keep your note under {MAX_RESPONSE:,} characters.")])


class DeclineForm(FlaskForm):
    reason = RadioField("Why are you declining?",
                        choices=[SelectChoice(reason.value, reason.label) for reason in DeclineReason],
                        validators=[InputRequired(message="Choose why you're declining, so the student understands.")])
    message = TextAreaField("A note to the student (optional)", validators=[
        Optional(), Length(max=MAX_RESPONSE, message=f"Keep your note under {MAX_RESPONSE:,} characters.")])


class WithdrawForm(FlaskForm):
    """Only the CSRF token: withdrawing needs no data."""
