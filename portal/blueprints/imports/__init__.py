"""Admins bring alumni and students in from a spreadsheet: upload, preview, confirm."""

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/admin")

from portal.blueprints.imports import routes  # noqa: E402,F401
