"""Adding and editing a shared note."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.messaging.notes import NOTE_BODY_MAX, NOTE_TITLE_MAX


def _tidy(value: str | None) -> str | None:
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


class NoteForm(FlaskForm):
    title = StringField("Title", filters=[_tidy], validators=[
        DataRequired("Give the note a title, e.g. “What we agreed” or “Reading list”."),
        Length(max=NOTE_TITLE_MAX, message=f"Keep the title under {NOTE_TITLE_MAX} characters.")])
    body = TextAreaField("Note", filters=[_tidy], validators=[
        DataRequired("The note is empty: write what you want to keep."),
        Length(max=NOTE_BODY_MAX, message=f"The note is too long: the limit is {NOTE_BODY_MAX:,} characters. "
                                          "Split it into two notes.")],
        description=f"Plain text, up to {NOTE_BODY_MAX:,} characters. Both of you can read and edit it; "
                    "your program team can read it.")


class EditNoteForm(NoteForm):
    # The version the editor started from, so an edit never silently overwrites someone else's.
    version = HiddenField()

    def version_number(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None
