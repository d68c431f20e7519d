"""Ending a mentorship: completed or ended early with a reason, by either participant or an admin; the
other side hears of it in the portal and by email; the history shows who did what."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.mentorships import MentorshipError, create_mentorship, end_mentorship
from portal.models import Mentorship, MentorshipEvent, Notification, Program
from portal.tenancy import tenant_scope, unscoped
from tests.test_match_runs import make_cohort, text


@pytest.fixture
def cohort(app, institution, people):
    return make_cohort(app, institution, people)


@pytest.fixture
def pair(app, institution, cohort, people) -> int:
    """Priya (the signed-in mentor) mentors Jordan (the signed-in student)."""
    with app.app_context(), tenant_scope(institution.id):
        mentorship = create_mentorship(db.session.get(Program, cohort["program"]), cohort["Priya"].id,
                                       [cohort["Jordan"].id], "request", people["student"].id,
                                       note="Jordan asked for help choosing a first job")
        db.session.commit()
        return mentorship.id


def state(app, mentorship_id: int) -> dict:
    with app.app_context(), unscoped():
        mentorship = db.session.get(Mentorship, mentorship_id)
        return {"status": mentorship.status.value, "ended": mentorship.ended_at is not None,
                "reason": mentorship.end_reason,
                "events": [(event.kind, event.actor_id, event.note) for event in mentorship.events]}


def notifications_of(app, user_id: int) -> list[tuple[str, str, str, str]]:
    with app.app_context(), unscoped():
        return [(n.kind, n.title, n.body, n.link) for n in db.session.scalars(
            select(Notification).where(Notification.user_id == user_id).order_by(Notification.id))]


def test_a_mentor_completes_the_mentorship_and_the_mentee_hears_of_it_by_mail(
        app, pair, people, mentor_client, student_client, run_jobs, smtp_sink):
    page = mentor_client.get(f"/mentorships/{pair}/end")
    assert page.status_code == 200
    assert "How did it end?" in text(page) and "Your mentorship with Jordan Lee" in text(page)

    response = mentor_client.post(f"/mentorships/{pair}/end", data={
        "outcome": "completed", "reason_detail": "Jordan starts at a bank in May."})
    assert response.status_code == 302
    after = mentor_client.get(response.headers["Location"])
    assert "The mentorship is marked as completed. We let Jordan Lee know." in text(after)
    assert state(app, pair) == {
        "status": "completed", "ended": True, "reason": "Jordan starts at a bank in May.",
        "events": [("created", people["student"].id, "Jordan asked for help choosing a first job"),
                   ("completed", people["mentor"].id, "Jordan starts at a bank in May.")]}
    assert notifications_of(app, people["mentor"].id) == []
    [(kind, title, body, link)] = notifications_of(app, people["student"].id)
    assert (kind, title, link) == ("mentorship_ended",
                                   "Priya Raman marked your mentorship in Career Pathways as completed",
                                   f"/mentorships/{pair}")
    assert "Jordan starts at a bank in May." in body

    run_jobs()
    [mail] = smtp_sink.wait_for(1)
    assert mail["To"] == people["student"].email
    assert mail["Subject"] == "Priya Raman marked your mentorship in Career Pathways as completed"
    assert f"http://localhost/mentorships/{pair}" in smtp_sink.text_of(mail)

    # The history, read by the student, says who ended it and how.
    history = text(student_client.get(f"/mentorships/{pair}/history"))
    assert "Marked as completed" in history and "by Priya Raman" in history
    assert "Mentorship started: the mentee asked and the mentor accepted" in history
    assert "End the mentorship" not in history


def test_ending_early_needs_a_reason(app, pair, people, student_client):
    response = student_client.post(f"/mentorships/{pair}/end", data={"outcome": "ended_early"})
    assert response.status_code == 422
    assert "Choose the main reason for ending early." in text(response)
    response = student_client.post(f"/mentorships/{pair}/end", data={"outcome": "ended_early",
                                                                      "reason_choice": "other", "reason_detail": " "})
    assert response.status_code == 422
    assert "Describe the reason in a few words." in text(response)
    response = student_client.post(f"/mentorships/{pair}/end", data={})
    assert "Choose whether the mentorship was completed or ended early." in text(response)
    response = student_client.post(f"/mentorships/{pair}/end", data={"outcome": "paused"})
    assert response.status_code == 422
    assert state(app, pair)["status"] == "active"

    response = student_client.post(f"/mentorships/{pair}/end", data={
        "outcome": "ended_early", "reason_choice": "no_time", "reason_detail": "My exams take every evening."})
    assert response.status_code == 302
    assert state(app, pair)["status"] == "ended_early"
    assert state(app, pair)["reason"] == "We couldn't find time to meet: My exams take every evening."
    [(_, title, body, _)] = notifications_of(app, people["mentor"].id)
    assert title == "Jordan Lee ended your mentorship in Career Pathways early"
    assert "We couldn't find time to meet: My exams take every evening." in body


def test_a_mentorship_ends_once(app, institution, pair, people, mentor_client, student_client):
    assert mentor_client.post(f"/mentorships/{pair}/end", data={"outcome": "completed"}).status_code == 302
    response = student_client.post(f"/mentorships/{pair}/end", data={
        "outcome": "ended_early", "reason_choice": "not_a_fit"}, follow_redirects=True)
    assert "This mentorship has already ended (completed); nothing was changed." in text(response)
    assert state(app, pair)["status"] == "completed"
    assert [kind for kind, *_ in state(app, pair)["events"]] == ["created", "completed"]
    assert len(notifications_of(app, people["mentor"].id)) == 0
    page = student_client.get(f"/mentorships/{pair}/end")
    assert page.status_code == 200 and "This mentorship has ended" in text(page)
    with app.app_context(), tenant_scope(institution.id):
        with pytest.raises(MentorshipError, match="already ended"):
            end_mentorship(pair, people["admin"].id, "completed")


def test_an_admin_ends_a_mentorship_and_both_participants_are_told(app, pair, people, admin_client):
    page = admin_client.get(f"/mentorships/{pair}/end")
    assert "As an admin you can close a mentorship" in text(page)
    response = admin_client.post(f"/mentorships/{pair}/end", data={
        "outcome": "ended_early", "reason_choice": "left_program", "reason_detail": "Priya moved abroad."})
    assert response.headers["Location"] == f"/mentorships/{pair}/history"
    history = text(admin_client.get(response.headers["Location"]))
    assert "We let Priya Raman and Jordan Lee know." in history
    assert "by Dana Whitfield (program team)" in history and "Priya moved abroad." in history
    for person in ("mentor", "student"):
        [(_, title, _, link)] = notifications_of(app, people[person].id)
        assert title == "Dana Whitfield from the program team ended your mentorship in Career Pathways early"
        assert link == f"/mentorships/{pair}"


def test_only_participants_and_their_admins_can_end_or_read_a_mentorship(
        app, institution, cohort, people, make_client, other_admin_client, mentor_client):
    with app.app_context(), tenant_scope(institution.id):
        other = create_mentorship(db.session.get(Program, cohort["program"]), cohort["Marcus"].id,
                                  [cohort["Amara"].id], "admin_manual", people["admin"].id)
        db.session.commit()
        other_id = other.id
    for path in (f"/mentorships/{other_id}/end", f"/mentorships/{other_id}/history", "/mentorships/999999/end"):
        assert mentor_client.get(path).status_code == 404
        assert other_admin_client.get(path).status_code == 404
    assert mentor_client.post(f"/mentorships/{other_id}/end", data={"outcome": "completed"}).status_code == 404
    assert other_admin_client.post(f"/mentorships/{other_id}/end", data={"outcome": "completed"}).status_code == 404
    assert make_client().get(f"/mentorships/{other_id}/end").headers["Location"].startswith("/login")
    assert state(app, other_id)["status"] == "active"


def test_the_domain_function_refuses_what_makes_no_sense(app, institution, pair, people):
    with app.app_context(), tenant_scope(institution.id):
        with pytest.raises(MentorshipError, match="Say why the mentorship is ending early"):
            end_mentorship(pair, people["mentor"].id, "ended_early", "  ")
        with pytest.raises(MentorshipError, match="completed or ended early"):
            end_mentorship(pair, people["mentor"].id, "paused")
        with pytest.raises(MentorshipError, match="doesn't exist"):
            end_mentorship(999999, people["mentor"].id, "completed")
        ended = end_mentorship(pair, people["mentor"].id, "completed")
        assert ended.status.value == "completed"
        db.session.rollback()  # flushed, not committed: the caller decides
        assert db.session.get(Mentorship, pair).status.value == "active"
    with app.app_context(), tenant_scope(institution.id + 1000):
        with pytest.raises(MentorshipError, match="doesn't exist"):  # another institution's is not found
            end_mentorship(pair, people["mentor"].id, "completed")


def test_two_people_ending_at_the_same_moment_end_it_once(app, institution, pair, people):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    start, outcomes = threading.Barrier(2), {}

    def end_as(person: str, outcome: str, reason: str) -> None:
        with app.app_context(), tenant_scope(institution.id):
            start.wait()
            try:
                end_mentorship(pair, people[person].id, outcome, reason)
                db.session.commit()
                outcomes[person] = "ended"
            except MentorshipError:
                db.session.rollback()
                outcomes[person] = "refused"

    threads = [threading.Thread(target=end_as, args=("mentor", "completed", "")),
               threading.Thread(target=end_as, args=("student", "ended_early", "No time"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["ended", "refused"]
    with app.app_context(), unscoped():
        events = db.session.scalars(select(MentorshipEvent.kind).where(MentorshipEvent.mentorship_id == pair)).all()
        assert sorted(events) == sorted(["created", "completed" if outcomes["mentor"] == "ended" else "ended_early"])
        assert db.session.scalar(select(Notification.id).where(Notification.kind == "mentorship_ended")) is not None
        assert len(db.session.scalars(select(Notification.id)).all()) == 1
