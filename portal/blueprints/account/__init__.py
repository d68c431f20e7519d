"""A person's own account: name, timezone and password."""

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")

from portal.blueprints.account import routes  # noqa: E402,F401
