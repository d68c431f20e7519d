"""The resource editor and its live preview."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.models import ResourceAudience, ResourceKind
from portal.resources.editing import BODY_MAX, POSITION_MAX, TITLE_MAX

AUDIENCE_LABELS = {
    ResourceAudience.MENTORS: "Mentors",
    ResourceAudience.MENTEES: "Mentees (students)",
    ResourceAudience.EVERYONE: "Everyone: mentors and mentees",
}


def _program_id(value):
    return int(value) if value not in (None, "", "0") else None


class ResourceForm(FlaskForm):
    title = StringField("Title", validators=[
        DataRequired("Give the resource a title, e.g. “Mentor handbook”."),
        Length(max=TITLE_MAX, message=f"Keep the title under {TITLE_MAX} characters.")])
    kind = SelectField("Kind", choices=[SelectChoice(kind.value, kind.label) for kind in ResourceKind])
    audience = SelectField("Who is it for?", choices=[SelectChoice(a.value, label) for a, label in AUDIENCE_LABELS.items()])
    program_id = SelectField("Program", coerce=_program_id, validate_choice=True,
                             description="Program-specific resources are shown only to that program's participants.")
    body_markdown = TextAreaField("Text (Markdown)", validators=[
        DataRequired("Write the text of the resource: people will read it as a page."),
        Length(max=BODY_MAX, message=f"The text is too long: keep it under {BODY_MAX:,} characters. "
                                     "Split it into two resources.")],
        description="Use ## for headings, - for lists, **bold**, [links](https://…) and | tables |. "
                    "Scripts, styles and embedded frames are removed.")
    position = IntegerField("Position", validators=[
        Optional(), NumberRange(0, POSITION_MAX, f"Enter a number from 0 to {POSITION_MAX}.")],
        description="Lower numbers come first among resources of the same kind. Leave empty to add it last.")
    published = BooleanField("Published: people can read it now")

    def set_programs(self, programs, institution_name: str) -> None:
        """Offer the institution's programs, after the institution-wide choice."""
        self.program_id.choices = [SelectChoice("", f"Everyone in {institution_name}")] + [
            SelectChoice(program.id, program.name) for program in programs]


class PreviewForm(FlaskForm):
    body_markdown = TextAreaField()
