"""Admins look after the people of their institution."""

from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/admin/people")

from portal.blueprints.people import routes  # noqa: E402,F401
