"""Who may use a view: stacked decorators, and lookups that stay inside the tenant."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.extensions import db
from portal.models import Role


def roles_required(*roles: Role) -> Callable:
    """Let signed-in users with one of `roles` through; others get 403, anonymous the sign-in page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = roles_required(Role.ADMIN)


def get_or_404(model, record_id: int):
    """Load a record through the tenant scope; another institution's record is simply not found."""
    record = db.session.scalar(select(model).where(model.id == record_id))
    if record is None:
        abort(404)
    return record


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(char) < 32 for char in target):
        return None
    return target


def mentorship_or_404(mentorship_id: int, *, change: bool = False):
    """Return (mentorship, the viewer's ParticipantRole or None for an admin) for a workspace view.

    Participants may read and change; admins of the institution may only read (403 when
    `change`); anyone else, and any other institution, gets 404.
    """
    from portal.models import Mentorship, MentorshipParticipant, Role

    mentorship = get_or_404(Mentorship, mentorship_id)
    role = db.session.scalar(select(MentorshipParticipant.role).where(
        MentorshipParticipant.mentorship_id == mentorship.id, MentorshipParticipant.user_id == current_user.id))
    if role is None:
        if current_user.role != Role.ADMIN:
            abort(404)
        if change:
            abort(403)
    return mentorship, role
