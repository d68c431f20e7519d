"""Shared notes: what a pair keeps in writing, in their workspace; both can add and edit."""

from flask import Blueprint

bp = Blueprint("notes", __name__)

from portal.blueprints.notes import routes  # noqa: E402,F401
