"""A mentorship's goals: list, set and edit them with SMART or REAL guidance; milestones; progress.

Participants change goals (admins read them); with htmx, milestone and progress forms answer with
the part of the page they changed, without htmx with a redirect.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.blueprints.access import mentorship_or_404, safe_next
from portal.blueprints.goals import bp
from portal.blueprints.goals.forms import GoalForm, MilestoneForm, ProgressForm, TickForm
from portal.blueprints.goals.review import can_change_goals, review_form
from portal.extensions import db, htmx
from portal.goals import GoalError
from portal.goals.editing import add_milestone as add_milestone_to, record_progress, save_goal, set_milestone_done
from portal.goals.guidance import KIND_SUMMARIES, LETTERS, check_goal
from portal.goals.queries import closed_goals, goal_history, goal_in, goal_summary, open_goals, update_describes
from portal.models import Goal, GoalKind, Meeting


def _today() -> date:
    """Return today's date where the viewer is."""
    return datetime.now(ZoneInfo(current_user.timezone or "UTC")).date()


def _goal_or_404(mentorship_id: int, goal_id: int, *, change: bool = False):
    mentorship, viewer_role = mentorship_or_404(mentorship_id, change=change)
    goal = goal_in(mentorship.id, goal_id)
    if goal is None:
        abort(404)
    return mentorship, viewer_role, goal


def _show_error(form, error: GoalError) -> None:
    """Put the domain's message next to its field, or above the form."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _checks(form: GoalForm, mentorship):
    program = mentorship.program
    kind = form.kind.data if form.kind.data in {kind.value for kind in GoalKind} else GoalKind.SMART.value
    return kind, check_goal(kind, title=form.title.data or "", description=form.description.data or "",
                            measurable_outcome=form.measurable_outcome.data or "",
                            target_date=form.target_date.data, today=_today(),
                            program_ends_on=program.ends_on if program else None)


@bp.route("/mentorships/<int:mentorship_id>/goals")
@login_required
def list_goals(mentorship_id: int):
    """List the pair's goals: the open ones with their progress, then those achieved or dropped."""
    mentorship, viewer_role = mentorship_or_404(mentorship_id)
    return render_template("goals/list.html", mentorship=mentorship, viewer_role=viewer_role,
                           open_goals=open_goals(mentorship.id), closed_goals=closed_goals(mentorship.id),
                           summary=goal_summary(mentorship.id), can_change=can_change_goals(mentorship),
                           letters=LETTERS, summaries=KIND_SUMMARIES, today=_today())


def _goal_form_page(mentorship, viewer_role, form: GoalForm, goal: Goal | None = None):
    kind, checks = _checks(form, mentorship)
    return render_template("goals/form.html", mentorship=mentorship, viewer_role=viewer_role, form=form, goal=goal,
                           kind=kind, checks=checks, letters=LETTERS, summaries=KIND_SUMMARIES)


def _save(form: GoalForm, mentorship, goal_id: int | None = None) -> Goal | None:
    try:
        goal = save_goal(mentorship.id, current_user.id, today=_today(), goal_id=goal_id, **form.goal_data())
    except GoalError as error:
        db.session.rollback()
        _show_error(form, error)
        return None
    db.session.commit()
    return goal


@bp.route("/mentorships/<int:mentorship_id>/goals/new", methods=["GET", "POST"])
@login_required
def new_goal(mentorship_id: int):
    """Set a new goal, with the letters of SMART or REAL explained and checked as you write."""
    mentorship, viewer_role = mentorship_or_404(mentorship_id, change=True)
    form = GoalForm()
    if not form.is_submitted() and request.args.get("kind") in {kind.value for kind in GoalKind}:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit() and (goal := _save(form, mentorship)):
        flash(f"Your goal “{goal.title}” is set. Add milestones: the steps that will get you there.", "success")
        return redirect(url_for("goals.show_goal", mentorship_id=mentorship.id, goal_id=goal.id))
    return _goal_form_page(mentorship, viewer_role, form)


@bp.route("/mentorships/<int:mentorship_id>/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@login_required
def edit_goal(mentorship_id: int, goal_id: int):
    """Change a goal's wording, kind or target date."""
    mentorship, viewer_role, goal = _goal_or_404(mentorship_id, goal_id, change=True)
    form = GoalForm(obj=None if request.method == "POST" else goal)
    if not form.is_submitted():
        form.kind.data = goal.kind.value
    if form.validate_on_submit() and _save(form, mentorship, goal.id):
        flash(f"Your changes to “{goal.title}” are saved.", "success")
        return redirect(url_for("goals.show_goal", mentorship_id=mentorship.id, goal_id=goal.id))
    return _goal_form_page(mentorship, viewer_role, form, goal)


@bp.route("/mentorships/<int:mentorship_id>/goals/check", methods=["POST"])
@login_required
def check_goal_draft(mentorship_id: int):
    """Return the SMART or REAL checklist for the goal as it is being written (htmx)."""
    mentorship, _ = mentorship_or_404(mentorship_id, change=True)
    form = GoalForm()
    form.validate()  # only to parse the date; the checklist itself says what is missing
    kind, checks = _checks(form, mentorship)
    return render_template("goals/_guidance.html", kind=kind, checks=checks, letters=LETTERS,
                           summaries=KIND_SUMMARIES, date_error=form.target_date.errors[0]
                           if form.target_date.errors else "")


def _goal_page_context(mentorship, viewer_role, goal: Goal, **forms) -> dict:
    progress_form = forms.get("progress_form") or ProgressForm(formdata=None, progress=goal.progress,
                                                               status=goal.status.value)
    return dict(mentorship=mentorship, viewer_role=viewer_role, goal=goal, history=goal_history(goal.id),
                describe=update_describes, can_change=can_change_goals(mentorship),
                progress_form=progress_form, milestone_form=forms.get("milestone_form") or MilestoneForm(formdata=None),
                tick_form=TickForm(formdata=None), notice=forms.get("notice", ""), today=_today())


@bp.route("/mentorships/<int:mentorship_id>/goals/<int:goal_id>")
@login_required
def show_goal(mentorship_id: int, goal_id: int):
    """Show a goal: where it stands, its milestones, a progress form and its whole history."""
    mentorship, viewer_role, goal = _goal_or_404(mentorship_id, goal_id)
    return render_template("goals/show.html", **_goal_page_context(mentorship, viewer_role, goal))


def _goal_body(mentorship, viewer_role, goal_id: int, **forms):
    """Answer an htmx change on the goal page with the page's live part, re-read from the database."""
    goal = goal_in(mentorship.id, goal_id)
    return render_template("goals/_goal_body.html", **_goal_page_context(mentorship, viewer_role, goal, **forms))


@bp.route("/mentorships/<int:mentorship_id>/goals/<int:goal_id>/milestones", methods=["POST"])
@login_required
def add_milestone(mentorship_id: int, goal_id: int):
    """Add a milestone to a goal."""
    mentorship, viewer_role, goal = _goal_or_404(mentorship_id, goal_id, change=True)
    form = MilestoneForm()
    notice = ""
    if form.validate_on_submit():
        try:
            milestone = add_milestone_to(mentorship.id, goal.id, current_user.id, title=form.title.data,
                                         due_on=form.due_on.data)
        except GoalError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            db.session.commit()
            notice = f"Milestone added: “{milestone.title}”."
            form = None
    if not htmx:
        if notice:
            flash(notice, "success")
        else:
            flash(" ".join(error for errors in form.errors.values() for error in errors) or
                  "The milestone could not be added.", "danger")
        return redirect(url_for("goals.show_goal", mentorship_id=mentorship.id, goal_id=goal.id))
    return _goal_body(mentorship, viewer_role, goal.id, milestone_form=form, notice=notice)


@bp.route("/mentorships/<int:mentorship_id>/goals/<int:goal_id>/milestones/<int:milestone_id>/tick",
          methods=["POST"])
@login_required
def tick_milestone(mentorship_id: int, goal_id: int, milestone_id: int):
    """Mark a milestone as reached (or, with done=0, as not reached yet)."""
    mentorship, viewer_role, goal = _goal_or_404(mentorship_id, goal_id, change=True)
    form = TickForm()
    if not form.validate_on_submit():
        abort(400)
    done = form.done.data != "0"
    try:
        milestone = set_milestone_done(mentorship.id, goal.id, milestone_id, current_user.id, done)
    except GoalError as error:
        db.session.rollback()
        notice, category = str(error), "danger"
    else:
        db.session.commit()
        notice = f"“{milestone.title}” is {'reached. Well done!' if done else 'open again.'}"
        category = "success"
    if not htmx:
        flash(notice, category)
        return redirect(url_for("goals.show_goal", mentorship_id=mentorship.id, goal_id=goal.id))
    return _goal_body(mentorship, viewer_role, goal.id, notice=notice)


@bp.route("/mentorships/<int:mentorship_id>/goals/<int:goal_id>/progress", methods=["POST"])
@login_required
def update_progress(mentorship_id: int, goal_id: int):
    """Record a goal's progress and status with a note; from a session's goal review, tied to that session."""
    mentorship, viewer_role, goal = _goal_or_404(mentorship_id, goal_id, change=True)
    prefix = f"goal-{goal.id}" if f"goal-{goal.id}-view" in request.form else ""
    form = ProgressForm(prefix=prefix)
    from_review = form.view.data == "review"
    notice = ""
    if form.validate_on_submit():
        try:
            line = record_progress(mentorship.id, goal.id, current_user.id, progress=form.progress.data,
                                   status=form.status.data, note=form.note.data, meeting_id=form.meeting())
        except GoalError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            db.session.commit()
            notice = (f"Goal achieved: “{goal.title}”. Congratulations!" if line.status.value == "achieved"
                      else f"Progress recorded: {line.progress}%, {line.status.label.lower()}.")
    if not htmx:
        if notice:
            flash(notice, "success")
        else:
            flash(" ".join(error for errors in form.errors.values() for error in errors), "danger")
        back = safe_next(form.next.data) if from_review else None
        return redirect(back or url_for("goals.show_goal", mentorship_id=mentorship.id, goal_id=goal.id))
    if from_review:
        goal = goal_in(mentorship.id, goal.id)
        meeting = db.session.scalar(select(Meeting).where(Meeting.id == form.meeting(),
                                                          Meeting.mentorship_id == mentorship.id))
        item_form = form if not notice else review_form(goal, meeting, form.next.data or "")
        return render_template("goals/_review_item.html", mentorship=mentorship, goal=goal, form=item_form,
                               meeting=meeting, can_change=True, notice=notice)
    return _goal_body(mentorship, viewer_role, goal.id, progress_form=None if notice else form, notice=notice)
