"""Engagement: pairs at risk and nudges, fairness, requests left waiting, and thanks to mentors."""

from flask import Blueprint, Flask

bp = Blueprint("engagement", __name__)


def init_app(app: Flask) -> None:
    """Give templates the reports panel's figures and a mentor's recognition."""
    from portal.blueprints.engagement.panels import engagement_panel, mentor_recognition_panel, reports_url

    app.jinja_env.globals["engagement_panel"] = engagement_panel
    app.jinja_env.globals["engagement_reports_url"] = reports_url
    app.jinja_env.globals["mentor_recognition_panel"] = mentor_recognition_panel


from portal.blueprints.engagement import routes  # noqa: E402,F401
