"""A person's mentorships, and each mentorship's overview and resources (participants; admins read)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.blueprints.access import mentorship_or_404
from portal.blueprints.workspace import bp
from portal.blueprints.workspace.overview import (
    first_meeting_questions, has_met, mentorships_of, next_meeting, open_action_items,
    workspace_resources,
)
from portal.goals.queries import goal_summary, open_goals
from portal.models import MentorshipStatus, Role
from portal.resources.content import excerpt, group_by_kind, render_markdown


def _today() -> date:
    """Return today's date where the viewer is."""
    return datetime.now(ZoneInfo(current_user.timezone or "UTC")).date()


@bp.route("/mentorships")
@login_required
def list_my_mentorships():
    """List the person's mentorships, active first; admins go to the program team's list of all of them."""
    if current_user.role == Role.ADMIN:
        if "mentorships.list_mentorships" in current_app.view_functions:
            return redirect(url_for("mentorships.list_mentorships"))
        return redirect(url_for("dashboard.show_dashboard"))
    return render_template("workspace/list.html", rows=mentorships_of(current_user.id))


@bp.route("/mentorships/<int:mentorship_id>")
@login_required
def show_workspace(mentorship_id: int):
    """Show the mentorship at a glance: the next session, open goals, action items due, where to start."""
    mentorship, viewer_role = mentorship_or_404(mentorship_id)
    items, open_items = open_action_items(mentorship.id)
    met = has_met(mentorship.id)
    upcoming = next_meeting(mentorship.id)
    questions = [] if met else first_meeting_questions(workspace_resources(mentorship, viewer_role))
    return render_template(
        "workspace/overview.html", mentorship=mentorship, viewer_role=viewer_role,
        ended=mentorship.status != MentorshipStatus.ACTIVE, next_meeting=upcoming,
        next_starts=upcoming.starts_at.astimezone(ZoneInfo(current_user.timezone or "UTC")) if upcoming else None,
        goals=open_goals(mentorship.id), summary=goal_summary(mentorship.id), action_items=items,
        open_items=open_items, met=met, questions=questions, excerpt=excerpt, today_date=_today())


@bp.route("/mentorships/<int:mentorship_id>/resources")
@login_required
def show_resources(mentorship_id: int):
    """Show the program's resources for the viewer's side; first-meeting questions lead until the pair meets."""
    mentorship, viewer_role = mentorship_or_404(mentorship_id)
    resources = workspace_resources(mentorship, viewer_role)
    met = has_met(mentorship.id)
    questions = [] if met else first_meeting_questions(resources)
    others = [resource for resource in resources if resource not in questions]
    return render_template("workspace/resources.html", mentorship=mentorship, viewer_role=viewer_role, met=met,
                           questions=[(resource, render_markdown(resource.body_markdown)) for resource in questions],
                           groups=group_by_kind(others), excerpt=excerpt)
