"""Admins invite people to join: everyone not yet invited, a selection, or one person."""

from flask import Blueprint

bp = Blueprint("invitations", __name__, url_prefix="/admin/invitations")

from portal.blueprints.invitations import routes  # noqa: E402,F401
