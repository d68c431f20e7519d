"""The mentor directory: students search the mentors of their programs and read why one fits."""

from flask import Blueprint

bp = Blueprint("directory", __name__)

from portal.blueprints.directory import routes  # noqa: E402,F401
