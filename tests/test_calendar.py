"""Calendars: an .ics per session (stable UID, rising SEQUENCE, CANCEL when cancelled) and a private
subscription feed per person, read with the real `icalendar` parser."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import icalendar
from sqlalchemy import select

from portal.extensions import db
from portal.models import CalendarFeed, User, UserStatus
from portal.scheduling import book_slot, cancel_meeting, change_meeting, propose_meeting
from portal.tenancy import tenant_scope
from tests.factories import make_user
from tests.test_scheduling import (  # noqa: F401  (pair is a fixture)
    add_windows, every_day, first_open_slot, make_pair, pair, text,
)
from tests.test_scheduling_sessions import in_days


def events(body: bytes) -> list:
    return [component for component in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def _book(app, institution, people, pair_id, **details):
    add_windows(app, people["mentor"], *every_day())
    slot = first_open_slot(app, people["mentor"])
    with app.app_context(), tenant_scope(institution.id):
        meeting = book_slot(pair_id, people["student"].id, slot, 60, "video", **details)
        db.session.commit()
        return meeting.id, meeting.uid, slot


def test_a_session_downloads_as_an_ics_that_keeps_its_uid_and_raises_its_sequence(app, institution, pair, people,
                                                                                  student_client, mentor_client):
    meeting_id, uid, slot = _book(app, institution, people, pair, location="https://meet.example.com/pj",
                                  agenda="Internship applications; mock interview")
    response = student_client.get(f"/sessions/{meeting_id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert re.match(r'attachment; filename="mentoring-session-\d{4}-\d\d-\d\d-\d{4}\.ics"',
                    response.headers["Content-Disposition"])
    calendar = icalendar.Calendar.from_ical(response.data)
    assert calendar["METHOD"] == "PUBLISH"
    [event] = events(response.data)
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == slot and event.decoded("DTEND") == slot + timedelta(hours=1)
    assert "Priya Raman and Jordan Lee" in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "https://meet.example.com/pj"
    assert "Internship applications; mock interview" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://localhost/sessions/{meeting_id}"
    assert str(event["ORGANIZER"]) == f"mailto:{people['mentor'].email}"

    with app.app_context(), tenant_scope(institution.id):
        change_meeting(meeting_id, people["mentor"].id, slot + timedelta(days=1), 45, "video",
                       "https://meet.example.com/pj", "", "Moved a day")
        db.session.commit()
    [moved] = events(mentor_client.get(f"/sessions/{meeting_id}.ics").data)
    assert str(moved["UID"]) == uid and int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTART") == slot + timedelta(days=1) and str(moved["STATUS"]) == "TENTATIVE"

    with app.app_context(), tenant_scope(institution.id):
        cancel_meeting(meeting_id, people["mentor"].id, "Travel")
        db.session.commit()
    response = mentor_client.get(f"/sessions/{meeting_id}.ics")
    assert icalendar.Calendar.from_ical(response.data)["METHOD"] == "CANCEL"
    [cancelled] = events(response.data)
    assert str(cancelled["UID"]) == uid and int(cancelled["SEQUENCE"]) == 2
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_only_the_pair_and_their_admin_download_a_sessions_ics(app, institution, pair, people, admin_client,
                                                                other_admin_client, make_client, client):
    meeting_id, _, _ = _book(app, institution, people, pair)
    assert admin_client.get(f"/sessions/{meeting_id}.ics").status_code == 200
    assert other_admin_client.get(f"/sessions/{meeting_id}.ics").status_code == 404
    with app.app_context():
        outsider = make_user(institution, "student", "Zoe", "Park")
    stranger = make_client()
    stranger.sign_in(outsider.email)
    assert stranger.get(f"/sessions/{meeting_id}.ics").status_code == 404
    assert client.get(f"/sessions/{meeting_id}.ics").status_code == 302  # anonymous: sign in first


def _feed_url(client) -> str:
    response = client.post("/account/calendar/reset")
    assert response.status_code == 302
    page = text(client.get("/account/calendar"))
    return re.search(r'id="feed-url" type="text" value="(http://localhost/calendar/[^"]+\.ics)"', page).group(1)


def test_a_private_feed_lists_the_persons_sessions_and_is_shown_once(app, institution, pair, people, mentor_client,
                                                                     client):
    page = text(mentor_client.get("/account/calendar"))
    assert "Create my calendar address" in page and "localhost/calendar/" not in page
    url = _feed_url(mentor_client)
    assert "Your private calendar address" not in text(mentor_client.get("/account/calendar"))  # shown once
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    with app.app_context(), tenant_scope(institution.id):
        feed = db.session.scalar(select(CalendarFeed))
        assert feed.user_id == people["mentor"].id
        assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in feed.token_hash

    # Sessions in two mentorships of the mentor, one cancelled, one proposed; another mentor's is not there.
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu")
        marcus = make_user(institution, "mentor", "Marcus", "Okafor")
        lucas = make_user(institution, "student", "Lucas", "Ferreira")
    second = make_pair(app, institution, people["mentor"], amara, program_name="Graduate School Prep")
    elsewhere = make_pair(app, institution, marcus, lucas, program_name="Product Careers")
    booked_id, booked_uid, _ = _book(app, institution, people, pair)
    with app.app_context(), tenant_scope(institution.id):
        proposal = propose_meeting(second, amara.id, in_days(9), 30, "phone")
        dropped = propose_meeting(second, people["mentor"].id, in_days(10), 30, "phone")
        other = propose_meeting(elsewhere, lucas.id, in_days(9), 30, "phone")
        db.session.flush()
        cancel_meeting(dropped.id, people["mentor"].id, "Clash")
        db.session.commit()
        proposal_uid, dropped_uid, other_uid = proposal.uid, dropped.uid, other.uid

    response = client.get(url.removeprefix("http://localhost"))  # no sign-in: the token is the credential
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert "Northbridge University" in str(calendar["X-WR-CALNAME"])
    found = {str(event["UID"]): str(event["STATUS"]) for event in calendar.walk("VEVENT")}
    assert found == {booked_uid: "CONFIRMED", proposal_uid: "TENTATIVE", dropped_uid: "CANCELLED"}
    assert other_uid not in response.get_data(as_text=True)


def test_resetting_the_feed_makes_the_old_address_404(app, institution, pair, people, student_client, client):
    old = _feed_url(student_client).removeprefix("http://localhost")
    assert client.get(old).status_code == 200
    new = _feed_url(student_client).removeprefix("http://localhost")
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    with app.app_context(), tenant_scope(institution.id):
        assert len(db.session.scalars(select(CalendarFeed)).all()) == 1
    page = text(student_client.get("/account/calendar"))
    assert "Reset: make a new address" in page


def test_an_unknown_token_or_a_deactivated_owner_gets_nothing(app, institution, pair, people, student_client,
                                                              client, other_admin_client):
    url = _feed_url(student_client).removeprefix("http://localhost")
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    assert client.get("/calendar/" + "x" * 300 + ".ics").status_code == 404
    assert other_admin_client.get(url).status_code == 200  # the address alone decides, whoever holds it
    with app.app_context(), tenant_scope(institution.id):
        db.session.get(User, people["student"].id).status = UserStatus.DEACTIVATED
        db.session.commit()
    assert client.get(url).status_code == 404


def test_admins_have_no_calendar_feed(admin_client, client):
    assert admin_client.get("/account/calendar").status_code == 403
    assert client.get("/account/calendar").status_code == 302
