"""Goals: set with SMART or REAL guidance, broken into milestones, updated with notes, reviewed at sessions,
every change in the goal's history and told to the other side."""

from __future__ import annotations

import html
import re
import threading
import time
from datetime import date, timedelta

import pytest
from flask import render_template_string
from flask_login import login_user
from sqlalchemy import select

from portal.extensions import db
from portal.goals import GoalError
from portal.goals.editing import record_progress, save_goal
from portal.goals.guidance import check_goal
from portal.models import Goal, GoalUpdate, Meeting, MeetingStatus, Milestone, Notification, User, utcnow
from portal.tenancy import tenant_scope, unscoped
from tests.access.workspace import make_mentorship
from tests.factories import make_user

HTMX = {"HX-Request": "true"}
TODAY = date.today()


def raw(response) -> str:
    return response.get_data(as_text=True)


def text(response_or_html) -> str:
    """Return what a reader sees: the text without tags, spaces collapsed."""
    markup = response_or_html if isinstance(response_or_html, str) else raw(response_or_html)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.fixture
def pair(app, institution, people):
    with app.app_context(), unscoped():
        return make_mentorship(institution.id, ends_on=TODAY + timedelta(days=200))


def goal_form(**overrides) -> dict:
    data = {"kind": "smart", "title": "Land a summer internship in fintech",
            "description": "I want to test whether fintech suits me before I graduate.",
            "measurable_outcome": "Applications sent to 10 fintech firms",
            "target_date": (TODAY + timedelta(days=60)).isoformat()}
    data.update(overrides)
    return data


def new_goal(client, mentorship_id: int, **overrides):
    return client.post(f"/mentorships/{mentorship_id}/goals/new", data=goal_form(**overrides))


def the_goal(app) -> Goal:
    with app.app_context(), unscoped():
        goal = db.session.scalar(select(Goal).order_by(Goal.id.desc()))
        db.session.expunge(goal)
        return goal


def history(app, goal_id: int) -> list[tuple[str, str, int, str]]:
    with app.app_context(), unscoped():
        return [(u.kind.value, u.status.value, u.progress, u.note) for u in db.session.scalars(
            select(GoalUpdate).where(GoalUpdate.goal_id == goal_id).order_by(GoalUpdate.id))]


def notifications(app, user_id: int) -> list[tuple[str, str]]:
    with app.app_context(), unscoped():
        return [(n.kind, n.title) for n in db.session.scalars(
            select(Notification).where(Notification.user_id == user_id).order_by(Notification.id))]


def make_goal(app, pair, people, **overrides) -> int:
    data = goal_form(**overrides)
    data["target_date"] = date.fromisoformat(data["target_date"]) if data["target_date"] else None
    with app.app_context(), unscoped():
        goal = save_goal(pair, people["student"].id, today=TODAY, **data)
        db.session.commit()
        return goal.id


# Setting a goal --------------------------------------------------------------------------------------------

def test_a_student_sets_a_smart_goal_and_the_mentor_is_told(app, pair, people, student_client, mentor_client,
                                                            run_jobs, smtp_sink):
    form = text(student_client.get(f"/mentorships/{pair}/goals/new"))
    assert "Specific" in form and "Measurable" in form and "Time-bound" in form
    assert "Experimental" in form  # the REAL choice explains itself too
    response = new_goal(student_client, pair)
    goal = the_goal(app)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/mentorships/{pair}/goals/{goal.id}"
    page = text(student_client.get(response.headers["Location"]))
    assert "Your goal “Land a summer internship in fintech” is set" in page
    assert "Applications sent to 10 fintech firms" in page and "Not started" in page
    assert "Jordan set the goal" in page
    assert (goal.kind.value, goal.status.value, goal.progress, goal.created_by_id) == (
        "smart", "not_started", 0, people["student"].id)
    assert notifications(app, people["mentor"].id) == [
        ("goal_created", "Jordan Lee set a new SMART goal: “Land a summer internship in fintech”")]
    assert notifications(app, people["student"].id) == []
    run_jobs()
    assert smtp_sink.messages == []  # a new goal is news for the next visit, not an email
    listing = text(mentor_client.get(f"/mentorships/{pair}/goals"))
    assert "Land a summer internship in fintech" in listing and "Working on" in listing


@pytest.mark.parametrize("overrides, message", [
    (dict(target_date=""), "A SMART goal is Time-bound: choose a target date."),
    (dict(measurable_outcome="  "), "A SMART goal is Measurable: say how you'll know you've reached it"),
    (dict(target_date=(TODAY - timedelta(days=1)).isoformat()), "The target date has passed"),
    (dict(target_date="31/02/2026"), "Enter a date like 2026-09-01."),
    (dict(title=""), "Give the goal a title"),
    (dict(title="x" * 201), "Keep the title under 200 characters (it has 201)"),
    (dict(kind="okr"), "Choose SMART or REAL"),
])
def test_a_goal_that_misses_what_its_kind_needs_is_refused_with_a_reason(pair, student_client, app, overrides,
                                                                         message):
    response = new_goal(student_client, pair, **overrides)
    assert response.status_code == 200
    assert message in text(response)
    with app.app_context(), unscoped():
        assert db.session.scalar(select(Goal.id)) is None


def test_a_real_goal_needs_no_date_or_number(app, pair, student_client):
    response = new_goal(student_client, pair, kind="real", title="Find out whether product management suits me",
                        measurable_outcome="", target_date="")
    assert response.status_code == 302
    goal = the_goal(app)
    assert (goal.kind.value, goal.target_date, goal.measurable_outcome) == ("real", None, "")
    assert "No target date" in text(student_client.get(response.headers["Location"]))


def test_the_checklist_follows_the_draft_as_it_is_written(pair, student_client):
    url = f"/mentorships/{pair}/goals/check"
    empty = text(student_client.post(url, data={"kind": "smart", "title": "Job"}, headers=HTMX))
    assert "A SMART goal is…" in empty
    assert "Choose a target date." in empty and "Say how you'll know you've reached it" in empty
    assert "Add detail to the title" in empty
    full = text(student_client.post(url, data=goal_form(), headers=HTMX))
    assert "Your title says what you'll do." in full and "You can count it." in full
    assert "(in 8 weeks)" in full and "(Needed)" not in full
    late = text(student_client.post(url, data=goal_form(target_date=(TODAY + timedelta(days=400)).isoformat()),
                                    headers=HTMX))
    assert "The program ends on" in late and "is it within reach before then?" in late
    real = text(student_client.post(url, data={"kind": "real", "title": "Explore UX research"}, headers=HTMX))
    assert "A REAL goal is…" in real and "Experimental" in real and "Only you can judge: does it stretch you?" in real
    assert "Time-bound" not in real
    bad_date = text(student_client.post(url, data=goal_form(target_date="soon"), headers=HTMX))
    assert "Enter a date like 2026-09-01." in bad_date


def test_the_guidance_checks_what_a_machine_can_and_says_the_rest_is_for_the_pair():
    checks = {check.letter: check.state for check in check_goal(
        "smart", title="Apply to ten internships", measurable_outcome="an offer", description="",
        target_date=TODAY + timedelta(days=30), today=TODAY, program_ends_on=TODAY + timedelta(days=10))}
    assert checks == {"S": "met", "M": "advice", "A": "advice", "R": "advice", "T": "advice"}
    assert [check.word for check in check_goal("real", today=TODAY)] == [
        "Relevant", "Experimental", "Aspirational", "Learning-based"]


def test_editing_a_goal_is_recorded_and_a_passed_date_may_stay(app, pair, people, student_client, mentor_client):
    goal_id = make_goal(app, pair, people)
    with app.app_context(), unscoped():  # the goal ran past its date
        db.session.get(Goal, goal_id).target_date = TODAY - timedelta(days=3)
        db.session.commit()
    edit = f"/mentorships/{pair}/goals/{goal_id}/edit"
    assert "Land a summer internship in fintech" in text(mentor_client.get(edit))
    data = goal_form(title="Land a summer internship in fintech or payments",
                     target_date=(TODAY - timedelta(days=3)).isoformat())
    response = mentor_client.post(edit, data=data)
    assert response.status_code == 302
    assert the_goal(app).title == "Land a summer internship in fintech or payments"
    assert history(app, goal_id)[-1] == ("edited", "not_started", 0, "Changed the title.")
    assert ("goal_edited", "Priya Raman changed the goal “Land a summer internship in fintech or payments”") in \
        notifications(app, people["student"].id)
    # A new date must lie ahead, though.
    moved = mentor_client.post(edit, data=goal_form(target_date=(TODAY - timedelta(days=1)).isoformat()))
    assert "The target date has passed" in text(moved)
    page = text(student_client.get(f"/mentorships/{pair}/goals/{goal_id}"))
    assert "Overdue since" in page and "Priya edited the goal" in page


# Milestones ------------------------------------------------------------------------------------------------

def test_milestones_are_added_and_ticked_in_place_and_move_progress(app, pair, people, student_client, mentor_client):
    goal_id = make_goal(app, pair, people)
    base = f"/mentorships/{pair}/goals/{goal_id}"
    first = student_client.post(base + "/milestones", data={"title": "Résumé reviewed by Priya"}, headers=HTMX)
    assert first.status_code == 200
    body = text(first)
    assert raw(first).lstrip().startswith('<div id="goal-body"') and "<html" not in raw(first)
    assert "Milestone added: “Résumé reviewed by Priya”." in body and "0 of 1 reached" in body
    student_client.post(base + "/milestones", data={"title": "Ten applications sent",
                                                    "due_on": (TODAY + timedelta(days=30)).isoformat()}, headers=HTMX)
    with app.app_context(), unscoped():
        milestones = db.session.scalars(select(Milestone).where(Milestone.goal_id == goal_id)
                                        .order_by(Milestone.position)).all()
        ids = [m.id for m in milestones]
        assert [m.title for m in milestones] == ["Résumé reviewed by Priya", "Ten applications sent"]
    ticked = text(mentor_client.post(f"{base}/milestones/{ids[0]}/tick", data={"done": "1"}, headers=HTMX))
    assert "“Résumé reviewed by Priya” is reached. Well done!" in ticked and "1 of 2 reached" in ticked
    goal = the_goal(app)
    assert (goal.status.value, goal.progress) == ("in_progress", 50)
    # A second tick (a double click, or the other person at the same time) changes nothing.
    mentor_client.post(f"{base}/milestones/{ids[0]}/tick", data={"done": "1"}, headers=HTMX)
    kinds = [line[0] for line in history(app, goal_id)]
    assert kinds == ["created", "milestone_added", "milestone_added", "milestone_done"]
    assert notifications(app, people["student"].id)[-1] == (
        "milestone_done", "Priya Raman reached a milestone of “Land a summer internship in fintech”")
    # Reopening keeps the progress people recorded.
    reopened = text(student_client.post(f"{base}/milestones/{ids[0]}/tick", data={"done": "0"}, headers=HTMX))
    assert "is open again" in reopened and the_goal(app).progress == 50


def test_a_milestone_needs_a_name_and_a_date_before_the_goal(app, pair, people, student_client):
    goal_id = make_goal(app, pair, people)
    base = f"/mentorships/{pair}/goals/{goal_id}"
    nameless = text(student_client.post(base + "/milestones", data={"title": " "}, headers=HTMX))
    assert "Name the milestone" in nameless
    late = text(student_client.post(base + "/milestones", data={
        "title": "Offer accepted", "due_on": (TODAY + timedelta(days=90)).isoformat()}, headers=HTMX))
    assert "This milestone would be due after the goal itself" in late
    # Without htmx the same answer comes as a message on the goal's page.
    plain = student_client.post(base + "/milestones", data={"title": ""})
    assert plain.status_code == 302 and "Name the milestone" in text(student_client.get(base))
    with app.app_context(), unscoped():
        assert db.session.scalar(select(Milestone.id)) is None


# Progress --------------------------------------------------------------------------------------------------

def test_progress_updates_build_the_goals_history(app, pair, people, student_client, mentor_client):
    goal_id = make_goal(app, pair, people)
    url = f"/mentorships/{pair}/goals/{goal_id}/progress"
    first = student_client.post(url, data={"progress": "30", "status": "not_started",
                                           "note": "Sent three applications"}, headers=HTMX)
    body = text(first)
    assert first.status_code == 200 and "<html" not in raw(first)
    assert "Progress recorded: 30%, in progress." in body  # progress means it has started
    assert "0% → 30%" in body and "Sent three applications" in body
    mentor_client.post(url, data={"progress": "45", "status": "in_progress", "note": ""})
    assert history(app, goal_id)[1:] == [("progress", "in_progress", 30, "Sent three applications"),
                                         ("progress", "in_progress", 45, "")]
    assert notifications(app, people["mentor"].id)[-1] == (
        "goal_progress", "Jordan Lee updated “Land a summer internship in fintech”: 0% → 30%")
    page = text(student_client.get(f"/mentorships/{pair}/goals/{goal_id}"))
    assert "Priya updated progress · 30% → 45%" in page


@pytest.mark.parametrize("data, message", [
    ({"progress": "45", "status": "dropped", "note": ""}, "Say in the note why you're dropping this goal"),
    ({"progress": "0", "status": "not_started", "note": ""}, "Nothing to record"),
    ({"progress": "140", "status": "in_progress"}, "Progress is a whole number from 0 to 100"),
    ({"progress": "lots", "status": "in_progress"}, "Enter progress as a whole number from 0 to 100."),
    ({"progress": "10", "status": "finished"}, "Choose a status"),
    ({"progress": "10", "status": "in_progress", "note": "x" * 2001}, "Keep the note under 2,000 characters"),
])
def test_a_progress_update_that_makes_no_sense_is_refused_with_a_reason(app, pair, people, student_client, data,
                                                                         message):
    goal_id = make_goal(app, pair, people)
    response = student_client.post(f"/mentorships/{pair}/goals/{goal_id}/progress", data=data, headers=HTMX)
    assert response.status_code == 200 and message in text(response)
    assert [line[0] for line in history(app, goal_id)] == ["created"]


def test_an_achieved_goal_is_complete_and_emails_the_other_side_once(app, pair, people, student_client,
                                                                     run_jobs, smtp_sink):
    goal_id = make_goal(app, pair, people)
    url = f"/mentorships/{pair}/goals/{goal_id}/progress"
    response = student_client.post(url, data={"progress": "80", "status": "achieved",
                                              "note": "Offer from Stripe accepted!"})
    assert response.status_code == 302
    assert "Goal achieved: “Land a summer internship in fintech”. Congratulations!" in text(
        student_client.get(response.headers["Location"]))
    goal = the_goal(app)
    assert (goal.status.value, goal.progress) == ("achieved", 100) and goal.achieved_at is not None
    student_client.post(url, data={"progress": "100", "status": "achieved", "note": "Starting in June."})
    run_jobs()
    mails = smtp_sink.wait_for(1)
    assert [(m["To"], str(m["Subject"]).strip()) for m in mails] == [
        (people["mentor"].email, "Goal achieved: “Land a summer internship in fintech”")]
    assert "Offer from Stripe accepted!" in smtp_sink.text_of(mails[0])
    assert f"/mentorships/{pair}/goals/{goal_id}" in smtp_sink.text_of(mails[0])
    assert [kind for kind, _ in notifications(app, people["mentor"].id)].count("goal_achieved") == 1
    listing = text(student_client.get(f"/mentorships/{pair}/goals"))
    assert "Achieved and dropped" in listing and "No open goals" in listing
    # Reopening clears the achievement.
    student_client.post(url, data={"progress": "90", "status": "in_progress", "note": "Offer withdrawn"})
    assert the_goal(app).achieved_at is None


# The goal review on a session page -------------------------------------------------------------------------

def _meeting(app, mentorship_id: int, mentor_id: int, status=MeetingStatus.CONFIRMED) -> int:
    import uuid

    with app.app_context(), unscoped():
        from portal.models import Mentorship

        institution_id = db.session.get(Mentorship, mentorship_id).institution_id
        starts = utcnow().replace(microsecond=0) - timedelta(hours=1)
        meeting = Meeting(institution_id=institution_id, mentorship_id=mentorship_id, mentor_id=mentor_id,
                          starts_at=starts, ends_at=starts + timedelta(minutes=45), status=status,
                          uid=f"{uuid.uuid4()}@test")
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def test_the_session_page_fragment_reviews_open_goals_and_ties_updates_to_the_session(
        app, institution, pair, people, student_client):
    open_id = make_goal(app, pair, people)
    done_id = make_goal(app, pair, people, title="Finish the résumé")
    with app.app_context(), unscoped():
        record_progress(pair, done_id, people["student"].id, progress=100, status="achieved")
        db.session.commit()
    meeting_id = _meeting(app, pair, people["mentor"].id)
    with app.test_request_context(f"/mentorships/{pair}/sessions/{meeting_id}"), tenant_scope(institution.id):
        from portal.models import Mentorship

        login_user(db.session.get(User, people["student"].id))
        mentorship, meeting = db.session.get(Mentorship, pair), db.session.get(Meeting, meeting_id)
        fragment = render_template_string('{% include "goals/_review.html" %}', mentorship=mentorship,
                                          meeting=meeting)
    assert "Goals to review" in fragment and "Land a summer internship in fintech" in fragment
    assert "Finish the résumé" not in fragment  # achieved: nothing left to review
    assert f'name="goal-{open_id}-meeting_id" type="hidden" value="{meeting_id}"' in fragment
    fragment = text(fragment)
    prefix = f"goal-{open_id}-"
    response = student_client.post(f"/mentorships/{pair}/goals/{open_id}/progress", headers=HTMX, data={
        prefix + "progress": "20", prefix + "status": "in_progress", prefix + "note": "Talked through target firms",
        prefix + "meeting_id": str(meeting_id), prefix + "view": "review"})
    assert raw(response).lstrip().startswith(f'<div id="review-goal-{open_id}"')
    assert "Progress recorded: 20%" in text(response)
    with app.app_context(), unscoped():
        update = db.session.scalar(select(GoalUpdate).order_by(GoalUpdate.id.desc()))
        assert (update.meeting_id, update.progress, update.note) == (meeting_id, 20, "Talked through target firms")
    page = text(student_client.get(f"/mentorships/{pair}/goals/{open_id}"))
    assert "at the session of" in page
    # Without htmx the review goes back to the session page it came from.
    back = student_client.post(f"/mentorships/{pair}/goals/{open_id}/progress", data={
        prefix + "progress": "25", prefix + "status": "in_progress", prefix + "meeting_id": str(meeting_id),
        prefix + "view": "review", prefix + "next": f"/mentorships/{pair}/sessions/{meeting_id}"})
    assert back.headers["Location"] == f"/mentorships/{pair}/sessions/{meeting_id}"


def test_an_update_cannot_be_tied_to_another_pairs_session(app, institution, pair, people, student_client):
    goal_id = make_goal(app, pair, people)
    with app.app_context():
        mentor = make_user(institution, "mentor", "Marcus", "Okafor")
        student = make_user(institution, "student", "Amara", "Nwosu")
    with app.app_context(), unscoped():
        other_pair = make_mentorship(institution.id, mentor_id=mentor.id, student_id=student.id, program="Leaders")
    elsewhere = _meeting(app, other_pair, mentor.id)
    response = student_client.post(f"/mentorships/{pair}/goals/{goal_id}/progress", headers=HTMX, data={
        "progress": "20", "status": "in_progress", "meeting_id": str(elsewhere)})
    assert "That session isn't part of this mentorship." in text(response)
    assert [line[0] for line in history(app, goal_id)] == ["created"]


# Who may do what -------------------------------------------------------------------------------------------

def test_an_admin_reads_goals_but_changes_nothing(app, pair, people, admin_client):
    goal_id = make_goal(app, pair, people)
    listing = text(admin_client.get(f"/mentorships/{pair}/goals"))
    assert "Land a summer internship in fintech" in listing and "New goal" not in listing
    page = text(admin_client.get(f"/mentorships/{pair}/goals/{goal_id}"))
    assert "Viewing as an admin" in page and "Record progress" not in page and "Edit goal" not in page
    assert admin_client.post(f"/mentorships/{pair}/goals/{goal_id}/progress",
                             data={"progress": "50", "status": "in_progress"}).status_code == 403
    assert history(app, goal_id) == [("created", "not_started", 0, "")]


def test_people_outside_the_pair_find_no_goals(app, institution, pair, people):
    goal_id = make_goal(app, pair, people)
    with app.app_context():
        outsider = make_user(institution, "mentor", "Marcus", "Okafor")
    client = app.test_client()
    client.sign_in(outsider.email)
    assert client.get(f"/mentorships/{pair}/goals/{goal_id}").status_code == 404
    assert client.post(f"/mentorships/{pair}/goals/{goal_id}/progress",
                       data={"progress": "50", "status": "in_progress"}).status_code == 404


def test_a_goal_is_found_only_through_its_own_mentorship(app, institution, pair, people, student_client):
    goal_id = make_goal(app, pair, people)
    with app.app_context():
        mentor = make_user(institution, "mentor", "Marcus", "Okafor")
    with app.app_context(), unscoped():
        mine_too = make_mentorship(institution.id, mentor_id=mentor.id, program="Leaders")
    assert student_client.get(f"/mentorships/{mine_too}/goals/{goal_id}").status_code == 404
    assert student_client.get(f"/mentorships/{pair}/goals/999999").status_code == 404


def test_an_ended_mentorships_goals_are_kept_as_they_were(app, pair, people, student_client):
    goal_id = make_goal(app, pair, people)
    with app.app_context(), unscoped():
        from portal.models import Mentorship, MentorshipStatus

        db.session.get(Mentorship, pair).status = MentorshipStatus.COMPLETED
        db.session.commit()
    page = text(student_client.get(f"/mentorships/{pair}/goals/{goal_id}"))
    assert "Land a summer internship in fintech" in page and "Record progress" not in page
    assert "New goal" not in text(student_client.get(f"/mentorships/{pair}/goals"))
    response = student_client.post(f"/mentorships/{pair}/goals/{goal_id}/progress",
                                   data={"progress": "50", "status": "in_progress"}, follow_redirects=True)
    assert "This mentorship has been completed, so its goals are kept as they were." in text(response)
    with app.app_context(), unscoped():
        with pytest.raises(GoalError, match="kept as they were"):
            save_goal(pair, people["student"].id, title="One more", kind="real", today=TODAY)


# Concurrency -----------------------------------------------------------------------------------------------

def test_two_people_marking_a_goal_achieved_at_once_announce_it_once(app, institution, pair, people):
    """Both read the goal as not achieved unless the row lock makes the second wait for the first."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks (SELECT ... FOR UPDATE) need PostgreSQL")
    goal_id = make_goal(app, pair, people)
    start, errors = threading.Barrier(2), []

    def achieve(user_id: int) -> None:
        try:
            with app.app_context(), tenant_scope(institution.id):
                start.wait()
                record_progress(pair, goal_id, user_id, progress=100, status="achieved", note="Done")
                time.sleep(0.3)  # hold the transaction open, as a slow request would
                db.session.commit()
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=achieve, args=(people[who].id,)) for who in ("student", "mentor")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not errors
    with app.app_context(), unscoped():
        achieved = db.session.scalars(select(Notification.kind).where(Notification.kind == "goal_achieved")).all()
    assert len(achieved) == 1
    assert [line[:3] for line in history(app, goal_id)] == [
        ("created", "not_started", 0), ("progress", "achieved", 100), ("progress", "achieved", 100)]


# Demo ------------------------------------------------------------------------------------------------------

def test_the_demo_gives_every_pair_goals_with_milestones_and_a_history(app):
    from portal.demo import seed_demo
    from portal.demo.goals import seed

    with app.app_context(), unscoped():
        institution = seed_demo()  # seeds the goals too
        db.session.commit()
        assert seed(institution) == 0  # seeding again changes nothing
        from portal.models import Mentorship

        for mentorship in db.session.scalars(select(Mentorship)):
            goals = db.session.scalars(select(Goal).where(Goal.mentorship_id == mentorship.id)).all()
            assert 1 <= len(goals) <= 3
        goals = {goal.title: goal for goal in db.session.scalars(select(Goal))}
        portfolio = goals["Publish a health-data analysis for my portfolio"]
        assert portfolio.status.value == "in_progress" and portfolio.progress == 55
        assert [bool(m.done_at) for m in portfolio.milestones] == [True, True, False, False]
        assert goals["Complete a financial modelling course"].status.value == "achieved"
        lines = db.session.scalars(select(GoalUpdate).where(GoalUpdate.goal_id == portfolio.id)
                                   .order_by(GoalUpdate.created_at)).all()
        assert lines[0].kind.value == "created" and all(line.created_at <= utcnow() for line in lines)
        assert [line.progress for line in lines if line.kind.value == "progress"] == [15, 40, 55]
