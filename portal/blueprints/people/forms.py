"""The people list's filters: read from the query string, ignored when they make no sense."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from portal.accounts.invitations import Stage
from portal.models import Role


class PeopleFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a search is a GET that changes nothing

    q = StringField("Search by name or email")
    role = SelectField("Role", validators=[Optional()], choices=[
        SelectChoice("", "All roles"), *(SelectChoice(role.value, role.label) for role in Role)])
    status = SelectField("Status", validators=[Optional()], choices=[
        SelectChoice("", "Any status"), *(SelectChoice(stage.value, stage.label) for stage in Stage)])
    program = SelectField("Program", choices=[SelectChoice("", "Any program")], validators=[Optional()])

    def cleaned(self) -> dict:
        """Return the filters that are valid; a bad value counts as no filter."""
        self.validate()
        values = {"q": (self.q.data or "").strip()[:100]}
        for name in ("role", "status", "program"):
            field = getattr(self, name)
            values[name] = "" if field.errors or field.data is None else str(field.data).strip()
        return values
