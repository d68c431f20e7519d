"""Feedback: each participant rates a held session once, is prompted to once it ends, and answers
the closing survey once a mentorship ends; admins read it all."""

from __future__ import annotations

import html
import time
from datetime import timedelta

import pytest
from flask import render_template_string
from flask_login import login_user
from sqlalchemy import select

from portal.extensions import db
from portal.jobs import queue
from portal.meetings import AlreadyAnswered, AlreadyRated, give_feedback, prompt_for_feedback, submit_closing_survey
from portal.models import ClosingSurvey, Meeting, Mentorship, Notification, SessionFeedback, User, utcnow
from portal.tenancy import tenant_scope, unscoped
from tests.access.meetings import make_pair
from tests.concurrency import while_open
from tests.factories import make_user
from tests.test_meetings import (  # noqa: F401  (pair is a fixture)
    HX, _ended_session, count, db_is_postgres, new_meeting, pair, render_panel, text,
)


# Session ratings


def test_each_participant_rates_a_held_session_once(app, pair, people, student_client, mentor_client, admin_client):
    meeting_id = new_meeting(app, pair, "completed")
    page = student_client.get(f"/sessions/{meeting_id}/feedback")
    assert page.status_code == 200 and "How was this session?" in text(page)
    data = {"rating": "4", "went_well": "Concrete advice on my CV", "goal_progress": "CV draft done"}
    response = student_client.post(f"/sessions/{meeting_id}/feedback", data=data)
    assert response.status_code == 302
    page = text(student_client.get(f"/sessions/{meeting_id}/feedback"))
    assert "You rated this session 4/5" in page and "Thank you for your feedback!" in page
    assert "How was this session?" not in page
    # A second submit (another tab) gets a clear answer, and nothing changes.
    response = student_client.post(f"/sessions/{meeting_id}/feedback", data={**data, "rating": "1"}, headers=HX)
    assert response.status_code == 200
    assert "You already rated this session 4/5." in text(response)
    response = student_client.post(f"/sessions/{meeting_id}/feedback", data={**data, "rating": "1"})
    assert response.status_code == 302
    with app.app_context(), unscoped():
        assert db.session.scalars(select(SessionFeedback.rating)).all() == [4]
    response = mentor_client.post(f"/sessions/{meeting_id}/feedback", headers=HX, data={"rating": "5"})
    assert "Thank you for your feedback!" in text(response) and "You rated this session 5/5" in text(response)
    admin_page = text(admin_client.get(f"/sessions/{meeting_id}/feedback"))
    assert "Jordan Lee" in admin_page and "4/5" in admin_page and "Concrete advice on my CV" in admin_page
    assert "Priya Raman" in admin_page and "5/5" in admin_page
    # Participants see only their own rating.
    assert "Concrete advice on my CV" not in render_panel(app, meeting_id, people["mentor"].id)


@pytest.mark.parametrize("data", [{}, {"rating": "0"}, {"rating": "6"}, {"rating": "great"}])
def test_a_rating_outside_1_to_5_is_refused(app, pair, student_client, data):
    meeting_id = new_meeting(app, pair, "completed")
    response = student_client.post(f"/sessions/{meeting_id}/feedback", data=data)
    assert response.status_code == 422
    assert "Choose a rating from 1 (very poor) to 5 (excellent)." in text(response)
    assert count(app, SessionFeedback) == 0


def test_overlong_answers_are_refused(app, pair, student_client):
    meeting_id = new_meeting(app, pair, "completed")
    response = student_client.post(f"/sessions/{meeting_id}/feedback", data={"rating": "3", "went_well": "x" * 2001},
                                   headers=HX)
    assert "Keep this answer under 2,000 characters." in text(response)
    assert count(app, SessionFeedback) == 0


def test_a_session_not_yet_held_cannot_be_rated(app, pair, student_client):
    meeting_id = new_meeting(app, pair)
    page = text(student_client.get(f"/sessions/{meeting_id}/feedback"))
    assert "Once the session is marked as held, you can rate it here." in page
    response = student_client.post(f"/sessions/{meeting_id}/feedback", data={"rating": "5"})
    assert "You can rate the session once it is marked as held." in text(response)
    assert count(app, SessionFeedback) == 0


def test_two_submits_racing_past_the_check_leave_one_rating(app, institution, pair, people):
    """The unique index decides: the loser gets AlreadyRated, not a crash."""
    if not db_is_postgres(app):
        pytest.skip("needs PostgreSQL's row-level waiting on a unique index")
    meeting_id = new_meeting(app, pair, "completed")
    with app.app_context(), tenant_scope(institution.id):
        give_feedback(meeting_id, people["student"].id, 5, "first tab")  # inserted, not committed
        second = while_open(app, lambda: give_feedback(meeting_id, people["student"].id, 2, "second tab"),
                            institution_id=institution.id, expect=AlreadyRated)
    assert str(second).startswith("You already rated this session 5/5.")
    with app.app_context(), unscoped():
        assert db.session.scalars(select(SessionFeedback.went_well)).all() == ["first tab"]


# The prompt to rate


def test_the_sweep_prompts_each_participant_once_by_notification_and_email(app, pair, people, run_jobs, smtp_sink):
    meeting_id = _ended_session(app, pair)
    with app.app_context():
        queue("default").enqueue(prompt_for_feedback)
    run_jobs()
    with app.app_context(), unscoped():
        notes = db.session.scalars(select(Notification).order_by(Notification.user_id)).all()
        assert {n.user_id for n in notes} == {people["mentor"].id, people["student"].id}
        assert {n.link for n in notes} == {f"/sessions/{meeting_id}/feedback"}
        assert {n.title for n in notes} == {"How was your session with Jordan Lee?",
                                            "How was your session with Priya Raman?"}
        assert db.session.get(Meeting, meeting_id).feedback_prompted_at is not None
    mails = smtp_sink.wait_for(2)
    assert sorted(m["To"] for m in mails) == sorted([people["mentor"].email, people["student"].email])
    assert f"/sessions/{meeting_id}/feedback" in smtp_sink.text_of(mails[0])
    # The next sweep finds nothing to do.
    with app.app_context():
        queue("default").enqueue(prompt_for_feedback)
    run_jobs()
    assert count(app, Notification) == 2
    time.sleep(0.2)
    assert len(smtp_sink.messages) == 2


def test_the_sweep_skips_who_rated_and_sessions_not_due(app, institution, pair, people):
    rated = _ended_session(app, pair, hours_ago=1)
    _ended_session(app, pair, hours_ago=24 * 8)  # ended too long ago
    _ended_session(app, pair, hours_ago=5, status="no_show")
    new_meeting(app, pair, "completed", starts_at=utcnow() - timedelta(minutes=30))  # still running
    new_meeting(app, pair, "confirmed", starts_at=utcnow() - timedelta(hours=30))  # never marked held
    with app.app_context(), tenant_scope(institution.id):
        give_feedback(rated, people["mentor"].id, 5)
        db.session.commit()
    with app.app_context():
        assert prompt_for_feedback() == 1
        db.session.commit()
    with app.app_context(), unscoped():
        assert db.session.scalars(select(Notification.user_id)).all() == [people["student"].id]


def test_two_sweeps_at_once_prompt_once(app, pair):
    if not db_is_postgres(app):
        pytest.skip("needs PostgreSQL's row locks to show the race")
    _ended_session(app, pair)
    with app.app_context():
        assert prompt_for_feedback() == 1  # not committed: the row stays locked
        assert while_open(app, prompt_for_feedback) == 0
    assert count(app, Notification) == 2


def test_the_workspace_prompt_lists_held_sessions_not_rated(app, institution, pair, people):
    first = _ended_session(app, pair, hours_ago=48)
    second = _ended_session(app, pair, hours_ago=2)
    with app.app_context(), tenant_scope(institution.id):
        give_feedback(first, people["student"].id, 4)
        db.session.commit()

    def prompt(user_id):
        with app.test_request_context("/"), unscoped():
            login_user(db.session.get(User, user_id))
            mentorship = db.session.get(Mentorship, pair)
            role = next((p.role for p in mentorship.participants if p.user_id == user_id), None)
            return render_template_string('{% include "meetings/_rate_prompt.html" %}', mentorship=mentorship,
                                          viewer_role=role)

    student = prompt(people["student"].id)
    assert student.count("Rate this session") == 1 and f"/sessions/{second}/feedback" in student
    mentor = prompt(people["mentor"].id)
    assert mentor.count("Rate this session") == 2
    assert prompt(people["admin"].id).strip() == ""


def test_the_demo_seeds_ratings_notes_items_and_a_closing_survey(app, institution, pair, people):
    from portal.demo.meetings import seed
    from portal.mentorships import create_mentorship
    from portal.models import ClosingSurvey, Institution, Program

    held = [_ended_session(app, pair, hours_ago=24 * days) for days in (30, 16, 2)]
    upcoming = new_meeting(app, pair, "confirmed", starts_at=utcnow() + timedelta(days=3))
    with app.app_context():
        mentor = make_user(institution, "mentor", "Elena", "Novak")
        mentee = make_user(institution, "student", "Lucas", "Ferreira")
    with app.app_context(), tenant_scope(institution.id):
        from portal.models import EnrollmentRole, EnrollmentSource
        from portal.programs import enroll

        program = db.session.scalar(select(Program))
        enroll(program, db.session.get(User, mentor.id), EnrollmentRole.MENTOR, EnrollmentSource.ADMIN)
        enroll(program, db.session.get(User, mentee.id), EnrollmentRole.MENTEE, EnrollmentSource.ADMIN)
        ended = create_mentorship(program, mentor.id, [mentee.id], "admin_manual", None)
        ended.status, ended.ended_at = "completed", utcnow() - timedelta(days=5)
        db.session.commit()
        for _ in range(2):  # seeding twice adds nothing the second time
            seed(db.session.get(Institution, institution.id))
            db.session.commit()
        ratings = db.session.execute(select(SessionFeedback.meeting_id, SessionFeedback.user_id,
                                            SessionFeedback.rating)).all()
        assert {(meeting, user) for meeting, user, _ in ratings} == {
            (meeting, person.id) for meeting in held for person in (people["mentor"], people["student"])}
        assert [rating for _, _, rating in ratings].count(2) == 1
        assert all(2 <= rating <= 5 for _, _, rating in ratings)
        for meeting_id in held:
            meeting = db.session.get(Meeting, meeting_id)
            assert meeting.notes and meeting.feedback_prompted_at is not None
            assert len(meeting.action_items) == 2
        assert db.session.get(Meeting, upcoming).notes == ""
        surveys = db.session.execute(select(ClosingSurvey.user_id, ClosingSurvey.recommend)).all()
        assert sorted(surveys) == sorted([(mentor.id, 10), (mentee.id, 9)])
    with app.app_context():
        assert prompt_for_feedback() == 0  # the demo's sessions are not prompted for again


# The closing survey


@pytest.fixture
def ended(app, institution, people):
    with app.app_context(), unscoped():
        return make_pair(institution, "completed")


def answers(app) -> list[tuple[int, int, str]]:
    with app.app_context(), unscoped():
        return [(row.user_id, row.recommend, row.comment) for row in
                db.session.scalars(select(ClosingSurvey).order_by(ClosingSurvey.id))]


def prompt(app, mentorship_id: int, user_id: int) -> str:
    """Render the workspace overview's closing-survey prompt for one viewer."""
    with app.test_request_context("/"), unscoped():
        login_user(db.session.get(User, user_id))
        mentorship = db.session.get(Mentorship, mentorship_id)
        role = next((p.role for p in mentorship.participants if p.user_id == user_id), None)
        return html.unescape(render_template_string('{% include "feedback/_closing_prompt.html" ignore missing %}',
                                                    mentorship=mentorship, viewer_role=role))


def test_each_participant_answers_the_closing_survey_once(app, ended, people, student_client, mentor_client):
    assert "Answer the closing survey" in prompt(app, ended, people["student"].id)
    page = text(student_client.get(f"/mentorships/{ended}/closing-survey"))
    assert "How likely are you to recommend this mentoring program" in page and "Send my answer" in page
    response = student_client.post(f"/mentorships/{ended}/closing-survey",
                                   data={"recommend": "9", "comment": "  Priya opened doors I didn't know existed. "})
    assert response.status_code == 302
    page = text(student_client.get(response.headers["Location"]))
    assert "Thank you!" in page and "You answered 9/10" in page and "Send my answer" not in page
    assert answers(app) == [(people["student"].id, 9, "Priya opened doors I didn't know existed.")]
    assert prompt(app, ended, people["student"].id).strip() == ""
    # A second submit (another tab) is told so; nothing changes.
    response = student_client.post(f"/mentorships/{ended}/closing-survey", data={"recommend": "2"})
    assert response.status_code == 302
    assert "You already answered the closing survey (9/10)." in text(student_client.get(response.headers["Location"]))
    assert len(answers(app)) == 1
    # The mentor still has theirs to give, and a 0 is a valid answer.
    assert "Answer the closing survey" in prompt(app, ended, people["mentor"].id)
    assert mentor_client.post(f"/mentorships/{ended}/closing-survey", data={"recommend": "0"}).status_code == 302
    assert sorted(answers(app)) == sorted([(people["student"].id, 9, "Priya opened doors I didn't know existed."),
                                           (people["mentor"].id, 0, "")])


@pytest.mark.parametrize("data, message", [
    ({}, "Choose a score from 0 (not at all likely) to 10 (extremely likely)."),
    ({"recommend": "11"}, "Choose a score from 0 (not at all likely) to 10 (extremely likely)."),
    ({"recommend": "-1"}, "Choose a score from 0 (not at all likely) to 10 (extremely likely)."),
    ({"recommend": "ten"}, "Choose a score from 0 (not at all likely) to 10 (extremely likely)."),
    ({"recommend": "8", "comment": "x" * 4001}, "Keep the comment under 4,000 characters."),
])
def test_a_bad_answer_is_refused_with_a_reason(app, ended, student_client, data, message):
    response = student_client.post(f"/mentorships/{ended}/closing-survey", data=data)
    assert response.status_code == 422 and message in text(response)
    assert answers(app) == []


def test_the_survey_opens_only_when_the_mentorship_ends(app, institution, people, student_client):
    with app.app_context(), unscoped():
        active = make_pair(institution)
    assert "The closing survey opens when the mentorship ends." in text(
        student_client.get(f"/mentorships/{active}/closing-survey"))
    response = student_client.post(f"/mentorships/{active}/closing-survey", data={"recommend": "10"})
    assert response.status_code == 422
    assert "The closing survey opens when the mentorship ends." in text(response)
    assert answers(app) == []
    assert prompt(app, active, people["student"].id).strip() == ""


def test_admins_read_the_answers_and_outsiders_get_404(app, institution, ended, people, student_client,
                                                       admin_client, other_admin_client, make_client):
    student_client.post(f"/mentorships/{ended}/closing-survey", data={"recommend": "6", "comment": "Too few meetings"})
    page = text(admin_client.get(f"/mentorships/{ended}/closing-survey"))
    assert "Jordan Lee" in page and "6/10" in page and "Too few meetings" in page
    assert "1 of 2 participants haven't answered yet." in page and "Send my answer" not in page
    assert prompt(app, ended, people["admin"].id).strip() == ""
    assert admin_client.post(f"/mentorships/{ended}/closing-survey", data={"recommend": "10"}).status_code == 403
    assert other_admin_client.get(f"/mentorships/{ended}/closing-survey").status_code == 404
    assert other_admin_client.post(f"/mentorships/{ended}/closing-survey", data={"recommend": "10"}).status_code == 404
    with app.app_context():
        stranger = make_user(institution, "student", "Amara", "Nwosu")
    client = make_client()
    client.sign_in(stranger.email)
    assert client.get(f"/mentorships/{ended}/closing-survey").status_code == 404
    assert client.post(f"/mentorships/{ended}/closing-survey", data={"recommend": "10"}).status_code == 404
    assert [recommend for _, recommend, _ in answers(app)] == [6]


def test_two_submits_racing_past_the_check_leave_one_answer(app, institution, ended, people):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("needs PostgreSQL's row-level waiting on a unique index")
    with app.app_context(), tenant_scope(institution.id):
        submit_closing_survey(ended, people["mentor"].id, 10, "first tab")  # inserted, not committed
        second = while_open(app, lambda: submit_closing_survey(ended, people["mentor"].id, 3, "second tab"),
                            institution_id=institution.id, expect=AlreadyAnswered)
    assert str(second).startswith("You already answered the closing survey (10/10).")
    assert answers(app) == [(people["mentor"].id, 10, "first tab")]
