"""The first sign-in walk-through: password, profile, questionnaire, orientation; resumable."""

from __future__ import annotations

import re

import pytest

from portal.accounts.people import invitation_link
from portal.demo.resources import seed_resources
from portal.extensions import db
from portal.models import EnrollmentRole, EnrollmentSource, Institution, ProgramStatus, User
from portal.programs.operations import create_program, enroll, set_program_status
from portal.programs.questionnaire import add_question
from portal.tenancy import tenant_scope
from tests.factories import make_user

STUDENT_PROFILE = {
    "headline": "Junior exploring data careers", "major": "Statistics", "graduation_year": "2027",
    "skills": "Python; SQL", "career_interests": "Data science; Healthcare", "languages": "English",
}


@pytest.fixture
def invited_student(app, institution):
    """An invited student enrolled in an open program with one question, and their link."""
    with app.app_context():
        person = make_user(institution, "student", "Maya", "Okoro", status="invited")
        with tenant_scope(institution.id):
            program = create_program(institution.id, {"name": "Career Pathways"})
            add_question(program, {"prompt": "What do you most want help with?", "kind": "single_choice",
                                   "options": "Choosing a career\nFinding an internship", "audience": "both",
                                   "required": True})
            set_program_status(program, ProgramStatus.OPEN)
            user = db.session.get(User, person.id)
            enroll(program, user, EnrollmentRole.MENTEE, EnrollmentSource.IMPORT)
            seed_resources(db.session.get(Institution, institution.id))
            link = invitation_link(user)
            db.session.commit()
            question_field = f"q{program.questions[0].id}"
            program_id = program.id
    return {"ref": person, "path": link.removeprefix("http://localhost"), "program_id": program_id,
            "question_field": question_field}


def _follow(client, response):
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def test_an_invited_student_walks_through_and_can_stop_and_come_back(app, client, invited_student, make_client):
    password = "lantern-orchid-river-12"
    step = _follow(client, client.post(invited_student["path"], data={"password": password, "confirm": password}))
    assert step == "/welcome"
    step = _follow(client, client.get(step))
    assert step.startswith("/profile") and "next=/welcome" in step
    page = client.get(step).get_data(as_text=True)
    assert "Getting started · step 2 of 4" in page
    assert "Complete your profile" in page

    step = _follow(client, client.post(step, data={**STUDENT_PROFILE, "next": "/welcome"}))
    assert step == "/welcome"
    questionnaire = _follow(client, client.get(step))
    assert f"/programs/{invited_student['program_id']}/questionnaire" in questionnaire

    # The student stops here, signs in again later and lands where they stopped.
    client.post("/logout")
    later = make_client()
    resumed = _follow(later, later.sign_in(invited_student["ref"].email, password))
    assert resumed == "/welcome"
    assert _follow(later, later.get(resumed)) == questionnaire
    page = later.get(questionnaire).get_data(as_text=True)
    assert "step 3 of 4" in page and "What do you most want help with?" in page

    step = _follow(later, later.post(questionnaire, data={invited_student["question_field"]: "Choosing a career"}))
    orientation = _follow(later, later.get(step))
    assert orientation == "/welcome/orientation"
    page = later.get(orientation).get_data(as_text=True)
    assert "step 4 of 4" in page and "Mentee handbook" in page and "Questions for your first meeting" in page
    assert "Mentor handbook" not in page  # the orientation is for the person's role

    done = _follow(later, later.post(orientation))
    assert _follow(later, later.get(done)) == "/"
    dashboard = later.get("/").get_data(as_text=True)
    assert "You&#39;re all set" in dashboard
    assert "Finish setting up your account" not in dashboard
    assert _follow(later, later.get("/welcome")) == "/"


def test_the_dashboard_reminds_people_who_stopped_halfway(app, client, invited_student):
    password = "lantern-orchid-river-12"
    client.post(invited_student["path"], data={"password": password, "confirm": password})
    dashboard = client.get("/").get_data(as_text=True)
    assert "Finish setting up your account" in dashboard
    assert re.search(r"1 of 4 steps done", dashboard)


def test_the_orientation_has_no_progress_bar_once_onboarded(student_client):
    page = student_client.get("/welcome/orientation").get_data(as_text=True)
    assert "Getting started" not in page
