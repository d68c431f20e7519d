"""Admins create, edit, open and close programs; `portal create-program`; other institutions see nothing."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import EnrollmentRole, EnrollmentSource, Program, ProgramStatus, User
from portal.programs import add_question, create_program, enroll, set_program_status
from portal.tenancy import tenant_scope, unscoped

HELP = {"prompt": "What do you most want help with?", "kind": "multiple_choice", "audience": "mentees",
        "options": "CV review\nInterview practice\nNetworking", "required": True, "used_in_matching": True,
        "matching_weight": 2}
FORMAT = {"prompt": "Preferred meeting format", "kind": "single_choice", "audience": "both",
          "options": "Video call\nIn person", "required": True}
CONFIDENCE = {"prompt": "How confident are you about your next step?", "kind": "scale", "audience": "mentees",
              "required": False}
NOTES = {"prompt": "Anything else we should know?", "kind": "free_text", "audience": "both", "required": False}
EXPERTISE = {"prompt": "Which industry do you work in?", "kind": "single_choice", "audience": "mentors",
             "options": "Tech\nFinance\nHealthcare", "required": True}
QUESTIONS = (HELP, FORMAT, CONFIDENCE, NOTES, EXPERTISE)

VALID_PROGRAM = {
    "name": "Career Pathways 2026-27", "description": "Final-year students meet an alumnus every two weeks.",
    "objective": "Guide 100 final-year students in career choice by June 30", "key_result_target": "100",
    "key_result_unit": "students guided", "key_result_deadline": "2027-06-30", "starts_on": "2026-09-01",
    "ends_on": "2027-06-30", "format": "one_to_one", "match_mode": "hybrid", "default_capacity": "3",
    "max_open_requests": "3", "request_expiry_days": "10", "session_cadence_days": "14",
    "weight_skills": "40", "weight_interests": "25", "weight_industry": "10", "weight_major": "5",
    "weight_location": "0", "weight_languages": "10", "weight_questionnaire": "10",
    "affinity_fields": ["first_generation"],
}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def make_program(app, institution, name="Career Pathways", status=ProgramStatus.OPEN, questions=QUESTIONS,
                 **data) -> SimpleNamespace:
    """Create a program with a questionnaire through the domain functions; return its ids."""
    with app.app_context(), tenant_scope(institution.id):
        program = create_program(institution.id, {"name": name, **data})
        ids = [add_question(program, question).id for question in questions]
        if status != ProgramStatus.DRAFT:
            set_program_status(program, status)
        db.session.commit()
        return SimpleNamespace(id=program.id, questions=ids, name=name)


def enroll_person(app, institution, program_id, person, role):
    with app.app_context(), tenant_scope(institution.id):
        program = db.session.get(Program, program_id)
        user = db.session.get(User, person.id)
        enrollment = enroll(program, user, role, EnrollmentSource.ADMIN)
        db.session.commit()
        return enrollment.id


def stored_program(app, name) -> Program | None:
    with app.app_context(), unscoped():
        program = db.session.scalar(select(Program).where(Program.name == name))
        if program is not None:
            db.session.expunge(program)
        return program


def test_an_empty_list_says_how_to_start(admin_client):
    page = text(admin_client.get("/admin/programs"))
    assert "No programs yet" in page and "Create your first program" in page
    assert 'href="/admin/programs/new"' in page


def test_create_a_program_and_see_it_listed(admin_client, app):
    response = admin_client.post("/admin/programs/new", data=VALID_PROGRAM)
    assert response.status_code == 302
    page = text(admin_client.get(response.headers["Location"]))
    assert "Career Pathways 2026-27 is created as a draft" in page
    assert "100 students guided by Jun 30, 2027" in page
    assert "Guide 100 final-year students in career choice by June 30" in page
    assert "Sep 1, 2026 – Jun 30, 2027" in page and "every 14 days" in page and "3 mentees" in page
    assert 'value="40"' in page  # the skills weight bar
    assert "First-generation student" in page
    program = stored_program(app, "Career Pathways 2026-27")
    assert program.status == ProgramStatus.DRAFT and program.request_expiry_days == 10
    assert program.matching_weights["skills"] == 40 and program.matching_weights["location"] == 0
    listing = text(admin_client.get("/admin/programs"))
    row = re.search(r'<tr id="program-\d+">.*?</tr>', listing, re.S).group(0)
    assert "Career Pathways 2026-27" in row and "Draft" in row and "100 students guided" in row


@pytest.mark.parametrize("changes, message", [
    ({"ends_on": "2026-08-01"}, "The end date must be after the start date."),
    ({"ends_on": "2026-09-01"}, "The end date must be after the start date."),
    ({"weight_skills": "150"}, "The weight for skills must be between 0 and 100."),
    ({"weight_interests": "-5"}, "The weight for career interests must be between 0 and 100."),
    ({"weight_major": "lots"}, "Enter a whole number, e.g. 14."),
    ({"starts_on": "1st of September"}, "Enter a date like 2026-09-01."),
    ({"name": "  "}, "Give the program a name."),
    ({"default_capacity": "0"}, "The default mentor capacity must be between 1 and 50."),
    ({"session_cadence_days": ""}, "The session cadence is required."),
    ({"key_result_deadline": "2026-01-01"}, "The key result deadline can't be before the program starts."),
    ({"format": "mosaic"}, "Choose a program format."),
])
def test_invalid_programs_are_refused_with_a_clear_message(admin_client, app, changes, message):
    response = admin_client.post("/admin/programs/new", data={**VALID_PROGRAM, **changes})
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert 'value="Guide 100 final-year students in career choice by June 30"' in page  # nothing typed is lost
    with app.app_context(), unscoped():
        assert db.session.scalar(select(Program)) is None


def test_all_weights_at_zero_are_refused(admin_client):
    zero = {key: "0" for key in VALID_PROGRAM if key.startswith("weight_")}
    page = text(admin_client.post("/admin/programs/new", data={**VALID_PROGRAM, **zero}))
    assert "Give at least one matching criterion a weight above 0." in page


def test_edit_a_program(admin_client, app, institution):
    program = make_program(app, institution, status=ProgramStatus.DRAFT, questions=())
    form = text(admin_client.get(f"/admin/programs/{program.id}/edit"))
    assert 'value="Career Pathways"' in form and 'name="weight_skills"' in form and 'value="30"' in form
    response = admin_client.post(f"/admin/programs/{program.id}/edit",
                                 data={**VALID_PROGRAM, "name": "Career Pathways (renamed)",
                                       "session_cadence_days": "7", "affinity_fields": []})
    assert response.status_code == 302
    page = text(admin_client.get(response.headers["Location"]))
    assert "Career Pathways (renamed) is saved." in page and "every 7 days" in page
    stored = stored_program(app, "Career Pathways (renamed)")
    assert stored.session_cadence_days == 7 and stored.affinity_fields == []
    bad = admin_client.post(f"/admin/programs/{program.id}/edit", data={**VALID_PROGRAM, "ends_on": "2025-01-01"})
    assert bad.status_code == 422 and "The end date must be after the start date." in text(bad)
    assert stored_program(app, "Career Pathways (renamed)").ends_on.isoformat() == "2027-06-30"


def test_open_close_and_reopen(admin_client, app, institution):
    program = make_program(app, institution, status=ProgramStatus.DRAFT, questions=())
    url = f"/admin/programs/{program.id}/status"
    page = text(admin_client.post(url, data={"status": "open"}, follow_redirects=True))
    assert "Career Pathways is open: mentors and students can join it" in page
    assert stored_program(app, "Career Pathways").status == ProgramStatus.OPEN
    page = text(admin_client.post(url, data={"status": "closed"}, follow_redirects=True))
    assert "Career Pathways is closed." in page and "Reopen" in page
    page = text(admin_client.post(url, data={"status": "draft"}, follow_redirects=True))
    assert "can't go back to draft" in page
    page = text(admin_client.post(url, data={"status": "archived"}, follow_redirects=True))
    assert "That change of status isn't possible" in page
    admin_client.post(url, data={"status": "open"})
    assert stored_program(app, "Career Pathways").status == ProgramStatus.OPEN


def test_a_program_that_has_ended_cannot_be_opened(admin_client, app, institution):
    program = make_program(app, institution, status=ProgramStatus.DRAFT, questions=(),
                           starts_on="2024-09-01", ends_on="2025-06-30")
    page = text(admin_client.post(f"/admin/programs/{program.id}/status", data={"status": "open"},
                                  follow_redirects=True))
    assert "Career Pathways ended on June 30, 2025. Move its end date" in page
    assert stored_program(app, "Career Pathways").status == ProgramStatus.DRAFT


def test_the_program_page_shows_participants_by_role(admin_client, app, institution, people):
    program = make_program(app, institution)
    page = text(admin_client.get(f"/admin/programs/{program.id}"))
    assert "No one takes part yet" in page
    enroll_person(app, institution, program.id, people["mentor"], EnrollmentRole.MENTOR)
    enroll_person(app, institution, program.id, people["student"], EnrollmentRole.MENTEE)
    page = text(admin_client.get(f"/admin/programs/{program.id}"))
    mentors = re.search(r'id="mentors-table">.*?</table>', page, re.S).group(0)
    mentees = re.search(r'id="mentees-table">.*?</table>', page, re.S).group(0)
    assert "Priya Raman" in mentors and "Jordan Lee" not in mentors
    assert "Jordan Lee" in mentees and "Priya Raman" not in mentees
    assert page.count("Waiting") == 2
    listing = text(admin_client.get("/admin/programs"))
    row = re.search(r'<tr id="program-\d+">.*?</tr>', listing, re.S).group(0)
    assert re.findall(r'<td class="d-none d-md-table-cell text-end tabular">(\d+)</td>', row) == ["1", "1"]


def test_another_institution_sees_none_of_it(other_admin_client, admin_client, app, institution):
    program = make_program(app, institution)
    question = program.questions[0]
    base = f"/admin/programs/{program.id}"
    for url in (base, f"{base}/edit", f"{base}/questions/new", f"{base}/questions/{question}/edit"):
        response = other_admin_client.get(url)
        assert response.status_code == 404 and "Career Pathways" not in text(response), url
    for url, data in ((f"{base}/edit", VALID_PROGRAM), (f"{base}/status", {"status": "closed"}),
                      (f"{base}/questions/new", FORMAT), (f"{base}/questions/{question}/edit", FORMAT),
                      (f"{base}/questions/{question}/move", {"direction": "down"}),
                      (f"{base}/questions/{question}/delete", {})):
        for headers in ({}, {"HX-Request": "true"}):
            response = other_admin_client.post(url, data=data, headers=headers)
            assert response.status_code == 404 and "Career Pathways" not in text(response), url
    assert "Career Pathways" not in text(other_admin_client.get("/admin/programs"))
    stored = stored_program(app, "Career Pathways")
    assert stored.status == ProgramStatus.OPEN
    assert "Preferred meeting format" in text(admin_client.get(base))


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_create_program_from_the_command_line(runner, app, institution, admin_client):
    result = runner.invoke(args=["portal", "create-program", "--institution", "northbridge",
                                 "Alumni Office Hours", "--capacity", "4"])
    assert result.exit_code == 0, result.output
    program_id = int(result.stdout.strip())
    with app.app_context(), tenant_scope(institution.id):
        program = db.session.get(Program, program_id)
        assert program.name == "Alumni Office Hours" and program.default_capacity == 4
        assert program.status == ProgramStatus.DRAFT
    assert "Alumni Office Hours" in text(admin_client.get("/admin/programs"))
    opened = runner.invoke(args=["portal", "create-program", "--institution", "northbridge", "Open One", "--open"])
    assert opened.exit_code == 0 and stored_program(app, "Open One").status == ProgramStatus.OPEN


def test_create_program_explains_what_is_wrong(runner, institution, app):
    unknown = runner.invoke(args=["portal", "create-program", "--institution", "nowhere", "Lost Program"])
    assert unknown.exit_code != 0 and "No institution has the slug “nowhere”" in unknown.output
    too_many = runner.invoke(args=["portal", "create-program", "--institution", "northbridge", "Big",
                                   "--capacity", "0"])
    assert too_many.exit_code != 0 and "between 1 and 50" in too_many.output
    help_text = runner.invoke(args=["portal", "create-program", "--help"])
    assert help_text.exit_code == 0 and "--capacity" in help_text.output
    with app.app_context(), unscoped():
        assert db.session.scalar(select(Program)) is None


def test_the_demo_has_an_open_program_with_everyone_in_it_and_a_draft(app, make_client):
    from portal.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo
    from portal.demo.programs import seed_programs
    from portal.models import Role

    with app.app_context(), unscoped():
        institution = seed_demo()
        if db.session.scalar(select(Program)) is None:  # until seed-demo seeds programs itself
            seed_programs(institution)
        db.session.commit()
    admin = make_client()
    admin.sign_in(DEMO_LOGINS[Role.ADMIN], DEMO_PASSWORD)
    listing = text(admin.get("/admin/programs"))
    assert "Career Pathways 2026-27" in listing and "Women in Tech Leadership Circle" in listing
    row = re.search(r'<tr id="program-\d+">.*?</tr>', listing, re.S).group(0)
    mentors, mentees = map(int, re.findall(r'<td class="d-none d-md-table-cell text-end tabular">(\d+)</td>', row))
    assert mentors >= 10 and mentees >= 10
    student = make_client()
    student.sign_in(DEMO_LOGINS[Role.STUDENT], DEMO_PASSWORD)
    assert "Answer the questionnaire" in text(student.get("/programs"))
    page = text(student.get(re.search(r'href="(/programs/\d+/questionnaire)"', text(student.get("/programs"))).group(1)))
    assert "What do you most want help with?" in page and "How often would you like to meet?" in page
