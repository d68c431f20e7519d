"""Mentor requests: students ask mentors to take them on; mentors answer from their inbox."""

from flask import Blueprint, Flask

bp = Blueprint("requests", __name__)

from portal.blueprints.requests import mentor, shared, student  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Count waiting requests beside the mentor's menu entry; give templates the request box and answer times."""
    from portal.blueprints.requests.shared import answer_time, request_box
    from portal.navigation import register_count
    from portal.requests import pending_count

    register_count(app, "requests.show_inbox", pending_count)
    app.add_template_filter(answer_time, "answer_time")
    app.jinja_env.globals["request_box"] = request_box
