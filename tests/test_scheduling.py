"""Scheduling: mentors publish weekly availability in their own timezone, mentees book open slots
shown in theirs, and a window keeps its wall clock time across a daylight-saving change."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.mentorships import create_mentorship
from portal.models import (
    AvailabilityWindow, DateOff, EnrollmentRole, EnrollmentSource, Meeting, MeetingStatus, Notification,
    ProgramStatus, User,
)
from portal.programs import create_program, enroll, set_program_status
from portal.scheduling import (
    SchedulingError, add_date_off, add_window, book_slot, group_by_local_day, local_to_utc, open_slots,
)
from portal.tenancy import tenant_scope
from tests.factories import make_user

UTC = timezone.utc


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def set_timezone(app, person, zone: str) -> None:
    with app.app_context(), tenant_scope(person.institution_id):
        db.session.get(User, person.id).timezone = zone
        db.session.commit()


def make_pair(app, institution, mentor, *mentees, program_name: str = "Career Pathways") -> int:
    """Enroll a mentor and mentees in an open program and pair them; return the mentorship's id."""
    with app.app_context(), tenant_scope(institution.id):
        program = create_program(institution.id, {"name": program_name, "default_capacity": 5})
        set_program_status(program, ProgramStatus.OPEN)
        enroll(program, db.session.get(User, mentor.id), EnrollmentRole.MENTOR, EnrollmentSource.ADMIN)
        for mentee in mentees:
            enroll(program, db.session.get(User, mentee.id), EnrollmentRole.MENTEE, EnrollmentSource.ADMIN)
        mentorship = create_mentorship(program, mentor.id, [mentee.id for mentee in mentees], "admin_manual", None)
        db.session.commit()
        return mentorship.id


def add_windows(app, mentor, *windows: tuple[int, str, str]) -> None:
    """Give the mentor weekly windows: (weekday, "HH:MM", "HH:MM") in the mentor's timezone."""
    with app.app_context(), tenant_scope(mentor.institution_id):
        for weekday, start, end in windows:
            add_window(mentor.institution_id, mentor.id, weekday, time.fromisoformat(start), time.fromisoformat(end))
        db.session.commit()


def every_day(start: str = "09:00", end: str = "17:00") -> list[tuple[int, str, str]]:
    return [(weekday, start, end) for weekday in range(7)]


def first_open_slot(app, mentor, duration: int = 60) -> datetime:
    with app.app_context(), tenant_scope(mentor.institution_id):
        return open_slots(mentor.id, duration)[0]


def meetings(app, ref) -> list[Meeting]:
    """Return every session of the institution of `ref` (an institution or a person)."""
    with app.app_context(), tenant_scope(ref.institution_id or ref.id):
        found = list(db.session.scalars(select(Meeting).order_by(Meeting.id)))
        db.session.expunge_all()
        return found


@pytest.fixture
def pair(app, institution, people):
    """Priya (mentor, New York) and Jordan (student, London) in an active mentorship."""
    set_timezone(app, people["mentor"], "America/New_York")
    set_timezone(app, people["student"], "Europe/London")
    return make_pair(app, institution, people["mentor"], people["student"])


# --- Availability ---------------------------------------------------------------------------------

def test_a_mentor_sets_weekly_windows_and_dates_off_in_their_own_timezone(app, pair, mentor_client, people):
    page = text(mentor_client.get("/availability"))
    assert "No weekly windows yet" in page
    assert "America/New York" in page and "Change your timezone" in page and 'href="/account' in page

    response = mentor_client.post("/availability/windows", data={"weekday": "1", "starts_at": "17:00",
                                                                  "ends_at": "19:00"})
    assert response.status_code == 302
    page = text(mentor_client.get(response.headers["Location"]))
    assert "Added: Tuesdays 17:00–19:00." in page
    assert "Remove Tuesday 17:00–19:00" in page

    response = mentor_client.post("/availability/dates-off", data={
        "starts_on": (date.today() + timedelta(days=3)).isoformat(),
        "ends_on": (date.today() + timedelta(days=5)).isoformat(), "note": "Conference in Lisbon"})
    assert response.status_code == 302
    page = text(mentor_client.get("/availability"))
    assert "No slots will be offered from" in page and "Conference in Lisbon" in page

    with app.app_context(), tenant_scope(people["mentor"].institution_id):
        window = db.session.scalar(select(AvailabilityWindow))
        assert (window.weekday, window.starts_at, window.ends_at) == (1, time(17), time(19))
        date_off = db.session.scalar(select(DateOff))
    assert mentor_client.post(f"/availability/dates-off/{date_off.id}/remove").status_code == 302
    assert mentor_client.post(f"/availability/windows/{window.id}/remove").status_code == 302
    page = text(mentor_client.get("/availability"))
    assert "No weekly windows yet" in page and "No dates off coming up" in page


@pytest.mark.parametrize("form, message", [
    ({"weekday": "1", "starts_at": "19:00", "ends_at": "17:00"}, "The window must end after it starts"),
    ({"weekday": "1", "starts_at": "17:00", "ends_at": "17:15"}, "at least 30 minutes long"),
    ({"weekday": "1", "starts_at": "18:00", "ends_at": "20:00"}, "This overlaps your Tuesday window 17:00–19:00"),
    ({"weekday": "1", "starts_at": "", "ends_at": "19:00"}, "Enter when the window opens"),
    ({"weekday": "9", "starts_at": "10:00", "ends_at": "11:00"}, "Not a valid choice"),
])
def test_a_window_that_makes_no_sense_is_refused_with_a_reason(app, pair, mentor_client, people, form, message):
    add_windows(app, people["mentor"], (1, "17:00", "19:00"))
    response = mentor_client.post("/availability/windows", data=form)
    assert response.status_code == 200
    assert message in text(response)
    with app.app_context(), tenant_scope(people["mentor"].institution_id):
        assert len(db.session.scalars(select(AvailabilityWindow)).all()) == 1


def test_dates_off_in_the_past_or_backwards_are_refused(app, pair, mentor_client):
    today = date.today()
    response = mentor_client.post("/availability/dates-off", data={
        "starts_on": (today - timedelta(days=9)).isoformat(), "ends_on": (today - timedelta(days=8)).isoformat()})
    assert "Those days are in the past already." in text(response)
    response = mentor_client.post("/availability/dates-off", data={
        "starts_on": (today + timedelta(days=9)).isoformat(), "ends_on": (today + timedelta(days=8)).isoformat()})
    assert "The last day off must be on or after the first." in text(response)


def test_the_availability_editor_swaps_in_place_with_htmx(app, pair, mentor_client):
    response = mentor_client.post("/availability/windows", headers={"HX-Request": "true"},
                                  data={"weekday": "3", "starts_at": "08:30", "ends_at": "10:00"})
    body = text(response)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="availability-editor"' in body and "Added: Thursdays 08:30–10:00." in body


def test_only_mentors_have_availability(app, institution, pair, student_client, admin_client, mentor_client):
    assert student_client.get("/availability").status_code == 403
    assert admin_client.get("/availability").status_code == 403
    with app.app_context():
        other_mentor = make_user(institution, "mentor", "Marcus", "Okafor")
    add_windows(app, other_mentor, (2, "09:00", "10:00"))
    with app.app_context(), tenant_scope(other_mentor.institution_id):
        window_id = db.session.scalar(select(AvailabilityWindow.id))
    # Another mentor's window is not found, and stays.
    assert mentor_client.post(f"/availability/windows/{window_id}/remove").status_code == 404
    with app.app_context(), tenant_scope(other_mentor.institution_id):
        assert db.session.get(AvailabilityWindow, window_id) is not None


# --- Slots and daylight saving time ---------------------------------------------------------------

def test_a_weekly_slot_keeps_its_wall_clock_time_across_the_end_of_daylight_saving(app, pair, people):
    mentor = people["mentor"]  # in America/New_York, which leaves daylight saving time on Nov 1, 2026
    add_windows(app, mentor, (0, "10:00", "11:00"))  # Mondays 10:00-11:00
    with app.app_context(), tenant_scope(mentor.institution_id):
        slots = open_slots(mentor.id, 60, now=datetime(2026, 10, 20, 12, tzinfo=UTC))
        assert slots[:3] == [datetime(2026, 10, 26, 14, tzinfo=UTC),  # 10:00 EDT (UTC-4)
                             datetime(2026, 11, 2, 15, tzinfo=UTC),  # 10:00 EST (UTC-5)
                             datetime(2026, 11, 9, 15, tzinfo=UTC)]
        # A viewer in London reads both in their own time (the UK left summer time on Oct 25).
        days = group_by_local_day(slots[:2], "Europe/London")
        assert [(day, [slot.strftime("%H:%M %Z") for slot in times]) for day, times in days] == [
            (date(2026, 10, 26), ["14:00 GMT"]), (date(2026, 11, 2), ["15:00 GMT"])]
        # The mentor always sees 10:00.
        assert {slot.strftime("%H:%M") for _, times in group_by_local_day(slots, "America/New_York")
                for slot in times} == {"10:00"}


def test_the_hour_skipped_in_spring_offers_no_slot_and_the_repeated_hour_means_the_first(app):
    assert local_to_utc(date(2026, 3, 8), time(2, 30), "America/New_York") is None
    assert local_to_utc(date(2026, 3, 8), time(3, 0), "America/New_York") == datetime(2026, 3, 8, 7, tzinfo=UTC)
    assert local_to_utc(date(2026, 11, 1), time(1, 30), "America/New_York") == datetime(2026, 11, 1, 5, 30,
                                                                                         tzinfo=UTC)


def test_spring_forward_night_window_skips_the_missing_hour(app, pair, people):
    mentor = people["mentor"]
    add_windows(app, mentor, (6, "01:00", "04:00"))  # Sundays 01:00-04:00
    with app.app_context(), tenant_scope(mentor.institution_id):
        slots = open_slots(mentor.id, 30, now=datetime(2026, 3, 2, tzinfo=UTC), horizon=timedelta(days=7))
    local = [slot.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M") for slot in slots]
    assert local == ["01:00", "01:30", "03:00", "03:30"]  # 02:00 and 02:30 do not exist that night


def test_slots_start_every_30_minutes_and_skip_dates_off_booked_sessions_and_short_notice(app, pair, people):
    mentor, now = people["mentor"], datetime(2026, 12, 1, 12, tzinfo=UTC)  # a Tuesday, 07:00 in New York
    add_windows(app, mentor, (1, "09:00", "11:00"), (2, "09:00", "11:00"), (3, "09:00", "11:00"))
    with app.app_context(), tenant_scope(mentor.institution_id):
        add_date_off(mentor.institution_id, mentor.id, date(2026, 12, 2), None, "Dentist", date(2026, 12, 1))
        db.session.commit()
        slots = open_slots(mentor.id, 60, now=now, horizon=timedelta(days=3))
        # Tuesday 09:00 EST is 14:00 UTC, two hours ahead: just far enough. Wednesday is a day off.
        assert slots == [datetime(2026, 12, 1, h, m, tzinfo=UTC) for h, m in ((14, 0), (14, 30), (15, 0))] + [
            datetime(2026, 12, 3, h, m, tzinfo=UTC) for h, m in ((14, 0), (14, 30), (15, 0))]
        assert len(open_slots(mentor.id, 90, now=now, horizon=timedelta(days=3))) == 4
        book_slot(pair, people["student"].id, datetime(2026, 12, 3, 14, 30, tzinfo=UTC), 30, "video", now=now)
        db.session.commit()
        assert open_slots(mentor.id, 60, now=now, horizon=timedelta(days=3))[3:] == [
            datetime(2026, 12, 3, 15, tzinfo=UTC)]  # 14:00 and 14:30 now overlap the booked 14:30-15:00
        later = now + timedelta(hours=1)  # 14:00 and 14:30 UTC are now within the two hours' notice
        assert open_slots(mentor.id, 60, now=later, horizon=timedelta(days=3))[0] == datetime(2026, 12, 1, 15,
                                                                                              tzinfo=UTC)


# --- Booking in the browser's pages ---------------------------------------------------------------

def test_a_student_sees_open_slots_in_their_own_timezone_and_books_one(app, pair, people, student_client,
                                                                       mentor_client, run_jobs, smtp_sink):
    add_windows(app, people["mentor"], (1, "17:00", "18:30"))  # Tuesdays 17:00 New York = 22:00 London
    page = text(student_client.get(f"/mentorships/{pair}/sessions"))
    assert "Book a session" in page and "shown in your timezone (Europe/London)" in page
    labels = re.findall(r'aria-label="(\w+day, \w+ \d+) at (\d\d:\d\d)"', page)
    assert labels and {clock for _, clock in labels} == {"22:00", "22:30"}
    assert all(day.startswith("Tuesday") for day, _ in labels)
    assert 8 <= len(labels) <= 10  # four weeks of Tuesdays, two 60-minute starts each

    slot = re.search(r'name="starts_at" id="[^"]+" value="([^"]+)"', page).group(1)
    response = student_client.post(f"/mentorships/{pair}/sessions/book", data={
        "starts_at": slot, "duration": "60", "mode": "video", "location": "https://meet.example.com/priya-jordan",
        "agenda": "Internship applications"})
    assert response.status_code == 302
    session_page = text(student_client.get(response.headers["Location"]))
    assert "Booked and confirmed" in session_page and "22:00 – 23:00" in session_page
    assert "Confirmed" in session_page and "Internship applications" in session_page

    [meeting] = meetings(app, people["mentor"])
    assert meeting.status == MeetingStatus.CONFIRMED and meeting.mentor_id == people["mentor"].id
    assert meeting.starts_at == datetime.fromisoformat(slot).astimezone(UTC)
    assert meeting.starts_at.astimezone(ZoneInfo("America/New_York")).hour == 17
    # The mentor reads it in New York time, and is told.
    assert "17:00 – 18:00" in text(mentor_client.get(f"/sessions/{meeting.id}"))
    with app.app_context(), tenant_scope(people["mentor"].institution_id):
        notice = db.session.scalar(select(Notification).where(Notification.user_id == people["mentor"].id))
        assert notice.kind == "session_booked" and "Jordan Lee booked a session with you" in notice.title
        assert " 17:00 EST" in notice.title and notice.link == f"/sessions/{meeting.id}"
    run_jobs()
    assert any(people["mentor"].email in message["To"] for message in smtp_sink.messages)

    # The slot is gone for everyone now; booking it again is refused with a reason.
    again = student_client.post(f"/mentorships/{pair}/sessions/book", data={"starts_at": slot, "duration": "60",
                                                                            "mode": "video"})
    assert again.status_code == 200
    assert "That time is no longer open" in text(again)
    assert len(meetings(app, people["mentor"])) == 1


def test_the_length_changes_the_open_slots_with_htmx(app, pair, people, student_client):
    add_windows(app, people["mentor"], (1, "17:00", "18:30"))
    response = student_client.get(f"/mentorships/{pair}/sessions?duration=30",
                                  headers={"HX-Request": "true", "HX-Target": "booking-slots"})
    body = text(response)
    assert "<html" not in body and 'id="booking-slots"' in body
    assert {clock for clock in re.findall(r' at (\d\d:\d\d)"', body)} == {"22:00", "22:30", "23:00"}
    assert 'name="duration" value="30"' in body


@pytest.mark.parametrize("form, message", [
    ({"starts_at": "", "duration": "60", "mode": "video"}, "Pick one of the open times."),
    ({"starts_at": "tomorrow-ish", "duration": "60", "mode": "video"}, "Pick one of the open times."),
    ({"starts_at": "2026-12-01T22:15:00+00:00", "duration": "60", "mode": "video"}, "That time is no longer open"),
    ({"starts_at": "SLOT", "duration": "60", "mode": "video", "location": "zoom me"},
     "Give the video link as a full address"),
    ({"starts_at": "SLOT", "duration": "60", "mode": "carrier pigeon"}, "Not a valid choice"),
])
def test_bad_bookings_are_refused_with_a_reason(app, pair, people, student_client, form, message):
    add_windows(app, people["mentor"], *every_day())
    form = {key: (first_open_slot(app, people["mentor"]).isoformat() if value == "SLOT" else value)
            for key, value in form.items()}
    response = student_client.post(f"/mentorships/{pair}/sessions/book", data=form)
    assert response.status_code == 200
    assert message in text(response)
    assert meetings(app, people["mentor"]) == []


def test_a_mentor_proposes_rather_than_books_and_an_admin_only_reads(app, pair, people, mentor_client,
                                                                     admin_client):
    add_windows(app, people["mentor"], *every_day())
    slot = first_open_slot(app, people["mentor"]).isoformat()
    mentor_page = text(mentor_client.get(f"/mentorships/{pair}/sessions"))
    assert "Book a session" not in mentor_page and "Propose a time" in mentor_page
    refused = mentor_client.post(f"/mentorships/{pair}/sessions/book", data={"starts_at": slot, "duration": "60",
                                                                             "mode": "video"})
    assert "Only the mentee books open slots" in text(refused)
    admin_page = admin_client.get(f"/mentorships/{pair}/sessions")
    assert admin_page.status_code == 200 and "Book a session" not in text(admin_page)
    assert "Propose a time" not in text(admin_page)
    assert admin_client.post(f"/mentorships/{pair}/sessions/book", data={"starts_at": slot, "duration": "60",
                                                                         "mode": "video"}).status_code == 403
    assert meetings(app, people["mentor"]) == []


def test_no_availability_says_what_to_do_next(app, pair, student_client):
    page = text(student_client.get(f"/mentorships/{pair}/sessions"))
    assert "No open 60-minute times in the next four weeks" in page and "Propose another time" in page


def test_a_stranger_to_the_mentorship_finds_nothing(app, institution, pair, make_client, other_admin_client):
    with app.app_context():
        outsider = make_user(institution, "student", "Zoe", "Park")
    client = make_client()
    client.sign_in(outsider.email)
    assert client.get(f"/mentorships/{pair}/sessions").status_code == 404
    assert client.post(f"/mentorships/{pair}/sessions/book", data={}).status_code == 404
    assert other_admin_client.get(f"/mentorships/{pair}/sessions").status_code == 404


def test_an_ended_mentorship_takes_no_new_sessions(app, institution, pair, people, student_client):
    from portal.models import Mentorship, MentorshipStatus

    add_windows(app, people["mentor"], *every_day())
    slot = first_open_slot(app, people["mentor"])
    with app.app_context(), tenant_scope(institution.id):
        db.session.get(Mentorship, pair).status = MentorshipStatus.COMPLETED
        db.session.commit()
    page = text(student_client.get(f"/mentorships/{pair}/sessions"))
    assert "Book a session" not in page and "This mentorship has ended" in page
    response = student_client.post(f"/mentorships/{pair}/sessions/book", data={
        "starts_at": slot.isoformat(), "duration": "60", "mode": "video"})
    assert "This mentorship is completed: no new sessions can be arranged in it." in text(response)
    with app.app_context(), tenant_scope(institution.id), pytest.raises(SchedulingError, match="completed"):
        book_slot(pair, people["student"].id, slot, 60, "video")
