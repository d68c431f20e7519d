"""People edit their own profile, with tag suggestions as they type."""

from flask import Blueprint

bp = Blueprint("profiles", __name__, url_prefix="/profile")

from portal.blueprints.profiles import routes  # noqa: E402,F401
