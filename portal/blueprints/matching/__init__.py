"""Matching: admins run a program's matching, review the suggested pairs, and publish them."""

from flask import Blueprint

bp = Blueprint("matching", __name__, url_prefix="/admin")


@bp.app_template_global()
def waiting_long(run) -> bool:
    """Whether a queued run has waited long enough that a missing worker is the likely cause."""
    from datetime import timedelta

    from portal.models import utcnow

    return run.created_at is not None and utcnow() - run.created_at > timedelta(seconds=30)

from portal.blueprints.matching import review, runs  # noqa: E402,F401
