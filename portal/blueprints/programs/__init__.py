"""Programs: admins set them up and write their questionnaires; mentors and students join them."""

from flask import Blueprint

bp = Blueprint("programs", __name__)

from portal.blueprints.programs import admin, participants, questions  # noqa: E402,F401
