"""The upload form, and the empty forms that carry a CSRF token for confirm and discard."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField

NO_PROGRAM = 0


class UploadForm(FlaskForm):
    file = FileField("CSV file", validators=[
        FileRequired("Choose the CSV file to upload."),
        FileAllowed(["csv", "txt"], 'Upload a .csv file. In your spreadsheet choose "Save as" and pick '
                                    '"CSV UTF-8 (comma delimited)".'),
    ])
    program_id = SelectField("Enroll everyone into a program", coerce=int, default=NO_PROGRAM,
                             description="Mentors join as mentors, students as mentees. People already in the "
                                         "program stay as they are.")


class ActionForm(FlaskForm):
    """A button that changes an import; only the CSRF token travels."""
