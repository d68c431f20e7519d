"""Shared notes: what a pair wants to keep in writing (agreements, reading lists), both can edit."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.messaging import MessagingError
from portal.messaging.threads import clean_body, writable_mentorship
from portal.models import SharedNote, utcnow

NOTE_TITLE_MAX = 120
NOTE_BODY_MAX = 20000


class NoteChanged(MessagingError):
    """The note was changed by someone else since the editor opened it; `note` is the current version."""

    def __init__(self, message: str, note: SharedNote):
        super().__init__(message)
        self.note = note


def _clean_title(title: str | None) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise MessagingError("Give the note a title, e.g. “What we agreed” or “Reading list”.")
    if len(title) > NOTE_TITLE_MAX:
        raise MessagingError(f"Keep the title under {NOTE_TITLE_MAX} characters.")
    return title


def notes_of(mentorship_id: int) -> list[SharedNote]:
    """Return the mentorship's notes, the most recently changed first."""
    return list(db.session.scalars(
        select(SharedNote).where(SharedNote.mentorship_id == mentorship_id)
        .options(selectinload(SharedNote.author), selectinload(SharedNote.editor))
        .order_by(SharedNote.updated_at.desc(), SharedNote.id.desc())))


def add_note(mentorship_id: int, author_id: int, title: str | None, body: str | None) -> SharedNote:
    """Add a note to an active mentorship, written by one of its participants."""
    title, body = _clean_title(title), clean_body(body, NOTE_BODY_MAX, "note")
    mentorship = writable_mentorship(mentorship_id, author_id, "add or edit notes")
    now = utcnow()
    note = SharedNote(institution_id=mentorship.institution_id, mentorship_id=mentorship.id, author_id=author_id,
                      editor_id=author_id, title=title, body=body, version=1, created_at=now, updated_at=now)
    db.session.add(note)
    db.session.flush()
    return note


def edit_note(note_id: int, editor_id: int, title: str | None, body: str | None, version: int | None) -> SharedNote:
    """Save a participant's edit of the note they opened at `version`; raise NoteChanged if it moved on since."""
    note = db.session.scalar(select(SharedNote).where(SharedNote.id == note_id))
    if note is None:
        raise MessagingError("This note doesn't exist any more.")
    title, body = _clean_title(title), clean_body(body, NOTE_BODY_MAX, "note")
    writable_mentorship(note.mentorship_id, editor_id, "add or edit notes")
    if title == note.title and body == note.body:
        return note  # nothing changed: keep who edited it last and when
    # A conditional UPDATE: of two edits made from the same version, only the first is saved.
    saved = db.session.execute(
        update(SharedNote).where(SharedNote.id == note.id, SharedNote.version == version)
        .values(title=title, body=body, editor_id=editor_id, version=SharedNote.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(note)
    if saved != 1:
        who = note.editor.name if note.editor else "Someone"
        raise NoteChanged(f"{who} changed this note while you were editing it, so your version was not saved. "
                          "Their version is shown below; your text is kept in the form: merge the two and "
                          "save again.", note)
    return note
