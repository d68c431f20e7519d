"""After a session: its outcome, shared notes, action items and each participant's rating.

Every action answers htmx with the part of the panel it changed, and a plain form post with a
redirect to the session page and a flash message.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from portal.blueprints.access import get_or_404, mentorship_or_404
from portal.blueprints.meetings import bp
from portal.blueprints.meetings.forms import ActionItemForm, CompleteForm, FeedbackForm, NotesForm, ToggleForm
from portal.blueprints.meetings.panel import Notice, after_session, viewer_today
from portal.extensions import db, htmx
from portal.meetings import (
    AlreadyRated, MeetingError, NotesConflict, add_action_item as add_item, complete_meeting, give_feedback as rate,
    notes_fingerprint, save_notes as store_notes, set_action_item_done,
)
from portal.models import ActionItem, Meeting, MeetingStatus


def _load(meeting_id: int, *, change: bool):
    """Return (meeting, mentorship, viewer role); 404 for outsiders, 403 for admins changing things."""
    meeting = get_or_404(Meeting, meeting_id)
    mentorship, viewer_role = mentorship_or_404(meeting.mentorship_id, change=change)
    return meeting, mentorship, viewer_role


def session_url(meeting_id: int) -> str:
    """Return the session page (the scheduling feature's), or this session's feedback page without it."""
    try:
        return url_for("scheduling.show_session", meeting_id=meeting_id)
    except BuildError:
        return url_for("meetings.give_feedback", meeting_id=meeting_id)


def workspace_url(mentorship_id: int) -> str:
    """Return the mentorship's workspace overview, or the dashboard without it."""
    try:
        return url_for("workspace.show_workspace", mentorship_id=mentorship_id)
    except BuildError:
        return url_for("dashboard.show_dashboard")


def _first_error(form) -> str:
    return next(iter(error for errors in form.errors.values() for error in errors),
                "Something in the form wasn't right; please check it and try again.")


def _answer(template: str, meeting, mentorship, viewer_role, part: str, notice: Notice, **panel):
    """Answer htmx with the changed part of the panel; a plain post with a redirect and a flash."""
    if htmx:
        after = after_session(meeting, mentorship, viewer_role, notices={part: notice}, **panel)
        return render_template(template, after=after, meeting=meeting, mentorship=mentorship,
                               viewer_role=viewer_role)
    flash(notice.message, notice.kind)
    return redirect(session_url(meeting.id))


@bp.route("/sessions/<int:meeting_id>/complete", methods=["POST"])
@login_required
def complete_session(meeting_id: int):
    """Mark a confirmed session that has started as held, or as a no-show."""
    meeting, mentorship, viewer_role = _load(meeting_id, change=True)
    form = CompleteForm()
    if not form.validate_on_submit():
        notice = Notice(_first_error(form), "warning")
    else:
        try:
            complete_meeting(meeting.id, current_user.id, form.outcome.data)
            db.session.commit()
            notice = (Notice("The session is marked as held. Add your notes and action items, and rate it below.")
                      if form.outcome.data == MeetingStatus.COMPLETED.value else
                      Notice("The session is marked as a no-show. You can propose a new time from the Sessions tab.",
                             "info"))
        except MeetingError as error:
            db.session.rollback()
            notice = Notice(str(error), "warning")
        db.session.refresh(meeting)
    return _answer("meetings/_after.html", meeting, mentorship, viewer_role, "outcome", notice)


@bp.route("/sessions/<int:meeting_id>/notes", methods=["POST"])
@login_required
def save_notes(meeting_id: int):
    """Save the session's shared notes, without losing what the other person saved meanwhile."""
    meeting, mentorship, viewer_role = _load(meeting_id, change=True)
    form = NotesForm()
    conflict = None
    if not form.validate_on_submit():
        notice = Notice(_first_error(form), "danger")
    else:
        try:
            store_notes(meeting.id, current_user.id, form.notes.data, based_on=form.based_on.data or None)
            db.session.commit()
            # The editor now starts from what was saved.
            form = NotesForm(formdata=None, notes=meeting.notes, based_on=notes_fingerprint(meeting.notes))
            notice = Notice("Notes saved.")
        except NotesConflict as error:
            db.session.rollback()
            conflict = error.current
            form.based_on.data = notes_fingerprint(error.current)
            notice = Notice(str(error), "warning")
        except MeetingError as error:
            db.session.rollback()
            notice = Notice(str(error), "danger")
    return _answer("meetings/_notes.html", meeting, mentorship, viewer_role, "notes", notice,
                   notes_form=form, notes_conflict=conflict)


@bp.route("/sessions/<int:meeting_id>/action-items", methods=["POST"])
@login_required
def add_action_item(meeting_id: int):
    """Add an action item to the session, for the viewer or the other participant."""
    meeting, mentorship, viewer_role = _load(meeting_id, change=True)
    form = ActionItemForm()
    form.owner_id.choices = []
    kept = form
    if not form.validate_on_submit():
        notice = Notice(_first_error(form), "danger")
    else:
        try:
            item = add_item(meeting.id, current_user.id, form.title.data, form.owner_id.data, form.due_on.data,
                            today=viewer_today())
            db.session.commit()
            whose = "" if item.owner_id == current_user.id else " We let them know."
            notice = Notice(f"Action item added.{whose}")
            kept = None  # a fresh, empty form for the next item
        except MeetingError as error:
            db.session.rollback()
            notice = Notice(str(error), "danger")
    return _answer("meetings/_action_items.html", meeting, mentorship, viewer_role, "items", notice, item_form=kept)


@bp.route("/action-items/<int:item_id>/toggle", methods=["POST"])
@login_required
def toggle_action_item(item_id: int):
    """Mark an action item done, or not done again."""
    item = get_or_404(ActionItem, item_id)
    mentorship, viewer_role = mentorship_or_404(item.mentorship_id, change=True)
    form = ToggleForm()
    if not form.validate_on_submit():
        notice = Notice(_first_error(form), "danger")
    else:
        # The wanted state travels with the click, so a double click or a stale tab can't flip it back.
        done = (form.done.data == "1") if form.done.data in ("0", "1") else item.done_at is None
        try:
            item = set_action_item_done(item.id, done)
            db.session.commit()
            notice = Notice(f"“{item.title}” is {'done' if done else 'open again'}.")
        except MeetingError as error:
            db.session.rollback()
            notice = Notice(str(error), "warning")
    meeting = db.session.get(Meeting, item.meeting_id) if item.meeting_id else None
    if meeting is None:  # its session was deleted; the item lives on in the mentorship
        flash(notice.message, notice.kind)
        return redirect(workspace_url(mentorship.id))
    return _answer("meetings/_action_items.html", meeting, mentorship, viewer_role, "items", notice)


@bp.route("/sessions/<int:meeting_id>/feedback", methods=["GET", "POST"])
@login_required
def give_feedback(meeting_id: int):
    """Rate a held session: 1 to 5, what went well, how the goals moved on; once per person."""
    meeting, mentorship, viewer_role = _load(meeting_id, change=request.method == "POST")
    form = FeedbackForm()
    notices = {}
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                rate(meeting.id, current_user.id, form.rating.data, form.went_well.data, form.goal_progress.data)
                db.session.commit()
                notice = Notice("Thank you for your feedback! It helps your program team support you both.")
                if not htmx:
                    flash(notice.message, notice.kind)
                    return redirect(session_url(meeting.id))
                notices["feedback"] = notice
            except AlreadyRated as error:
                db.session.rollback()
                notices["feedback"] = Notice(str(error), "info")
                if not htmx:
                    flash(str(error), "info")
                    return redirect(session_url(meeting.id))
            except MeetingError as error:
                db.session.rollback()
                notices["feedback"] = Notice(str(error), "warning")
        else:
            notices["feedback"] = Notice("Please check the form: " + _first_error(form), "danger")
    after = after_session(meeting, mentorship, viewer_role, feedback_form=form, notices=notices)
    refused = notices.get("feedback") and notices["feedback"].kind in ("danger", "warning")
    if htmx and request.method == "POST":
        return render_template("meetings/_feedback.html", after=after, meeting=meeting, mentorship=mentorship,
                               viewer_role=viewer_role)
    return render_template("meetings/feedback.html", after=after, meeting=meeting, mentorship=mentorship,
                           viewer_role=viewer_role, session_url=session_url(meeting.id)), 422 if refused else 200
