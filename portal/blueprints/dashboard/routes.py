"""Each role's home page."""

from flask import current_app, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from portal.accounts.invitations import Stage, stage_for
from portal.blueprints.dashboard import bp
from portal.extensions import db
from portal.mentorships.cards import mentorship_cards
from portal.models import Role, User
from portal.onboarding import needs_onboarding, onboarding_steps
from portal.profiles.completeness import profile_completeness


@bp.route("/")
@login_required
def show_dashboard():
    """Show the signed-in person the home page for their role."""
    if current_user.role == Role.ADMIN:
        return render_template("dashboard/admin.html", counts=_people_counts(), recent=_recent_sign_ins(),
                               keeps_copies=current_app.config.get("MAIL_KEEP_COPIES"))
    user = current_user._get_current_object()
    return render_template(f"dashboard/{user.role.value}.html", profile=user.profile,
                           completeness=profile_completeness(user), mentorships=mentorship_cards(user),
                           onboarding_steps=onboarding_steps(user) if needs_onboarding(user) else [])


def _people_counts() -> dict[str, int]:
    """Count people by role and by stage (not invited, invited, joined, active, deactivated)."""
    rows = db.session.execute(
        select(User.role, User.status, User.invited_at.is_(None), User.onboarded_at.is_(None), func.count())
        .group_by(User.role, User.status, User.invited_at.is_(None), User.onboarded_at.is_(None))
    )
    counts = {key: 0 for key in [role.value for role in Role] + [stage.value for stage in Stage]}
    for role, status, never_invited, not_onboarded, count in rows:
        counts[role.value] += count
        counts[stage_for(status, role, invited=not never_invited, onboarded=not not_onboarded).value] += count
    return counts


def _recent_sign_ins(limit: int = 5) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.last_login_at.is_not(None)).order_by(User.last_login_at.desc()).limit(limit)
    ))
