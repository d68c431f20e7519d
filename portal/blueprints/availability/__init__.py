"""A mentor's availability: the weekly windows students book sessions in, and dates off."""

from flask import Blueprint

bp = Blueprint("availability", __name__)

from portal.blueprints.availability import routes  # noqa: E402,F401
