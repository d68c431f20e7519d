"""After a session: marking it held or a no-show, shared notes and action items, on the session page.

Ratings, the prompt to rate and the closing survey are in tests/test_feedback.py."""

from __future__ import annotations

import html
import threading
import time
from datetime import timedelta

import pytest
from flask import render_template_string
from flask_login import login_user
from sqlalchemy import func, select

from portal.extensions import db
from portal.meetings import MeetingError, complete_meeting
from portal.models import (
    ActionItem, Meeting, Mentorship, Notification, SessionFeedback, User, utcnow,
)
from portal.tenancy import tenant_scope, unscoped
from tests.access.meetings import make_meeting, make_pair
from tests.factories import make_user

HX = {"HX-Request": "true"}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def pair(app, institution, people):
    with app.app_context(), unscoped():
        return make_pair(institution)


def meeting_row(app, meeting_id: int) -> Meeting:
    with app.app_context(), unscoped():
        meeting = db.session.get(Meeting, meeting_id)
        db.session.expunge(meeting)
        return meeting


def new_meeting(app, pair: int, status: str = "confirmed", **fields) -> int:
    with app.app_context(), unscoped():
        return make_meeting(pair, status, **fields)


def count(app, model, **where) -> int:
    with app.app_context(), unscoped():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def render_panel(app, meeting_id: int, user_id: int) -> str:
    """Render the after-session fragment as the session page includes it, for one viewer."""
    with app.test_request_context("/"), unscoped():
        user = db.session.get(User, user_id)
        login_user(user)
        meeting = db.session.get(Meeting, meeting_id)
        mentorship = db.session.get(Mentorship, meeting.mentorship_id)
        role = next((p.role for p in mentorship.participants if p.user_id == user_id), None)
        return html.unescape(render_template_string(
            '{% include "meetings/_after.html" %}', meeting=meeting, mentorship=mentorship, viewer_role=role))


def _ended_session(app, pair, hours_ago: float = 1, status: str = "completed") -> int:
    return new_meeting(app, pair, status, starts_at=utcnow().replace(microsecond=0) - timedelta(hours=hours_ago + 1))


# Marking a session held or a no-show


def test_a_participant_marks_a_started_session_as_held_once(app, pair, people, student_client, mentor_client):
    meeting_id = new_meeting(app, pair)
    assert "Did this session take place?" in render_panel(app, meeting_id, people["student"].id)
    response = student_client.post(f"/sessions/{meeting_id}/complete", data={"outcome": "completed"})
    assert response.status_code == 302
    assert meeting_row(app, meeting_id).status.value == "completed"
    # The mentor's click a moment later (an old page) is told, not obeyed twice.
    response = mentor_client.post(f"/sessions/{meeting_id}/complete", data={"outcome": "no_show"}, headers=HX)
    assert response.status_code == 200
    assert "This session is already marked as held." in text(response)
    assert meeting_row(app, meeting_id).status.value == "completed"
    panel = render_panel(app, meeting_id, people["mentor"].id)
    assert "Did this session take place?" not in panel
    assert "Rate this session" in panel and "How was this session?" in panel


def test_the_outcome_buttons_answer_htmx_with_the_whole_panel(app, pair, people, mentor_client):
    meeting_id = new_meeting(app, pair)
    response = mentor_client.post(f"/sessions/{meeting_id}/complete", data={"outcome": "completed"}, headers=HX)
    body = text(response)
    assert response.status_code == 200 and body.strip().startswith('<section id="after-session"')
    assert "The session is marked as held." in body and "Shared notes" in body and "Action items" in body


def test_a_no_show_is_recorded_with_who_said_so_and_cannot_be_rated(app, pair, people, mentor_client,
                                                                    student_client):
    meeting_id = new_meeting(app, pair)
    response = mentor_client.post(f"/sessions/{meeting_id}/complete", data={"outcome": "no_show"})
    assert response.status_code == 302
    meeting = meeting_row(app, meeting_id)
    assert meeting.status.value == "no_show" and meeting.status_reason == "Marked as a no-show by Priya Raman."
    panel = render_panel(app, meeting_id, people["student"].id)
    assert "Marked as a no-show." in panel and "How was this session?" not in panel
    response = student_client.post(f"/sessions/{meeting_id}/feedback", data={"rating": "1"}, headers=HX)
    assert "This session was marked as a no-show, so there is nothing to rate." in text(response)
    assert count(app, SessionFeedback) == 0


@pytest.mark.parametrize("status, starts_in, message", [
    ("confirmed", timedelta(hours=3), "You can mark the session once it has started."),
    ("proposed", -timedelta(hours=3), "This session was never confirmed, so it can't be marked as held."),
    ("cancelled", -timedelta(hours=3), "This session was cancelled, so it can't be marked as held."),
])
def test_only_a_confirmed_session_that_has_started_can_be_marked(app, pair, student_client, status, starts_in,
                                                                 message):
    meeting_id = new_meeting(app, pair, status, starts_at=utcnow().replace(microsecond=0) + starts_in)
    response = student_client.post(f"/sessions/{meeting_id}/complete", data={"outcome": "completed"}, headers=HX)
    assert response.status_code == 200 and message in text(response)
    assert meeting_row(app, meeting_id).status.value == status
    # Without htmx the message arrives as a flash on the next page.
    response = student_client.post(f"/sessions/{meeting_id}/complete", data={"outcome": "completed"})
    assert response.status_code == 302
    with student_client.session_transaction() as flask_session:
        assert (message in str(flask_session.get("_flashes")))


def test_an_unknown_outcome_is_refused_clearly(app, pair, student_client):
    meeting_id = new_meeting(app, pair)
    for data in ({"outcome": "cancelled"}, {}):
        response = student_client.post(f"/sessions/{meeting_id}/complete", data=data, headers=HX)
        assert "Say whether the session took place or was a no-show." in text(response)
    assert meeting_row(app, meeting_id).status.value == "confirmed"


def test_marking_is_decided_by_the_database_when_two_people_click_at_once(app, institution, pair, people):
    meeting_id = new_meeting(app, pair)
    with app.app_context(), tenant_scope(institution.id):
        complete_meeting(meeting_id, people["student"].id, "completed")  # not committed yet
        outcome = {}

        def other_click():
            with app.app_context(), tenant_scope(institution.id):
                try:
                    complete_meeting(meeting_id, people["mentor"].id, "no_show")
                    db.session.commit()
                    outcome["other"] = "changed"
                except MeetingError as error:
                    db.session.rollback()
                    outcome["other"] = str(error)
                except Exception as error:  # SQLite: the writer lock is held
                    db.session.rollback()
                    outcome["other"] = f"locked: {error}"

        thread = threading.Thread(target=other_click)
        thread.start()
        time.sleep(0.3)
        db.session.commit()
        thread.join(10)
    assert meeting_row(app, meeting_id).status.value == "completed"
    assert outcome["other"] != "changed"
    if db_is_postgres(app):
        assert outcome["other"] == "This session is already marked as held."


def db_is_postgres(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


# Access


def test_admins_read_the_panel_but_change_nothing_and_outsiders_get_404(app, institution, pair, people,
                                                                        admin_client, other_admin_client,
                                                                        make_client):
    meeting_id = new_meeting(app, pair, "completed")
    panel = render_panel(app, meeting_id, people["admin"].id)
    assert "Neither participant has rated this session yet." in panel
    assert "<form" not in panel and "Did this session take place?" not in panel
    for path, data in ((f"/sessions/{meeting_id}/notes", {"notes": "x"}),
                       (f"/sessions/{meeting_id}/action-items", {"title": "x"}),
                       (f"/sessions/{meeting_id}/feedback", {"rating": "5"}),
                       (f"/sessions/{meeting_id}/complete", {"outcome": "completed"})):
        assert admin_client.post(path, data=data).status_code == 403, path
        assert other_admin_client.post(path, data=data).status_code == 404, path
    with app.app_context():
        stranger = make_user(institution, "mentor", "Marcus", "Okafor")
    client = make_client()
    client.sign_in(stranger.email)
    assert client.get(f"/sessions/{meeting_id}/feedback").status_code == 404
    assert client.post(f"/sessions/{meeting_id}/notes", data={"notes": "x"}).status_code == 404
    assert other_admin_client.get(f"/sessions/{meeting_id}/feedback").status_code == 404
    assert meeting_row(app, meeting_id).notes == ""


# Shared notes


def test_both_participants_keep_shared_notes(app, pair, people, student_client, mentor_client):
    meeting_id = new_meeting(app, pair, "completed")
    panel = render_panel(app, meeting_id, people["student"].id)
    based_on = _based_on(panel)
    response = student_client.post(f"/sessions/{meeting_id}/notes", headers=HX, data={
        "notes": "Talked about summer internships.\r\nPriya will introduce me to her recruiter.", "based_on": based_on})
    body = text(response)
    assert response.status_code == 200 and body.strip().startswith('<section id="session-notes"') and "Notes saved." in body
    assert meeting_row(app, meeting_id).notes == ("Talked about summer internships.\n"
                                                  "Priya will introduce me to her recruiter.")
    assert "Priya will introduce me to her recruiter." in render_panel(app, meeting_id, people["mentor"].id)
    assert "Priya will introduce me to her recruiter." in render_panel(app, meeting_id, people["admin"].id)


def _based_on(panel: str) -> str:
    import re

    return re.search(r'name="based_on" type="hidden" value="([^"]*)"', panel).group(1)


def test_a_save_never_silently_overwrites_notes_saved_meanwhile(app, pair, people, student_client, mentor_client):
    meeting_id = new_meeting(app, pair, "completed")
    based_on = _based_on(render_panel(app, meeting_id, people["student"].id))  # both open the editor
    response = mentor_client.post(f"/sessions/{meeting_id}/notes", headers=HX,
                                  data={"notes": "Mentor: look at data roles", "based_on": based_on})
    assert "Notes saved." in text(response)
    response = student_client.post(f"/sessions/{meeting_id}/notes", headers=HX,
                                   data={"notes": "Student: update LinkedIn", "based_on": based_on})
    body = text(response)
    assert "Someone saved these notes while you were editing." in body
    assert "Student: update LinkedIn" in body and "Mentor: look at data roles" in body  # both versions on screen
    assert meeting_row(app, meeting_id).notes == "Mentor: look at data roles"
    # The student combines the two and saves from the refreshed editor.
    response = student_client.post(f"/sessions/{meeting_id}/notes", headers=HX, data={
        "notes": "Mentor: look at data roles\nStudent: update LinkedIn", "based_on": _based_on(body)})
    assert "Notes saved." in text(response)
    assert meeting_row(app, meeting_id).notes == "Mentor: look at data roles\nStudent: update LinkedIn"


def test_notes_have_limits_and_a_proposed_session_has_none_yet(app, pair, student_client):
    meeting_id = new_meeting(app, pair, "completed")
    response = student_client.post(f"/sessions/{meeting_id}/notes", headers=HX, data={"notes": "x" * 20_001})
    assert "The notes are too long: keep them under 20,000 characters." in text(response)
    proposed = new_meeting(app, pair, "proposed", starts_at=utcnow() + timedelta(days=2))
    response = student_client.post(f"/sessions/{proposed}/notes", headers=HX, data={"notes": "Agenda"})
    assert "Notes can be kept once the session is confirmed." in text(response)
    assert meeting_row(app, meeting_id).notes == "" and meeting_row(app, proposed).notes == ""


# Action items


def test_an_action_item_for_the_other_participant_tells_them(app, pair, people, student_client, run_jobs,
                                                             smtp_sink):
    meeting_id = new_meeting(app, pair, "completed")
    due = (utcnow() + timedelta(days=10)).date()
    response = student_client.post(f"/sessions/{meeting_id}/action-items", headers=HX, data={
        "title": "  Introduce Jordan to the   recruiting team ", "owner_id": people["mentor"].id,
        "due_on": due.isoformat()})
    body = text(response)
    assert response.status_code == 200 and body.strip().startswith('<section id="action-items"')
    assert "Action item added. We let them know." in body and "Introduce Jordan to the recruiting team" in body
    assert f"Due {due:%b} {due.day}" in body and "Priya Raman" in body
    with app.app_context(), unscoped():
        item = db.session.scalar(select(ActionItem))
        assert (item.owner_id, item.due_on, item.mentorship_id) == (people["mentor"].id, due, pair)
        note = db.session.scalar(select(Notification))
        assert note.user_id == people["mentor"].id and note.link == f"/sessions/{meeting_id}"
        assert note.title == "Jordan Lee gave you an action item"
    run_jobs()
    [mail] = smtp_sink.wait_for(1)
    assert mail["To"] == people["mentor"].email
    assert "Introduce Jordan to the recruiting team" in smtp_sink.text_of(mail)


def test_an_action_item_for_oneself_notifies_nobody(app, pair, people, mentor_client):
    meeting_id = new_meeting(app, pair, "completed")
    response = mentor_client.post(f"/sessions/{meeting_id}/action-items", headers=HX,
                                  data={"title": "Send two job postings", "owner_id": people["mentor"].id})
    assert "Action item added." in text(response) and "We let them know" not in text(response)
    assert count(app, ActionItem) == 1 and count(app, Notification) == 0


@pytest.mark.parametrize("data, message", [
    ({"title": ""}, "Write what needs doing"),
    ({"title": "x" * 301}, "Keep the action item under 300 characters."),
    ({"title": "Read the handbook", "owner": "admin"}, "Choose who will do it: you or the other participant."),
    ({"title": "Read the handbook", "due_on": "2020-01-01"}, "The due date has passed: pick today or a later day."),
    ({"title": "Read the handbook", "due_on": "2099-01-01"}, "Pick a due date within the next year."),
    ({"title": "Read the handbook", "due_on": "31/12/2026"}, "Not a valid date value."),
])
def test_a_bad_action_item_is_refused_with_a_reason(app, pair, people, student_client, data, message):
    meeting_id = new_meeting(app, pair, "completed")
    data = dict(data)
    owner = people[data.pop("owner", "student")].id
    response = student_client.post(f"/sessions/{meeting_id}/action-items", headers=HX, data={"owner_id": owner, **data})
    assert response.status_code == 200 and message in text(response)
    assert count(app, ActionItem) == 0


def test_action_items_are_ticked_off_and_a_repeated_click_changes_nothing(app, pair, people, student_client,
                                                                           mentor_client):
    meeting_id = new_meeting(app, pair, "completed")
    student_client.post(f"/sessions/{meeting_id}/action-items",
                        data={"title": "Update the CV", "owner_id": people["student"].id})
    with app.app_context(), unscoped():
        item_id = db.session.scalar(select(ActionItem.id))
    response = mentor_client.post(f"/action-items/{item_id}/toggle", headers=HX, data={"done": "1"})
    assert "“Update the CV” is done." in text(response) and "Mark as not done: Update the CV" in text(response)
    with app.app_context(), unscoped():
        done_at = db.session.get(ActionItem, item_id).done_at
    assert done_at is not None
    student_client.post(f"/action-items/{item_id}/toggle", headers=HX, data={"done": "1"})  # a stale second tab
    with app.app_context(), unscoped():
        assert db.session.get(ActionItem, item_id).done_at == done_at
    response = student_client.post(f"/action-items/{item_id}/toggle", data={"done": "0"})
    assert response.status_code == 302
    with app.app_context(), unscoped():
        assert db.session.get(ActionItem, item_id).done_at is None


def test_an_overdue_item_is_flagged(app, institution, pair, people):
    meeting_id = new_meeting(app, pair, "completed")
    with app.app_context(), unscoped():
        db.session.add(ActionItem(institution_id=institution.id, mentorship_id=pair, meeting_id=meeting_id,
                                  owner_id=people["student"].id, title="Apply to three internships",
                                  due_on=(utcnow() - timedelta(days=4)).date()))
        db.session.commit()
    panel = render_panel(app, meeting_id, people["mentor"].id)
    assert "Overdue: was due" in panel and "Jordan Lee" in panel


def test_an_ended_mentorship_keeps_its_record_but_can_still_be_rated(app, institution, people, student_client):
    with app.app_context(), unscoped():
        ended = make_pair(institution, "completed")
    meeting_id = new_meeting(app, ended, "completed", notes="What we said")
    for path, data in ((f"/sessions/{meeting_id}/notes", {"notes": "Changed later"}),
                       (f"/sessions/{meeting_id}/action-items", {"title": "Late item", "owner_id": people["student"].id})):
        response = student_client.post(path, data=data, headers=HX)
        assert "This mentorship has ended: its sessions, notes and action items can be read" in text(response)
    assert meeting_row(app, meeting_id).notes == "What we said" and count(app, ActionItem) == 0
    panel = render_panel(app, meeting_id, people["student"].id)
    assert "Save notes" not in panel and "Add action item" not in panel and "What we said" in panel
    assert "How was this session?" in panel
    response = student_client.post(f"/sessions/{meeting_id}/feedback", data={"rating": "5"}, headers=HX)
    assert "You rated this session 5/5" in text(response)


def test_the_session_page_and_the_workspace_show_the_panel_and_the_prompt(app, pair, people, student_client,
                                                                          admin_client):
    if "scheduling.show_session" not in app.view_functions or "workspace.show_workspace" not in app.view_functions:
        pytest.skip("the session page or the workspace is not installed")
    meeting_id = _ended_session(app, pair, hours_ago=3)
    page = text(student_client.get(f"/sessions/{meeting_id}"))
    assert "Shared notes" in page and "Action items" in page and "How was this session?" in page
    overview = text(student_client.get(f"/mentorships/{pair}"))
    assert "Rate this session" in overview and f"/sessions/{meeting_id}/feedback" in overview
    student_client.post(f"/sessions/{meeting_id}/feedback", data={"rating": "4"})
    assert "You rated this session 4/5" in text(student_client.get(f"/sessions/{meeting_id}"))
    assert "Rate this session" not in text(student_client.get(f"/mentorships/{pair}"))
    admin_page = text(admin_client.get(f"/sessions/{meeting_id}"))
    assert "Jordan Lee" in admin_page and "4/5" in admin_page and "Save notes" not in admin_page
    assert "Not rated yet by Priya Raman." in admin_page
