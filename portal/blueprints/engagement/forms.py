"""Forms of the engagement pages: the nudge, sent from a page of the at-risk list."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, TextAreaField
from wtforms.validators import Length, Optional

from portal.blueprints.fields import WholeNumberField
from portal.engagement.nudges import NOTE_LIMIT


class IdListField(Field):
    """The values of a group of checkboxes, as record ids."""

    def process_formdata(self, valuelist):
        self.data = []
        try:
            self.data = sorted({int(value) for value in valuelist if str(value).strip()})
        except ValueError:
            self.data = []
            raise ValueError("Choose the pairs to nudge from the list.") from None

    def _value(self):
        return ""


class NudgeForm(FlaskForm):
    mentorship_ids = IdListField("Pairs")
    only = IdListField("Pair")  # the row's own "Nudge" button
    program = IntegerField("Program", validators=[Optional()])  # the list to go back to
    page = WholeNumberField("Page", unreadable=None, validators=[Optional()])  # and the page of it
    note = TextAreaField(
        "Personal note (optional)", validators=[Optional(), Length(max=NOTE_LIMIT, message=(
            f"Keep the personal note to {NOTE_LIMIT} characters."))],
        description="Added to every nudge you send now, signed with your name. Each person already gets a "
                    "friendly message about what we noticed and one thing to do next.")

    def chosen_ids(self) -> list[int]:
        """Return the pairs to nudge: the row whose button was pressed, or the ticked ones."""
        return list(self.only.data or self.mentorship_ids.data or [])

    def page_number(self) -> int:
        """Return the page of the list the admin nudged from (the list keeps a number past its end in bounds)."""
        return self.page.data or 1
