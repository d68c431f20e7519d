"""The signed-in home page, one per role."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from portal.blueprints.dashboard import routes  # noqa: E402,F401
