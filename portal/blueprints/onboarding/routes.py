"""Walk a new person through their first sign-in, one step at a time."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from portal.blueprints.access import roles_required
from portal.blueprints.onboarding import bp
from portal.extensions import db
from portal.models import Role
from portal.onboarding import finish_onboarding, mark_orientation_read, needs_onboarding, next_step

WELCOME = "/welcome"


def _step_url(key: str, user) -> str:
    if key == "password":
        return url_for("account.change_own_password")
    if key == "profile":
        return url_for("profiles.edit_profile", next=WELCOME)
    if key == "questionnaire":
        from portal.programs.operations import open_questionnaires

        enrollment = open_questionnaires(user.id)[0]
        return url_for("programs.answer_questionnaire", program_id=enrollment.program_id, next=WELCOME)
    return url_for("onboarding.orientation")


@bp.route("")
@login_required
def continue_onboarding():
    """Send the person to their next unfinished step, or to the dashboard when all are done."""
    if not needs_onboarding(current_user):
        return redirect(url_for("dashboard.show_dashboard"))
    step = next_step(current_user)
    if step is None:
        finish_onboarding(current_user)
        db.session.commit()
        flash("You're all set. Welcome to the program!", "success")
        return redirect(url_for("dashboard.show_dashboard"))
    return redirect(_step_url(step.key, current_user))


@bp.route("/orientation", methods=["GET", "POST"])
@roles_required(Role.MENTOR, Role.STUDENT)
def orientation():
    """Show the orientation for the person's role; reading it completes the step."""
    from portal.resources.content import render_markdown, resources_for

    form = FlaskForm()
    if form.validate_on_submit():
        mark_orientation_read(current_user)
        db.session.commit()
        return redirect(url_for("onboarding.continue_onboarding"))
    resources = resources_for(current_user)
    return render_template("onboarding/orientation.html", form=form, resources=resources,
                           render_markdown=render_markdown)
