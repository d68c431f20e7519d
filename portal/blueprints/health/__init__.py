"""The public health check load balancers and monitors call."""

from flask import Blueprint

bp = Blueprint("health", __name__)

from portal.blueprints.health import routes  # noqa: E402,F401
