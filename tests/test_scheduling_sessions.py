"""A session's life: proposals confirmed or declined, moves and cancellations with a reason, the
other side told each time; a mentor's confirmed sessions never overlap, even under concurrency."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import Meeting, MeetingStatus, Notification, User, utcnow
from portal.scheduling import SchedulingError, book_slot, confirm_meeting, propose_meeting
from portal.tenancy import tenant_scope
from tests.factories import make_user
from tests.test_scheduling import (  # noqa: F401  (pair is a fixture)
    add_windows, every_day, first_open_slot, make_pair, meetings, pair, set_timezone, text,
)

UTC = timezone.utc


def in_days(days: int, hour: int = 15) -> datetime:
    """A whole hour `days` from today, in UTC."""
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def local_fields(moment: datetime, zone: str) -> dict:
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo(zone))
    return {"day": local.date().isoformat(), "start": local.strftime("%H:%M")}


def notices(app, person) -> list[tuple[str, str]]:
    with app.app_context(), tenant_scope(person.institution_id):
        return [(n.kind, n.title) for n in db.session.scalars(
            select(Notification).where(Notification.user_id == person.id).order_by(Notification.id))]


def propose(client, mentorship_id: int, moment: datetime, zone: str, **fields):
    data = {**local_fields(moment, zone), "duration": "60", "mode": "video", "location": "", "agenda": "", **fields}
    return client.post(f"/mentorships/{mentorship_id}/sessions/propose", data=data)


def session_id(response) -> int:
    assert response.status_code == 302, text(response)[:2000]
    return int(re.search(r"/sessions/(\d+)$", response.headers["Location"]).group(1))


def test_a_mentor_proposes_a_time_and_the_student_confirms_it(app, pair, people, mentor_client, student_client):
    moment = in_days(5)
    meeting_id = session_id(propose(mentor_client, pair, moment, "America/New_York", mode="in_person",
                                    location="Career Center, room 204", agenda="Your CV, line by line"))
    mentor_view = text(mentor_client.get(f"/sessions/{meeting_id}"))
    assert "Proposed" in mentor_view and "You proposed this time; it is confirmed when Jordan accepts." in mentor_view
    assert "Confirm this time" not in mentor_view  # the proposer cannot confirm their own time
    assert mentor_client.post(f"/sessions/{meeting_id}/confirm").status_code == 302
    refused = text(mentor_client.get(f"/sessions/{meeting_id}"))
    assert "You proposed this time, so the other side confirms it." in refused

    student_view = text(student_client.get(f"/sessions/{meeting_id}"))
    assert "Priya Raman proposed this time." in student_view and "Career Center, room 204" in student_view
    [(kind, title)] = notices(app, people["student"])
    assert kind == "session_proposed" and title.startswith("Priya Raman proposed a session:")
    assert title.endswith(" GMT")  # in the student's own timezone

    response = student_client.post(f"/sessions/{meeting_id}/confirm")
    assert response.status_code == 302
    assert "Confirmed:" in text(student_client.get(f"/sessions/{meeting_id}"))
    [meeting] = meetings(app, people["mentor"])
    assert meeting.status == MeetingStatus.CONFIRMED and meeting.starts_at == moment
    assert meeting.confirmed_at is not None and meeting.sequence == 1
    assert notices(app, people["mentor"])[-1][0] == "session_confirmed"
    # Confirming twice says so, without a change.
    student_client.post(f"/sessions/{meeting_id}/confirm")
    assert "This session is confirmed already." in text(student_client.get(f"/sessions/{meeting_id}"))


def test_a_student_declines_a_proposal_with_a_reason(app, pair, people, mentor_client, student_client):
    meeting_id = session_id(propose(mentor_client, pair, in_days(4), "America/New_York"))
    response = student_client.post(f"/sessions/{meeting_id}/decline",
                                   data={"decline-reason": "I have an exam that morning."})
    assert response.status_code == 302
    [meeting] = meetings(app, people["mentor"])
    assert meeting.status == MeetingStatus.CANCELLED and meeting.status_reason == "I have an exam that morning."
    assert meeting.cancelled_by_id == people["student"].id
    page = text(mentor_client.get(f"/sessions/{meeting_id}"))
    assert "Declined by Jordan Lee" in page and "I have an exam that morning." in page
    kind, title = notices(app, people["mentor"])[-1]
    assert kind == "session_declined" and "Jordan Lee declined the session proposed for" in title
    assert "Declined by Jordan Lee" in text(mentor_client.get(f"/mentorships/{pair}/sessions"))


def test_a_student_proposes_another_time_in_their_own_timezone(app, pair, people, student_client, mentor_client):
    moment = in_days(6, hour=19)
    meeting_id = session_id(propose(student_client, pair, moment, "Europe/London", duration="45"))
    [meeting] = meetings(app, people["mentor"])
    assert (meeting.starts_at, meeting.ends_at) == (moment, moment + timedelta(minutes=45))
    assert meeting.status == MeetingStatus.PROPOSED and meeting.proposed_by_id == people["student"].id
    assert "Confirm this time" in text(mentor_client.get(f"/sessions/{meeting_id}"))


@pytest.mark.parametrize("fields, message", [
    ({"day": "2020-01-06", "start": "10:00"}, "Choose a time at least 2 hours from now."),
    ({"day": "2099-01-06", "start": "10:00"}, "Choose a time within the next 6 months."),
    ({"day": "", "start": "10:00"}, "Enter the date of the session."),
    ({"start": "25:00"}, "Not a valid time value."),
    ({"duration": "20"}, "Not a valid choice."),
    ({"mode": "video", "location": "my zoom"}, "Give the video link as a full address, starting with https://."),
])
def test_a_proposal_that_makes_no_sense_is_refused_with_a_reason(app, pair, people, mentor_client, fields, message):
    response = propose(mentor_client, pair, in_days(3), "America/New_York", **fields)
    assert response.status_code == 200
    assert message in text(response)
    assert meetings(app, people["mentor"]) == []


def test_a_time_that_does_not_exist_in_the_proposers_timezone_is_refused(app, pair, mentor_client, people):
    # New York skips 02:00-03:00 on March 14, 2027.
    response = mentor_client.post(f"/mentorships/{pair}/sessions/propose", data={
        "day": "2027-03-14", "start": "02:30", "duration": "60", "mode": "phone"})
    assert response.status_code == 200
    assert "02:30 does not exist on that day in America/New_York: the clocks skip that hour." in text(response)
    assert meetings(app, people["mentor"]) == []


def test_a_proposal_over_the_mentors_confirmed_session_is_refused(app, institution, pair, people, student_client):
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu")
    other_pair = make_pair(app, institution, people["mentor"], amara, program_name="Graduate School Prep")
    add_windows(app, people["mentor"], *every_day())
    slot = first_open_slot(app, people["mentor"])
    with app.app_context(), tenant_scope(institution.id):
        book_slot(other_pair, amara.id, slot, 60, "video")
        db.session.commit()
    response = propose(student_client, pair, slot + timedelta(minutes=30), "Europe/London")
    assert "Priya Raman already has a confirmed session at that time" in text(response)
    assert "Amara" not in text(response) and "Graduate School Prep" not in text(response)


# --- The database refuses overlapping confirmed sessions ------------------------------------------

def _meeting(pair_id, mentor_id, start, minutes=60, status=MeetingStatus.CONFIRMED, institution_id=1, uid=""):
    return Meeting(institution_id=institution_id, mentorship_id=pair_id, mentor_id=mentor_id, starts_at=start,
                   ends_at=start + timedelta(minutes=minutes), status=status,
                   uid=uid or f"{start.isoformat()}-{status}",
                   sequence=0, mode="video", location="", agenda="", status_reason="", notes="")


def test_the_database_refuses_a_mentors_overlapping_confirmed_sessions_across_mentorships(app, institution, pair,
                                                                                         people):
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu")
    other_pair = make_pair(app, institution, people["mentor"], amara, program_name="Graduate School Prep")
    mentor_id, start = people["mentor"].id, in_days(3)
    with app.app_context(), tenant_scope(institution.id):
        db.session.add(_meeting(pair, mentor_id, start, institution_id=institution.id))
        db.session.commit()
        # Back to back is fine: ranges are half-open.
        db.session.add(_meeting(other_pair, mentor_id, start + timedelta(hours=1), institution_id=institution.id))
        # Proposals may overlap; only confirmed sessions may not.
        proposal = _meeting(other_pair, mentor_id, start + timedelta(minutes=30), status=MeetingStatus.PROPOSED,
                            institution_id=institution.id)
        db.session.add(proposal)
        db.session.commit()
        db.session.add(_meeting(other_pair, mentor_id, start + timedelta(minutes=15), minutes=30, uid="inside",
                                institution_id=institution.id))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        proposal = db.session.get(Meeting, proposal.id)
        proposal.status = MeetingStatus.CONFIRMED  # confirming the overlapping proposal, bypassing the checks
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert sorted(m.status.value for m in db.session.scalars(select(Meeting))) == [
            "confirmed", "confirmed", "proposed"]


def test_confirming_a_proposal_over_a_confirmed_session_says_why_it_cannot(app, institution, pair, people,
                                                                         mentor_client):
    with app.app_context():
        amara = make_user(institution, "student", "Amara", "Nwosu")
    other_pair = make_pair(app, institution, people["mentor"], amara, program_name="Graduate School Prep")
    start = in_days(3)
    with app.app_context(), tenant_scope(institution.id):
        first = propose_meeting(pair, people["student"].id, start, 60, "video")
        second = propose_meeting(other_pair, amara.id, start + timedelta(minutes=30), 60, "phone")
        db.session.commit()
        confirm_meeting(first.id, people["mentor"].id)
        db.session.commit()
        second_id = second.id
    response = mentor_client.post(f"/sessions/{second_id}/confirm")
    assert response.status_code == 302
    page = text(mentor_client.get(f"/sessions/{second_id}"))
    assert "You already have a confirmed session at that time. Choose another time." in page
    with app.app_context(), tenant_scope(institution.id):
        assert db.session.get(Meeting, second_id).status == MeetingStatus.PROPOSED
        with pytest.raises(SchedulingError, match="already have a confirmed session"):
            confirm_meeting(second_id, people["mentor"].id)


def test_sixteen_students_booking_the_same_slot_at_once_get_one_session(app, institution, people, make_client):
    """16 threads, each its own client, request context and database connection, book one slot at once.

    On PostgreSQL the exclusion constraint turns the losers away; on SQLite the triggers do, as its
    writers queue one behind the other."""
    set_timezone(app, people["mentor"], "America/New_York")
    students, pairs = [], []
    with app.app_context(), tenant_scope(institution.id):
        db.session.get(User, people["mentor"].id).profile.capacity = 16  # a mentor of sixteen, one per program
        db.session.commit()
    with app.app_context():
        for index in range(16):
            students.append(make_user(institution, "student", f"Student{index:02d}", "Booker"))
    for index, student in enumerate(students):
        pairs.append(make_pair(app, institution, people["mentor"], student, program_name=f"Program {index}"))
    add_windows(app, people["mentor"], *every_day())
    slot = first_open_slot(app, people["mentor"]).isoformat()
    clients = []
    for student in students:
        client = make_client()
        assert client.sign_in(student.email).status_code == 302
        clients.append((client, client.csrf_token()))

    barrier, results = threading.Barrier(16), [None] * 16

    def book(index: int) -> None:
        client, token = clients[index]
        barrier.wait()
        response = client.post(f"/mentorships/{pairs[index]}/sessions/book", csrf=False, data={
            "csrf_token": token, "starts_at": slot, "duration": "60", "mode": "video"})
        results[index] = (response.status_code, text(response))

    threads = [threading.Thread(target=book, args=(index,)) for index in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 15 + [302], statuses
    for status, body in results:
        if status == 200:
            assert ("That time is no longer open" in body
                    or "Priya Raman already has a confirmed session at that time" in body), body[:500]
    with app.app_context(), tenant_scope(institution.id):
        booked = db.session.scalars(select(Meeting).where(Meeting.status == MeetingStatus.CONFIRMED)).all()
        assert len(booked) == 1 and booked[0].starts_at == datetime.fromisoformat(slot)


# --- Rescheduling and cancelling ------------------------------------------------------------------

def change(client, meeting_id: int, moment: datetime, zone: str, **fields):
    data = {**local_fields(moment, zone), "duration": "60", "mode": "video", "location": "", "agenda": "",
            "reason": "", **fields}
    return client.post(f"/sessions/{meeting_id}/change", data=data)


def _booked(app, institution, people, pair_id) -> tuple[int, datetime]:
    add_windows(app, people["mentor"], *every_day())
    slot = first_open_slot(app, people["mentor"])
    with app.app_context(), tenant_scope(institution.id):
        meeting = book_slot(pair_id, people["student"].id, slot, 60, "video")
        db.session.commit()
        return meeting.id, slot


def test_moving_a_confirmed_session_asks_the_other_side_to_confirm_the_new_time(app, institution, pair, people,
                                                                                 mentor_client, student_client):
    meeting_id, slot = _booked(app, institution, people, pair)
    new_time = slot + timedelta(days=2, hours=1)
    response = change(mentor_client, meeting_id, new_time, "America/New_York")
    assert "Say in a sentence why the session moves" in text(response)
    response = change(mentor_client, meeting_id, new_time, "America/New_York",
                      reason="A client meeting moved onto that slot.")
    assert response.status_code == 302
    [meeting] = meetings(app, institution)
    assert meeting.status == MeetingStatus.PROPOSED and meeting.starts_at == new_time
    assert meeting.proposed_by_id == people["mentor"].id and meeting.sequence == 1
    kind, title = notices(app, people["student"])[-1]
    assert kind == "session_rescheduled" and title.startswith("Priya Raman moved your session to")
    page = text(student_client.get(f"/sessions/{meeting_id}"))
    assert "A client meeting moved onto that slot." in page and "Confirm this time" in page
    assert student_client.post(f"/sessions/{meeting_id}/confirm").status_code == 302
    assert meetings(app, institution)[0].status == MeetingStatus.CONFIRMED


def test_a_student_moving_to_an_open_slot_is_confirmed_at_once(app, institution, pair, people, student_client,
                                                               mentor_client):
    meeting_id, slot = _booked(app, institution, people, pair)
    with app.app_context(), tenant_scope(institution.id):
        db.session.execute(sa.update(Meeting).values(reminder_sent_at=utcnow()))
        db.session.commit()
    response = change(student_client, meeting_id, slot + timedelta(days=1), "Europe/London",
                      reason="My lab moved.", agenda="Interview practice")
    assert response.status_code == 302
    [meeting] = meetings(app, institution)
    assert meeting.status == MeetingStatus.CONFIRMED and meeting.starts_at == slot + timedelta(days=1)
    assert meeting.reminder_sent_at is None and meeting.sequence == 1 and meeting.agenda == "Interview practice"
    assert notices(app, people["mentor"])[-1][0] == "session_rescheduled"
    # Details alone change without a reason, and keep the time.
    response = change(student_client, meeting_id, meeting.starts_at, "Europe/London", mode="phone",
                      location="+44 20 7946 0000", agenda="Interview practice")
    assert response.status_code == 302
    [meeting] = meetings(app, institution)
    assert (meeting.mode.value, meeting.status, meeting.sequence) == ("phone", MeetingStatus.CONFIRMED, 2)
    assert notices(app, people["mentor"])[-1][0] == "session_updated"
    response = change(student_client, meeting_id, meeting.starts_at, "Europe/London", mode="phone",
                      location="+44 20 7946 0000", agenda="Interview practice")
    assert "Nothing has changed" in text(response)


def test_cancelling_needs_a_reason_and_tells_the_other_side(app, institution, pair, people, student_client,
                                                            mentor_client):
    meeting_id, _ = _booked(app, institution, people, pair)
    response = mentor_client.post(f"/sessions/{meeting_id}/cancel", data={"cancel-reason": "  "})
    assert response.status_code == 200
    assert "Say in a sentence why you cancel" in text(response)
    response = mentor_client.post(f"/sessions/{meeting_id}/cancel", data={"cancel-reason": "I'm ill, sorry."})
    assert response.status_code == 302
    [meeting] = meetings(app, institution)
    assert meeting.status == MeetingStatus.CANCELLED and meeting.cancelled_by_id == people["mentor"].id
    page = text(student_client.get(f"/sessions/{meeting_id}"))
    assert "Cancelled by Priya Raman" in page and "I'm ill, sorry." in page
    kind, title = notices(app, people["student"])[-1]
    assert kind == "session_cancelled" and title.startswith("Priya Raman cancelled your session on")
    # A cancelled session cannot be cancelled or moved again.
    response = student_client.post(f"/sessions/{meeting_id}/cancel", data={"cancel-reason": "Again"})
    assert "This session is cancelled already." in text(response)


def test_withdrawing_ones_own_proposal(app, institution, pair, people, student_client, mentor_client):
    meeting_id = session_id(propose(student_client, pair, in_days(8), "Europe/London"))
    response = student_client.post(f"/sessions/{meeting_id}/cancel", data={"cancel-reason": "Found an answer."})
    assert response.status_code == 302
    assert "Withdrawn by Jordan Lee" in text(mentor_client.get(f"/mentorships/{pair}/sessions"))
    assert notices(app, people["mentor"])[-1][0] == "session_withdrawn"


def test_only_participants_change_a_session(app, institution, pair, people, admin_client, other_admin_client,
                                            make_client):
    meeting_id, _ = _booked(app, institution, people, pair)
    assert admin_client.get(f"/sessions/{meeting_id}").status_code == 200
    for path in ("confirm", "decline", "cancel", "change"):
        assert admin_client.post(f"/sessions/{meeting_id}/{path}").status_code == 403
        assert other_admin_client.post(f"/sessions/{meeting_id}/{path}").status_code == 404
    with app.app_context():
        outsider = make_user(institution, "mentor", "Marcus", "Okafor")
    client = make_client()
    client.sign_in(outsider.email)
    assert client.get(f"/sessions/{meeting_id}").status_code == 404
    assert client.post(f"/sessions/{meeting_id}/cancel", data={"cancel-reason": "x"}).status_code == 404
    assert meetings(app, institution)[0].status == MeetingStatus.CONFIRMED
