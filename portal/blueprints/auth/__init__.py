"""Signing in and out, invitations and password resets."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.blueprints.auth import routes  # noqa: E402,F401
from portal.blueprints.auth.loader import init_app  # noqa: E402,F401
