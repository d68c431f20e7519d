"""Shared notes: both people in a mentorship read, add and edit them; an edit never silently overwrites
the other person's; admins read them only; an ended mentorship keeps them to read."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.messaging import MessagingError
from portal.messaging.notes import NOTE_BODY_MAX, NOTE_TITLE_MAX, NoteChanged, add_note, edit_note
from portal.models import SharedNote
from portal.tenancy import tenant_scope, unscoped
from tests.access.messages import make_pair
from tests.concurrency import while_open
from tests.factories import make_user


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def pair(app, institution, people) -> int:
    with app.app_context(), tenant_scope(institution.id):
        return make_pair(institution.id)


def notes_in(app, mentorship_id: int) -> list[tuple[str, str, int]]:
    with app.app_context(), unscoped():
        return [tuple(row) for row in db.session.execute(
            select(SharedNote.title, SharedNote.body, SharedNote.version)
            .where(SharedNote.mentorship_id == mentorship_id).order_by(SharedNote.id))]


def note_id(app, mentorship_id: int) -> int:
    with app.app_context(), unscoped():
        return db.session.scalar(select(SharedNote.id).where(SharedNote.mentorship_id == mentorship_id))


def version_in(page: str) -> str:
    return re.search(r'id="version" name="version" type="hidden" value="(\d+)"', page).group(1)


def test_both_people_add_and_edit_notes_and_see_who_did(app, pair, student_client, mentor_client):
    empty = text(student_client.get(f"/mentorships/{pair}/notes"))
    assert "No shared notes yet." in empty and "Add a note" in empty

    response = student_client.post(f"/mentorships/{pair}/notes", data={
        "title": "What we agreed", "body": "- Meet every other Tuesday\n- Reply within two days"})
    assert response.status_code == 302
    note = note_id(app, pair)
    assert response.headers["Location"] == f"/mentorships/{pair}/notes#note-{note}"
    page = text(mentor_client.get(f"/mentorships/{pair}/notes"))
    assert "“What we agreed” is saved" not in page  # the flash was the student's
    assert "What we agreed" in page and "- Meet every other Tuesday\n- Reply within two days" in page
    assert "Added by Jordan Lee on" in page and "edited by" not in page
    assert f'href="/notes/{note}/edit"' in page

    form = text(mentor_client.get(f"/notes/{note}/edit"))
    assert "Meet every other Tuesday" in form and version_in(form) == "1"
    saved = mentor_client.post(f"/notes/{note}/edit", data={
        "title": "What we agreed", "body": "- Meet every other Tuesday at 5 pm\n- Reply within two days",
        "version": "1"})
    assert saved.status_code == 302
    page = text(student_client.get(f"/mentorships/{pair}/notes"))
    assert "Tuesday at 5 pm" in page and "Added by you on" in page and "edited by Priya Raman" in page
    assert notes_in(app, pair) == [("What we agreed", "- Meet every other Tuesday at 5 pm\n- Reply within two days",
                                    2)]


@pytest.mark.parametrize("title, body, complaint", [
    ("", "Something", "Give the note a title"),
    ("Reading list", "   ", "The note is empty: write what you want to keep."),
    ("x" * (NOTE_TITLE_MAX + 1), "Something", f"Keep the title under {NOTE_TITLE_MAX} characters."),
    ("Reading list", "y" * (NOTE_BODY_MAX + 1), f"The note is too long: the limit is {NOTE_BODY_MAX:,} characters."),
])
def test_a_note_without_a_title_or_text_or_too_long_is_refused(app, pair, student_client, title, body, complaint):
    page = student_client.post(f"/mentorships/{pair}/notes", data={"title": title, "body": body})
    assert page.status_code == 200 and complaint in text(page)
    assert notes_in(app, pair) == []
    student_client.post(f"/mentorships/{pair}/notes", data={"title": "Fine", "body": "Fine"})
    page = student_client.post(f"/notes/{note_id(app, pair)}/edit", data={"title": title, "body": body, "version": "1"})
    assert page.status_code == 200 and complaint in text(page)
    assert notes_in(app, pair) == [("Fine", "Fine", 1)]


def test_an_edit_made_from_an_old_version_is_refused_with_both_versions_shown(app, pair, student_client,
                                                                            mentor_client):
    student_client.post(f"/mentorships/{pair}/notes", data={"title": "Plan", "body": "Draft plan"})
    note = note_id(app, pair)
    assert version_in(text(student_client.get(f"/notes/{note}/edit"))) == "1"
    assert version_in(text(mentor_client.get(f"/notes/{note}/edit"))) == "1"
    mentor_client.post(f"/notes/{note}/edit", data={"title": "Plan", "body": "Priya's plan", "version": "1"})

    clash = student_client.post(f"/notes/{note}/edit", data={"title": "Plan", "body": "Jordan's plan",
                                                              "version": "1"})
    page = text(clash)
    assert clash.status_code == 200
    assert "Priya Raman changed this note while you were editing it, so your version was not saved." in page
    assert "The note as it is saved now" in page and "Priya's plan" in page
    assert re.search(r"<textarea[^>]*>\s*Jordan's plan</textarea>", page), "the student's text is kept"
    assert version_in(page) == "2" and "Save my version" in page
    assert notes_in(app, pair) == [("Plan", "Priya's plan", 2)]

    again = student_client.post(f"/notes/{note}/edit", data={"title": "Plan", "body": "Merged plan",
                                                              "version": version_in(page)})
    assert again.status_code == 302
    assert notes_in(app, pair) == [("Plan", "Merged plan", 3)]


def test_two_edits_from_the_same_version_at_once_save_one(app, institution, pair, people):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    with app.app_context(), tenant_scope(institution.id):
        note = add_note(pair, people["student"].id, "Plan", "Draft").id
        db.session.commit()
    with app.app_context(), tenant_scope(institution.id):
        edit_note(note, people["mentor"].id, "Plan", "Priya's", 1)  # not committed: the row stays locked
        second = while_open(app, lambda: edit_note(note, people["student"].id, "Plan", "Jordan's", 1),
                            institution_id=institution.id, expect=NoteChanged)
    assert str(second).startswith("Priya Raman changed this note")
    assert notes_in(app, pair) == [("Plan", "Priya's", 2)]


def test_notes_are_shown_as_escaped_text(app, pair, student_client, mentor_client):
    student_client.post(f"/mentorships/{pair}/notes", data={
        "title": "<b>Links</b>", "body": "<script>alert(1)</script> https://example.org/reading"})
    page = mentor_client.get(f"/mentorships/{pair}/notes").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Links&lt;/b&gt;" in page
    assert '<a href="https://example.org/reading" rel="nofollow noopener noreferrer"' in page


def test_admins_read_notes_but_cannot_change_them(app, pair, student_client, admin_client):
    student_client.post(f"/mentorships/{pair}/notes", data={"title": "Plan", "body": "Our plan"})
    note = note_id(app, pair)
    page = text(admin_client.get(f"/mentorships/{pair}/notes"))
    assert "Our plan" in page and "You are reading as an admin" in page
    assert "Add a note" not in page and f"/notes/{note}/edit" not in page
    assert admin_client.post(f"/mentorships/{pair}/notes", data={"title": "A", "body": "B"}).status_code == 403
    assert admin_client.get(f"/notes/{note}/edit").status_code == 403
    assert admin_client.post(f"/notes/{note}/edit", data={"title": "A", "body": "B", "version": "1"}).status_code == 403
    assert notes_in(app, pair) == [("Plan", "Our plan", 1)]


def test_other_people_and_other_institutions_find_no_notes(app, institution, pair, student_client, make_client,
                                                           other_admin_client):
    student_client.post(f"/mentorships/{pair}/notes", data={"title": "Plan", "body": "Our plan"})
    note = note_id(app, pair)
    with app.app_context():
        outsider = make_user(institution, "student", "Amara", "Nwosu")
    client = make_client()
    client.sign_in(outsider.email)
    for viewer in (client, other_admin_client):
        assert viewer.get(f"/mentorships/{pair}/notes").status_code == 404
        assert viewer.get(f"/notes/{note}/edit").status_code == 404
        assert viewer.post(f"/notes/{note}/edit", data={"title": "X", "body": "Y", "version": "1"}).status_code == 404
        assert viewer.post(f"/mentorships/{pair}/notes", data={"title": "X", "body": "Y"}).status_code == 404
    assert notes_in(app, pair) == [("Plan", "Our plan", 1)]


def test_an_ended_mentorship_keeps_its_notes_to_read_only(app, institution, people, student_client):
    with app.app_context(), tenant_scope(institution.id):
        ended = make_pair(institution.id)
        note = add_note(ended, people["student"].id, "Plan", "Our plan").id
        db.session.commit()
        with pytest.raises(MessagingError, match="ended"):
            from portal.mentorships import end_mentorship

            end_mentorship(ended, people["mentor"].id, "completed")
            db.session.commit()
            add_note(ended, people["student"].id, "Another", "Text")
        db.session.rollback()
    page = text(student_client.get(f"/mentorships/{ended}/notes"))
    assert "Our plan" in page and "This mentorship has ended, so its notes can no longer be changed." in page
    assert "Add a note" not in page and f"/notes/{note}/edit" not in page
    response = student_client.get(f"/notes/{note}/edit")
    assert response.status_code == 302
    assert "can no longer be changed" in text(student_client.get(response.headers["Location"]))
    refused = student_client.post(f"/mentorships/{ended}/notes", data={"title": "Another", "body": "Text"})
    assert refused.status_code == 302
    assert "you can no longer add or edit notes here" in text(student_client.get(refused.headers["Location"]))
    assert notes_in(app, ended) == [("Plan", "Our plan", 1)]
