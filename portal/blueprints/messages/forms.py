"""The message box under a thread."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.messaging.threads import MESSAGE_MAX


def _tidy(value: str | None) -> str | None:
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


class MessageForm(FlaskForm):
    body = TextAreaField("Message", filters=[_tidy], validators=[
        DataRequired("Your message is empty: write something first."),
        Length(max=MESSAGE_MAX, message=f"Your message is too long: the limit is {MESSAGE_MAX:,} characters. "
                                        "Shorten it, or split it in two.")],
        description=f"Plain text, up to {MESSAGE_MAX:,} characters; links become clickable.")
    # The newest message the page shows, so the reply brings along anything that arrived meanwhile.
    after = HiddenField(id="thread-after")

    def after_id(self) -> int:
        """Return the id of the newest message the page showed (0 when unknown)."""
        try:
            return max(int(self.after.data or 0), 0)
        except ValueError:
            return 0
