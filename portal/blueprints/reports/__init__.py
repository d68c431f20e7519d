"""Reports: admins read their programs' results, export them as CSV and print them for leadership."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from portal.blueprints.reports import routes  # noqa: E402,F401
