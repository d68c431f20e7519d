"""Read, add and edit a mentorship's shared notes; admins read them only."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.blueprints.access import get_or_404, mentorship_or_404
from portal.blueprints.notes import bp
from portal.blueprints.notes.forms import EditNoteForm, NoteForm
from portal.extensions import db
from portal.messaging import MessagingError
from portal.messaging.notes import NoteChanged, add_note as add, edit_note as edit, notes_of
from portal.models import MentorshipStatus, SharedNote

ENDED = "This mentorship has ended, so its notes can no longer be changed. They stay here to read."


def _render_list(mentorship, viewer_role, form: NoteForm):
    can_write = viewer_role is not None and mentorship.status == MentorshipStatus.ACTIVE
    return render_template("notes/list.html", mentorship=mentorship, viewer_role=viewer_role,
                           notes=notes_of(mentorship.id), form=form, can_write=can_write)


@bp.route("/mentorships/<int:mentorship_id>/notes")
@login_required
def list_notes(mentorship_id: int):
    """Show the pair's shared notes, the most recently changed first, with a form to add one."""
    mentorship, viewer_role = mentorship_or_404(mentorship_id)
    return _render_list(mentorship, viewer_role, NoteForm(formdata=None))


@bp.route("/mentorships/<int:mentorship_id>/notes", methods=["POST"])
@login_required
def add_note(mentorship_id: int):
    """Add a shared note."""
    mentorship, viewer_role = mentorship_or_404(mentorship_id, change=True)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            note = add(mentorship.id, current_user.id, form.title.data, form.body.data)
        except MessagingError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return redirect(url_for("notes.list_notes", mentorship_id=mentorship.id))
        db.session.commit()
        flash(f"“{note.title}” is saved. Both of you can read and edit it.", "success")
        return redirect(url_for("notes.list_notes", mentorship_id=mentorship.id, _anchor=f"note-{note.id}"))
    return _render_list(mentorship, viewer_role, form)


@bp.route("/notes/<int:note_id>/edit", methods=["GET", "POST"])
@login_required
def edit_note(note_id: int):
    """Edit a shared note; an edit made while someone else saved theirs is refused with both versions shown."""
    note = get_or_404(SharedNote, note_id)
    mentorship, viewer_role = mentorship_or_404(note.mentorship_id, change=True)
    back = url_for("notes.list_notes", mentorship_id=mentorship.id)
    if mentorship.status != MentorshipStatus.ACTIVE:
        flash(ENDED, "warning")
        return redirect(back)
    form = EditNoteForm(obj=note)
    if not form.is_submitted():
        form.version.data = str(note.version)
    conflict = None
    if form.validate_on_submit():
        try:
            edit(note.id, current_user.id, form.title.data, form.body.data, form.version_number())
        except NoteChanged as error:
            db.session.rollback()
            conflict = note  # reloaded: what the other person saved
            form.version.data = str(note.version)  # saving again now overwrites it, knowingly
            form.form_errors.append(str(error))
        except MessagingError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Your changes to “{note.title}” are saved.", "success")
            return redirect(url_for("notes.list_notes", mentorship_id=mentorship.id, _anchor=f"note-{note.id}"))
    return render_template("notes/edit.html", mentorship=mentorship, viewer_role=viewer_role, note=note, form=form,
                           conflict=conflict)
