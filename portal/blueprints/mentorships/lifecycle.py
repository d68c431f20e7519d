"""End a mentorship (participants and admins) and read its history."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.blueprints.access import mentorship_or_404
from portal.blueprints.mentorships import bp
from portal.blueprints.mentorships.forms import EndMentorshipForm
from portal.extensions import db
from portal.mentorships import MentorshipError
from portal.mentorships import ending
from portal.mentorships.ending import EndOutcome, early_end_reason
from portal.models import MentorRequest, MentorshipStatus, User, utcnow

ORIGINS = {"request": "the mentee asked and the mentor accepted", "admin_match": "matched by the program team",
           "admin_manual": "paired by hand by the program team"}
EVENTS = {"created": ("Mentorship started", "flag"), "completed": ("Marked as completed", "check-circle"),
          "ended_early": ("Ended early", "x-circle")}


def workspace_url(mentorship_id: int) -> str | None:
    """Return the workspace's address, if the workspace feature is installed."""
    if "workspace.show_workspace" in current_app.view_functions:
        return url_for("workspace.show_workspace", mentorship_id=mentorship_id)
    return None


def _after_ending(mentorship_id: int, viewer_role) -> str:
    # Participants go to the workspace, where the closing survey waits; admins to the history they can check.
    if viewer_role is not None and workspace_url(mentorship_id):
        return workspace_url(mentorship_id)
    return url_for("mentorships.show_history", mentorship_id=mentorship_id)


@bp.route("/mentorships/<int:mentorship_id>/end", methods=["GET", "POST"])
@login_required
def end_mentorship(mentorship_id: int):
    """Mark a mentorship as completed, or end it early with a reason."""
    mentorship, viewer_role = mentorship_or_404(mentorship_id)
    form = EndMentorshipForm()
    if mentorship.status != MentorshipStatus.ACTIVE:
        if form.is_submitted():
            flash(f"This mentorship has already ended ({mentorship.status.label.lower()}); nothing was changed.",
                  "warning")
            return redirect(url_for("mentorships.show_history", mentorship_id=mentorship.id))
        return render_template("mentorships/end.html", mentorship=mentorship, viewer_role=viewer_role, form=None,
                               workspace=workspace_url(mentorship.id))
    if form.validate_on_submit():
        outcome = EndOutcome(form.outcome.data)
        reason = (early_end_reason(form.reason_choice.data, form.reason_detail.data)
                  if outcome == EndOutcome.ENDED_EARLY else (form.reason_detail.data or "").strip())
        others = [p.user.name for p in mentorship.participants if p.user_id != current_user.id]
        try:
            ending.end_mentorship(mentorship.id, current_user.id, outcome, reason)
        except MentorshipError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return redirect(url_for("mentorships.show_history", mentorship_id=mentorship_id))
        db.session.commit()
        told = f" We let {_and(others)} know." if others else ""
        done = "marked as completed" if outcome == EndOutcome.COMPLETED else "ended"
        flash(f"The mentorship is {done}.{told}", "success")
        return redirect(_after_ending(mentorship_id, viewer_role))
    return render_template("mentorships/end.html", mentorship=mentorship, viewer_role=viewer_role, form=form,
                           workspace=workspace_url(mentorship.id)), 422 if form.is_submitted() else 200


@bp.route("/mentorships/<int:mentorship_id>/history")
@login_required
def show_history(mentorship_id: int):
    """Show what happened in a mentorship: how it started, and every change since, with who made it."""
    mentorship, viewer_role = mentorship_or_404(mentorship_id)
    actor_ids = {event.actor_id for event in mentorship.events if event.actor_id}
    actors = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(actor_ids)))} \
        if actor_ids else {}
    request = db.session.scalar(select(MentorRequest).where(MentorRequest.mentorship_id == mentorship.id)
                                .order_by(MentorRequest.id).limit(1))
    return render_template("mentorships/history.html", mentorship=mentorship, viewer_role=viewer_role,
                           events=sorted(mentorship.events, key=lambda event: (event.created_at, event.id)),
                           actors=actors, origins=ORIGINS, event_labels=EVENTS, mentor_request=request,
                           workspace=workspace_url(mentorship.id))


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@bp.app_template_filter("days_since")
def days_since(moment) -> str:
    """Say how long ago something happened, in days: "today", "1 day ago", "12 days ago"."""
    if moment is None:
        return ""
    days = (utcnow() - moment).days
    return "today" if days < 1 else "1 day ago" if days == 1 else f"{days} days ago"
