"""Messages: a thread per mentorship, new messages appearing as they arrive, unread counts in the menu."""

from flask import Blueprint, Flask

bp = Blueprint("messages", __name__)

from portal.blueprints.messages import routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Show the unread count beside Messages in the menu, and how message text is shown."""
    from flask_login import current_user

    from portal.messaging.text import plain_text
    from portal.messaging.threads import total_unread, unread_in
    from portal.navigation import register_count

    def unread_messages_in(mentorship_id: int) -> int:
        """Return the signed-in person's unread messages in one mentorship (for tabs and cards)."""
        return unread_in(mentorship_id, current_user.id) if current_user.is_authenticated else 0

    register_count(app, "messages.list_conversations", total_unread)
    app.add_template_filter(plain_text, "plain_text")
    app.jinja_env.globals["unread_messages_in"] = unread_messages_in
