"""Notifications: each person's list of what happened, marked read as they open it, and the bell
with the unread count in the top bar."""

from flask import Blueprint, Flask
from flask_login import current_user

bp = Blueprint("notifications", __name__)

from portal.blueprints.notifications import routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Let every page's top bar show the signed-in person's unread count."""
    from portal.notifications import unread_count
    from portal.tenancy import tenant_scope

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        # Error pages of static files render the top bar too, outside the request's tenant scope.
        with tenant_scope(current_user.institution_id):
            return unread_count(current_user.id)

    app.jinja_env.globals["unread_notifications"] = unread_notifications
