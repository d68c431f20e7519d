"""Account settings forms."""

from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

TIMEZONES = sorted(available_timezones() - {"localtime", "Factory"})


class AccountSettingsForm(FlaskForm):
    first_name = StringField("First name", validators=[DataRequired("Enter your first name."), Length(max=100)])
    last_name = StringField("Last name", validators=[Length(max=100)])
    timezone = SelectField(
        "Time zone",
        choices=[SelectChoice(zone, zone.replace("_", " ")) for zone in TIMEZONES],
        description="Session times are shown in this time zone.",
    )
