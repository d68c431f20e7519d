"""Scheduling sessions: booking and proposing, each session's life, calendars (availability: its own blueprint)."""

from flask import Blueprint

bp = Blueprint("scheduling", __name__)


@bp.context_processor
def _viewer_time():
    """Give this feature's templates `local(moment)`: a UTC instant in the viewer's timezone."""
    from flask_login import current_user

    from portal.scheduling.slots import zone_of

    zone = zone_of(current_user.timezone if current_user.is_authenticated else "UTC")
    return {"local": lambda moment: moment.astimezone(zone)}


from portal.blueprints.scheduling import calendar, sessions  # noqa: E402,F401
