"""Invitation forms."""

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField


class SelectedPeopleForm(FlaskForm):
    # The table's checkboxes; ids outside the institution simply find no one.
    person = SelectMultipleField("People", coerce=int, validate_choice=False)
