"""Handbooks, guides and first-meeting questions: admins write them, participants read them."""

from flask import Blueprint

bp = Blueprint("resources", __name__)

from portal.blueprints.resources import routes  # noqa: E402,F401
