"""The mentorship workspace: a person's mentorships, and one page per mentorship for its participants."""

from flask import Blueprint

bp = Blueprint("workspace", __name__)

from portal.blueprints.workspace import routes  # noqa: E402,F401
