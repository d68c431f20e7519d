"""Read and write a mentorship's messages; list a person's conversations."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_htmx import make_response as htmx_response
from flask_login import current_user, login_required

from portal.blueprints.access import mentorship_or_404, roles_required
from portal.blueprints.messages import bp
from portal.blueprints.messages.forms import MessageForm
from portal.extensions import db, htmx
from portal.messaging import MessagingError
from portal.messaging.text import excerpt
from portal.messaging.threads import (
    conversations_of, last_read_id, latest_messages, mark_read, messages_after, send_message as send,
)
from portal.models import MentorshipStatus, Role

NEW_MESSAGES_MAX = 200  # per poll; a longer backlog arrives over the next polls


@bp.route("/messages")
@roles_required(Role.MENTOR, Role.STUDENT)
def list_conversations():
    """List the person's conversations with the newest activity first, and what is unread."""
    return render_template("messages/list.html", conversations=conversations_of(current_user.id), excerpt=excerpt)


def _render_thread(mentorship, viewer_role, form: MessageForm | None = None, status: int = 200):
    before = request.args.get("before", type=int)
    messages, has_older = latest_messages(mentorship.id, before=before)
    first_unread = None
    if viewer_role is not None and messages:
        last_read = last_read_id(mentorship.id, current_user.id)
        first_unread = next((m.id for m in messages if m.id > last_read and m.sender_id != current_user.id), None)
        mark_read(mentorship.id, current_user.id, messages[-1].id)
        db.session.commit()
    newest = messages[-1].id if messages else 0
    form = form or MessageForm(formdata=None)
    form.after.data = str(newest)
    can_write = viewer_role is not None and mentorship.status == MentorshipStatus.ACTIVE and not before
    return render_template("messages/thread.html", mentorship=mentorship, viewer_role=viewer_role,
                           messages=messages, has_older=has_older, paged=bool(before), first_unread=first_unread,
                           form=form, can_write=can_write), status


@bp.route("/mentorships/<int:mentorship_id>/messages")
@login_required
def show_thread(mentorship_id: int):
    """Show the thread and mark it read up to the newest message shown."""
    mentorship, viewer_role = mentorship_or_404(mentorship_id)
    return _render_thread(mentorship, viewer_role)


def _field_with_error(form: MessageForm, message: str):
    """Put the complaint under the message box: htmx swaps just the box, a plain post gets the page again."""
    form.body.errors = [message]
    return htmx_response(render_template("messages/_body_field.html", form=form), 422,
                         retarget="#message-body-field", reswap="outerHTML")


@bp.route("/mentorships/<int:mentorship_id>/messages", methods=["POST"])
@login_required
def send_message(mentorship_id: int):
    """Send a message; with htmx, answer with what to append and an empty message box."""
    mentorship, viewer_role = mentorship_or_404(mentorship_id, change=True)
    form = MessageForm()
    if not form.validate_on_submit():
        message = " ".join(form.body.errors) or "This form had expired. Please send your message again."
        if htmx:
            return _field_with_error(form, message)
        form.body.errors = [message]
        return _render_thread(mentorship, viewer_role, form)
    try:
        sent = send(mentorship.id, current_user.id, form.body.data)
    except MessagingError as error:
        db.session.rollback()
        if htmx:
            return _field_with_error(form, str(error))
        flash(str(error), "danger")
        return redirect(url_for("messages.show_thread", mentorship_id=mentorship.id))
    # Whatever arrived since the page last looked comes along, so nothing is skipped or shown twice.
    shown = messages_after(mentorship.id, min(form.after_id(), sent.id - 1), limit=NEW_MESSAGES_MAX)
    if sent.id not in {message.id for message in shown}:  # a page far behind: jump to the reply
        shown = messages_after(mentorship.id, sent.id - 1, limit=NEW_MESSAGES_MAX)
    mark_read(mentorship.id, current_user.id, shown[-1].id)
    db.session.commit()
    if not htmx:
        return redirect(url_for("messages.show_thread", mentorship_id=mentorship.id, _anchor="message-form"))
    return render_template("messages/_sent.html", messages=shown, after=shown[-1].id,
                           form=MessageForm(formdata=None), viewer_role=viewer_role)


@bp.route("/mentorships/<int:mentorship_id>/messages/new")
@login_required
def poll_messages(mentorship_id: int):
    """Return the messages newer than `after` to append to an open thread (204 when there are none)."""
    mentorship, viewer_role = mentorship_or_404(mentorship_id)
    after = max(request.args.get("after", type=int, default=0), 0)
    new = messages_after(mentorship.id, after, limit=NEW_MESSAGES_MAX)
    if not new:
        return "", 204
    if viewer_role is not None:
        mark_read(mentorship.id, current_user.id, new[-1].id)
        db.session.commit()
    return render_template("messages/_new.html", messages=new, after=new[-1].id, viewer_role=viewer_role)
