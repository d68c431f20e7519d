"""The closing survey when a mentorship ends: would you recommend it (0-10), and a comment."""

from flask import Blueprint, Flask

bp = Blueprint("feedback", __name__)


def init_app(app: Flask) -> None:
    """Let the workspace overview ask whether the viewer still owes the closing survey."""
    from portal.blueprints.feedback.routes import closing_survey_due

    app.jinja_env.globals["closing_survey_due"] = closing_survey_due


from portal.blueprints.feedback import routes  # noqa: E402,F401
