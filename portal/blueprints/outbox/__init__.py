"""Copies of the mail the portal sent, for admins of an institution without a mail server."""

from flask import Blueprint

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")

from portal.blueprints.outbox import routes  # noqa: E402,F401
