"""After a session: mark it held or a no-show, keep shared notes and action items, rate it."""

from flask import Blueprint, Flask

bp = Blueprint("meetings", __name__)


def init_app(app: Flask) -> None:
    """Let the session page and the workspace overview build the after-session panel and prompts."""
    from portal.blueprints.meetings.panel import after_session, sessions_to_rate_for

    app.jinja_env.globals["after_session"] = after_session
    app.jinja_env.globals["sessions_to_rate_for"] = sessions_to_rate_for


from portal.blueprints.meetings import routes  # noqa: E402,F401
