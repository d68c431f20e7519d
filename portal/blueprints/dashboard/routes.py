"""Each role's home page."""

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from portal.blueprints.dashboard import bp
from portal.extensions import db
from portal.models import Role, User, UserStatus


@bp.route("/")
@login_required
def show_dashboard():
    """Show the signed-in person the home page for their role."""
    if current_user.role == Role.ADMIN:
        return render_template("dashboard/admin.html", counts=_people_counts(),
                               recent=_recent_sign_ins())
    profile = current_user.profile
    return render_template(f"dashboard/{current_user.role.value}.html", profile=profile,
                           missing=_missing_profile_fields(profile))


def _people_counts() -> dict[str, int]:
    rows = db.session.execute(select(User.role, User.status, func.count()).group_by(User.role, User.status))
    counts = {"mentor": 0, "student": 0, "admin": 0, "invited": 0, "active": 0, "deactivated": 0}
    for role, status, count in rows:
        counts[role.value] += count
        counts[status.value] += count
    return counts


def _recent_sign_ins(limit: int = 5) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.last_login_at.is_not(None)).order_by(User.last_login_at.desc()).limit(limit)
    ))


PROFILE_ESSENTIALS = {
    "headline": "a one-line headline",
    "bio": "a short bio",
    "major": "your major",
    "skills": "your skills",
    "career_interests": "your career interests",
}


def _missing_profile_fields(profile) -> list[str]:
    if profile is None:
        return list(PROFILE_ESSENTIALS.values())
    return [label for field, label in PROFILE_ESSENTIALS.items() if not getattr(profile, field)]
