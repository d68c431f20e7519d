"""Engagement: pairs at risk and nudges, fairness, requests left waiting, and thanks to mentors."""

from flask import Blueprint, Flask

bp = Blueprint("engagement", __name__)


def init_app(app: Flask) -> None:
    """Give templates the reports panel's figures (counted alongside the dashboard) and a mentor's recognition."""
    from portal.blueprints.engagement.panels import (
        engagement_panel, finish_counting, mentor_recognition_panel, reports_url, start_counting_for_dashboard,
    )

    app.before_request(start_counting_for_dashboard)
    app.teardown_request(finish_counting)
    app.jinja_env.globals["engagement_panel"] = engagement_panel
    app.jinja_env.globals["engagement_reports_url"] = reports_url
    app.jinja_env.globals["mentor_recognition_panel"] = mentor_recognition_panel


from portal.blueprints.engagement import routes  # noqa: E402,F401
