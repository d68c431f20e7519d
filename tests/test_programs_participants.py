"""Mentors and students browse, join and leave programs and answer their questionnaires."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import Enrollment, EnrollmentRole, EnrollmentSource, EnrollmentStatus, Program, ProgramStatus, User
from portal.programs import ProgramError, add_question, enroll, leave_program, open_questionnaires
from portal.tenancy import tenant_scope, unscoped
from tests.test_programs import FORMAT, enroll_person, make_program, text


def enrollment_of(app, person) -> Enrollment | None:
    with app.app_context(), unscoped():
        enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == person.id))
        if enrollment is not None:
            db.session.expunge(enrollment)
        return enrollment


def is_checked(page: str, value: str) -> bool:
    return re.search(rf'<input checked [^>]*value="{re.escape(value)}"', page) is not None


def answers_form(program, answers: dict[int, object]) -> dict:
    """Form data for the questionnaire: answers by question index."""
    return {f"q{program.questions[index]}": value for index, value in answers.items()}


def test_browse_lists_open_programs_of_my_institution(student_client, app, institution, other_institution):
    make_program(app, institution, name="Career Pathways")
    make_program(app, institution, name="Secret Draft", status=ProgramStatus.DRAFT)
    make_program(app, institution, name="Finished Program", status=ProgramStatus.CLOSED)
    make_program(app, other_institution, name="Lakeshore Pathways")
    page = text(student_client.get("/programs"))
    assert "Career Pathways" in page and "Join as a mentee" in page
    for hidden in ("Secret Draft", "Finished Program", "Lakeshore Pathways"):
        assert hidden not in page
    assert "You're not taking part in a program yet" in page


def test_browse_with_nothing_open_says_so(mentor_client):
    page = text(mentor_client.get("/programs"))
    assert "No programs are open for joining right now" in page


def test_admins_are_sent_to_their_own_program_list(admin_client):
    response = admin_client.get("/programs")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/programs"


def test_a_student_joins_as_mentee_and_is_asked_the_questionnaire(student_client, app, institution, people):
    program = make_program(app, institution)
    response = student_client.post(f"/programs/{program.id}/join")
    assert response.headers["Location"] == f"/programs/{program.id}/questionnaire"
    page = text(student_client.get(response.headers["Location"]))
    assert "Welcome to Career Pathways! Answer a few questions" in page
    enrollment = enrollment_of(app, people["student"])
    assert enrollment.role == EnrollmentRole.MENTEE and enrollment.source == EnrollmentSource.SELF
    browse = text(student_client.get("/programs"))
    assert "You take part as a <strong>mentee</strong>" in browse and "Answer the questionnaire (4 questions)" in browse
    assert "Join as a mentee" not in browse
    again = text(student_client.post(f"/programs/{program.id}/join", follow_redirects=True))
    assert "You're already taking part in Career Pathways." in again


def test_a_mentor_joins_as_mentor(mentor_client, app, institution, people):
    program = make_program(app, institution, questions=())
    page = text(mentor_client.post(f"/programs/{program.id}/join", follow_redirects=True))
    assert "Welcome to Career Pathways! You're taking part as a mentor." in page
    assert enrollment_of(app, people["mentor"]).role == EnrollmentRole.MENTOR


def test_closed_and_draft_programs_cannot_be_joined(student_client, app, institution, people):
    closed = make_program(app, institution, name="Finished Program", status=ProgramStatus.CLOSED)
    draft = make_program(app, institution, name="Secret Draft", status=ProgramStatus.DRAFT)
    page = text(student_client.post(f"/programs/{closed.id}/join", follow_redirects=True))
    assert "Finished Program is closed and takes no new participants." in page
    page = text(student_client.post(f"/programs/{draft.id}/join", follow_redirects=True))
    assert "Secret Draft isn't open for joining yet." in page
    assert enrollment_of(app, people["student"]) is None


def test_another_institutions_program_is_not_found(student_client, app, other_institution, people):
    program = make_program(app, other_institution, name="Lakeshore Pathways")
    for response in (student_client.post(f"/programs/{program.id}/join"),
                     student_client.post(f"/programs/{program.id}/leave"),
                     student_client.get(f"/programs/{program.id}/questionnaire")):
        assert response.status_code == 404 and "Lakeshore" not in text(response)
    assert enrollment_of(app, people["student"]) is None


def test_admins_cannot_join(admin_client, app, institution):
    program = make_program(app, institution)
    assert admin_client.post(f"/programs/{program.id}/join").status_code == 403


def test_leave_and_come_back(student_client, app, institution, people):
    program = make_program(app, institution)
    student_client.post(f"/programs/{program.id}/join")
    student_client.post(f"/programs/{program.id}/questionnaire", data=answers_form(program, {0: "CV review",
                                                                                                1: "In person"}))
    page = text(student_client.post(f"/programs/{program.id}/leave", follow_redirects=True))
    assert "You've left Career Pathways." in page and "Join as a mentee" in page
    left = enrollment_of(app, people["student"])
    assert left.status == EnrollmentStatus.LEFT and left.left_at is not None
    page = text(student_client.post(f"/programs/{program.id}/leave", follow_redirects=True))
    assert "You're not taking part in Career Pathways." in page
    student_client.post(f"/programs/{program.id}/join")
    back = enrollment_of(app, people["student"])
    assert back.status == EnrollmentStatus.ACTIVE and back.left_at is None and back.id == left.id
    assert back.answers[str(program.questions[1])] == "In person"  # answers are kept


def test_questionnaire_needs_an_enrollment(student_client, app, institution):
    program = make_program(app, institution)
    page = text(student_client.get(f"/programs/{program.id}/questionnaire", follow_redirects=True))
    assert "Join Career Pathways first to answer its questionnaire." in page


def test_a_mentee_sees_mentee_questions_and_a_mentor_sees_mentor_questions(
        student_client, mentor_client, app, institution, people):
    program = make_program(app, institution)
    enroll_person(app, institution, program.id, people["student"], EnrollmentRole.MENTEE)
    enroll_person(app, institution, program.id, people["mentor"], EnrollmentRole.MENTOR)
    mentee_page = text(student_client.get(f"/programs/{program.id}/questionnaire"))
    mentor_page = text(mentor_client.get(f"/programs/{program.id}/questionnaire"))
    assert "What do you most want help with?" in mentee_page and "Which industry" not in mentee_page
    assert "Which industry do you work in?" in mentor_page and "What do you most want help with?" not in mentor_page
    for page in (mentee_page, mentor_page):
        assert "Preferred meeting format" in page and "Anything else we should know?" in page


def test_answers_are_checked_and_saved(student_client, app, institution, people):
    program = make_program(app, institution)
    enroll_person(app, institution, program.id, people["student"], EnrollmentRole.MENTEE)
    url = f"/programs/{program.id}/questionnaire"
    missing = student_client.post(url, data=answers_form(program, {1: "Video call"}))
    assert missing.status_code == 422
    page = text(missing)
    assert "Please check the answer marked below." in page and "Please choose at least one option." in page
    assert is_checked(page, "Video call")  # what was chosen stays chosen
    invalid = text(student_client.post(url, data=answers_form(program, {0: ["CV review", "Astrology"],
                                                                          1: "Carrier pigeon", 2: "7"})))
    assert "Please check the 3 answers marked below." in invalid
    assert "Choose from the options shown." in invalid and "Choose one of the options shown." in invalid
    assert "Choose a number from 1 to 5." in invalid
    assert enrollment_of(app, people["student"]).questionnaire_completed_at is None
    saved = student_client.post(url, data=answers_form(program, {0: ["Networking", "CV review"],
                                                                   1: "In person", 2: "4", 3: "  Evenings  "}))
    assert saved.headers["Location"] == "/programs"
    assert "Thank you! Your answers for Career Pathways are saved." in text(student_client.get("/programs"))
    enrollment = enrollment_of(app, people["student"])
    first, second, third, fourth = program.questions[:4]
    assert enrollment.answers == {str(first): ["CV review", "Networking"], str(second): "In person",
                                  str(third): 4, str(fourth): "Evenings"}
    assert enrollment.questionnaire_completed_at is not None
    again = text(student_client.get(url))
    assert is_checked(again, "Networking") and is_checked(again, "4") and "Evenings</textarea>" in again
    assert not is_checked(again, "Interview practice")
    # Clearing an optional answer removes it.
    student_client.post(url, data=answers_form(program, {0: "Networking", 1: "In person"}))
    assert enrollment_of(app, people["student"]).answers == {str(first): ["Networking"], str(second): "In person"}


def test_next_takes_people_back_but_never_off_site(student_client, app, institution, people):
    program = make_program(app, institution)
    enroll_person(app, institution, program.id, people["student"], EnrollmentRole.MENTEE)
    url = f"/programs/{program.id}/questionnaire"
    good = answers_form(program, {0: "CV review", 1: "In person"})
    page = text(student_client.get(url + "?next=/welcome"))
    assert 'name="next" type="hidden" value="/welcome"' in page
    assert student_client.post(url + "?next=/welcome", data=good).headers["Location"] == "/welcome"
    assert student_client.post(url, data={**good, "next": "/welcome"}).headers["Location"] == "/welcome"
    for evil in ("https://evil.example/phish", "//evil.example", "/\\evil.example", "javascript:alert(1)"):
        response = student_client.post(url, data={**good, "next": evil})
        assert response.headers["Location"] == "/programs", evil
        assert "evil" not in text(student_client.get(f"{url}?next={evil}"))


def test_a_closed_programs_questionnaire_cannot_change(student_client, admin_client, app, institution, people):
    program = make_program(app, institution)
    enroll_person(app, institution, program.id, people["student"], EnrollmentRole.MENTEE)
    admin_client.post(f"/admin/programs/{program.id}/status", data={"status": "closed"})
    page = text(student_client.get(f"/programs/{program.id}/questionnaire", follow_redirects=True))
    assert "Career Pathways is closed, so its questionnaire can't be changed." in page


def test_open_questionnaires_lists_what_still_waits_for_answers(student_client, app, institution, people):
    program = make_program(app, institution)
    quiet = make_program(app, institution, name="No Questions", questions=())
    mentors_only = make_program(app, institution, name="Mentor Survey", questions=({**FORMAT, "audience": "mentors"},))
    for program_id in (program.id, quiet.id, mentors_only.id):
        enroll_person(app, institution, program_id, people["student"], EnrollmentRole.MENTEE)

    def waiting() -> list[str]:
        with app.app_context(), tenant_scope(institution.id):
            return [enrollment.program.name for enrollment in open_questionnaires(people["student"].id)]

    assert waiting() == ["Career Pathways"]
    student_client.post(f"/programs/{program.id}/questionnaire",
                        data=answers_form(program, {0: "CV review", 1: "In person"}))
    assert waiting() == []
    with app.app_context(), tenant_scope(institution.id):
        add_question(db.session.get(Program, program.id), {**FORMAT, "prompt": "A new required question"})
        db.session.commit()
    assert waiting() == ["Career Pathways"]
    student_client.post(f"/programs/{program.id}/leave")
    assert waiting() == []


def test_enroll_is_idempotent_and_guards_roles(app, institution, people):
    program = make_program(app, institution)
    with app.app_context(), tenant_scope(institution.id):
        record = db.session.get(Program, program.id)
        student = db.session.get(User, people["student"].id)
        first = enroll(record, student, EnrollmentRole.MENTEE, EnrollmentSource.IMPORT)
        assert enroll(record, student, EnrollmentRole.MENTEE, EnrollmentSource.SELF) is first
        assert first.source == EnrollmentSource.IMPORT
        leave_program(first)
        assert enroll(record, student, EnrollmentRole.MENTEE, EnrollmentSource.INVITATION).status == "active"
        for person, role, message in ((people["admin"], EnrollmentRole.MENTOR, "Admins run programs"),
                                      (people["mentor"], EnrollmentRole.MENTEE, "so they take part as a mentor")):
            try:
                enroll(record, db.session.get(User, person.id), role, EnrollmentSource.ADMIN)
            except ProgramError as error:
                assert message in str(error)
            else:
                raise AssertionError("enroll() accepted a person it should refuse")
        db.session.commit()
        count = db.session.scalar(select(Enrollment.id).where(Enrollment.user_id == student.id))
        assert count == first.id
