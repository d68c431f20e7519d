"""Forms of availability, booking, proposing, changing and cancelling sessions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.models import MeetingMode
from portal.scheduling import DEFAULT_DURATION, DURATIONS
from portal.scheduling.availability import NOTE_MAX, WEEKDAYS
from portal.scheduling.booking import AGENDA_MAX, LOCATION_MAX
from portal.scheduling.changes import REASON_MAX

DURATION_CHOICES = [SelectChoice(minutes, f"{minutes} minutes") for minutes in DURATIONS]
MODE_CHOICES = [SelectChoice(mode.value, mode.label) for mode in MeetingMode]


class WindowForm(FlaskForm):
    weekday = SelectField("Day", coerce=int, choices=[SelectChoice(index, day) for index, day in enumerate(WEEKDAYS)])
    starts_at = TimeField("From", validators=[InputRequired("Enter when the window opens, e.g. 17:00.")])
    ends_at = TimeField("Until", validators=[InputRequired("Enter when the window closes, e.g. 19:00.")])


class DateOffForm(FlaskForm):
    starts_on = DateField("First day off", validators=[InputRequired("Enter the first day you are away.")])
    ends_on = DateField("Last day off", validators=[Optional()], description="Leave empty for a single day.")
    note = StringField("Note (only you see it)", validators=[
        Length(max=NOTE_MAX, message=f"Keep the note under {NOTE_MAX} characters.")])


class DetailsMixin:
    mode = SelectField("How you will meet", choices=MODE_CHOICES, default=MeetingMode.VIDEO.value)
    location = StringField("Video link, phone number or place", validators=[
        Length(max=LOCATION_MAX, message=f"Keep it under {LOCATION_MAX} characters.")],
        description="For a video call, paste the full link (https://…). You can add it later too.")
    agenda = TextAreaField("Agenda", validators=[
        Length(max=AGENDA_MAX, message=f"Keep the agenda under {AGENDA_MAX} characters.")],
        description="What would you like to talk about? A few points help you both prepare.")


class BookingForm(DetailsMixin, FlaskForm):
    starts_at = StringField("Time", validators=[DataRequired("Pick one of the open times.")])
    duration = HiddenField(default=str(DEFAULT_DURATION))


class ProposeForm(DetailsMixin, FlaskForm):
    day = DateField("Date", validators=[InputRequired("Enter the date of the session.")])
    start = TimeField("Start time", validators=[InputRequired("Enter the start time, e.g. 18:30.")])
    duration = SelectField("Length", coerce=int, choices=DURATION_CHOICES, default=DEFAULT_DURATION)


class ChangeForm(ProposeForm):
    reason = TextAreaField("Why the change?", validators=[
        Length(max=REASON_MAX, message=f"Keep the reason under {REASON_MAX} characters.")],
        description="Needed when the time changes; the other side reads it with the new time.")


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[
        Length(max=REASON_MAX, message=f"Keep the reason under {REASON_MAX} characters.")])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: a button that confirms."""
