"""GET /healthz: is the database reachable, is Redis reachable."""

from flask import jsonify
from sqlalchemy import text

from portal.blueprints.health import bp
from portal.extensions import db
from portal.jobs import redis_connection


def _check(probe) -> str:
    try:
        probe()
    except Exception as error:  # a health check reports any failure, whatever its kind
        return f"error: {type(error).__name__}"
    return "ok"


@bp.route("/healthz")
def healthz():
    """Report the database and Redis status; 503 when either is down."""
    status = {
        "database": _check(lambda: db.session.execute(text("SELECT 1"))),
        "redis": _check(lambda: redis_connection().ping()),
    }
    healthy = all(value == "ok" for value in status.values())
    status["status"] = "ok" if healthy else "degraded"
    return jsonify(status), 200 if healthy else 503
