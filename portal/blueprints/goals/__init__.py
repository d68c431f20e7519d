"""Goals in a mentorship workspace: set SMART or REAL goals, break them into milestones, record progress."""

from flask import Blueprint, Flask

bp = Blueprint("goals", __name__)

from portal.blueprints.goals import routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Let the session page list the goals to review (templates/goals/_review.html)."""
    from portal.blueprints.goals.review import goal_review

    app.jinja_env.globals["goal_review"] = goal_review
