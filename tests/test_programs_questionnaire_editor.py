"""Admins write a program's questionnaire: add, edit, reorder and delete questions, with or without htmx."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import MatchRule, Question, QuestionKind
from portal.tenancy import unscoped
from tests.test_programs import FORMAT, HELP, make_program, text

HTMX = {"HX-Request": "true"}


def stored_questions(app) -> list[Question]:
    with app.app_context(), unscoped():
        questions = list(db.session.scalars(select(Question).order_by(Question.program_id, Question.position)))
        db.session.expunge_all()
        return questions


def prompts_in_order(page: str) -> list[str]:
    return re.findall(r'<span class="visually-hidden">Question \d+: </span>([^<]+)</p>', page)


def test_an_empty_questionnaire_suggests_a_first_question(admin_client, app, institution):
    program = make_program(app, institution, questions=())
    page = text(admin_client.get(f"/admin/programs/{program.id}"))
    assert "No questions yet" in page and "Add a question" in page


def test_add_a_question_with_a_plain_form(admin_client, app, institution):
    program = make_program(app, institution, questions=())
    response = admin_client.post(f"/admin/programs/{program.id}/questions/new", data=HELP)
    assert response.status_code == 302 and response.headers["Location"].endswith("#questionnaire")
    page = text(admin_client.get(response.headers["Location"]))
    assert "Question 1 is added: “What do you most want help with?”" in page
    assert "Multiple choice" in page and "Mentees" in page and "Matching · weight 2" in page
    assert "Interview practice" in page
    [question] = stored_questions(app)
    assert question.kind == QuestionKind.MULTIPLE_CHOICE and question.options == [
        "CV review", "Interview practice", "Networking"]
    assert question.used_in_matching and question.matching_weight == 2 and question.match_rule == MatchRule.SAME


def test_add_a_question_with_htmx_answers_the_editor(admin_client, app, institution):
    program = make_program(app, institution, questions=(HELP,))
    response = admin_client.post(f"/admin/programs/{program.id}/questions/new",
                                 data={**FORMAT, "used_in_matching": "y", "match_rule": "complementary"},
                                 headers=HTMX)
    body = text(response)
    assert response.status_code == 200 and not body.lstrip().startswith("<!doctype")
    assert body.lstrip().startswith('<section id="questionnaire"')
    assert "Question 2 is added" in body
    assert prompts_in_order(body) == ["What do you most want help with?", "Preferred meeting format"]
    assert "complementary answers" in body
    assert stored_questions(app)[1].match_rule == MatchRule.COMPLEMENTARY


def test_bad_questions_are_refused_and_nothing_is_lost(admin_client, app, institution):
    program = make_program(app, institution, questions=())
    url = f"/admin/programs/{program.id}/questions/new"
    cases = [
        ({**FORMAT, "options": ""}, "Give at least two options, one per line."),
        ({**FORMAT, "options": "Only one"}, "Give at least two options, one per line."),
        ({**FORMAT, "options": "Yes\nyes"}, "Each option must be different: “yes” is there twice."),
        ({**FORMAT, "prompt": ""}, "Write the question people will answer."),
        ({**FORMAT, "kind": "essay"}, "Choose the kind of answer"),
        ({**FORMAT, "kind": "free_text", "used_in_matching": "y"}, "Free-text answers can't be compared"),
        ({**FORMAT, "used_in_matching": "y", "matching_weight": "50"}, "a number from 0.1 to 10"),
    ]
    for data, message in cases:
        for headers in ({}, HTMX):
            response = admin_client.post(url, data=data, headers=headers)
            body = text(response)
            assert message in body, (data, headers)
            assert f'value="{data["prompt"]}"' in body or not data["prompt"]
    assert stored_questions(app) == []


def test_options_are_ignored_for_questions_that_take_none(admin_client, app, institution):
    program = make_program(app, institution, questions=())
    admin_client.post(f"/admin/programs/{program.id}/questions/new",
                      data={"prompt": "How ready do you feel?", "kind": "scale", "options": "a\nb", "audience": "both"})
    [question] = stored_questions(app)
    assert question.kind == QuestionKind.SCALE and question.options == [] and not question.required


def test_edit_a_question_on_its_own_page(admin_client, app, institution):
    program = make_program(app, institution, questions=(FORMAT,))
    question = program.questions[0]
    url = f"/admin/programs/{program.id}/questions/{question}/edit"
    page = text(admin_client.get(url))
    assert "Edit question 1" in page and 'value="Preferred meeting format"' in page
    assert "Video call\nIn person</textarea>" in page
    prefix = f"q{question}-"
    data = {prefix + key: value for key, value in {**FORMAT, "prompt": "How would you like to meet?",
                                                   "options": "Video call\nIn person\nPhone"}.items()}
    response = admin_client.post(url, data=data)
    assert response.status_code == 302
    page = text(admin_client.get(response.headers["Location"]))
    assert "Question 1 is saved." in page and "How would you like to meet?" in page and "Phone" in page
    bad = admin_client.post(url, data={**data, prefix + "options": "Phone"})
    assert "Give at least two options" in text(bad)
    assert stored_questions(app)[0].options == ["Video call", "In person", "Phone"]


def test_edit_a_question_in_place_with_htmx(admin_client, app, institution):
    program = make_program(app, institution, questions=(FORMAT, HELP))
    question = program.questions[1]
    url = f"/admin/programs/{program.id}/questions/{question}/edit"
    fragment = text(admin_client.get(url, headers=HTMX))
    assert fragment.lstrip().startswith(f'<li id="question-{question}" class="question-item editing">')
    assert f'hx-post="{url}"' in fragment and "Save question" in fragment
    prefix = f"q{question}-"
    invalid = admin_client.post(url, data={prefix + "prompt": "", prefix + "kind": "single_choice",
                                           prefix + "options": "A\nB"}, headers=HTMX)
    assert text(invalid).lstrip().startswith(f'<li id="question-{question}"')
    assert "Write the question people will answer." in text(invalid)
    saved = admin_client.post(url, data={prefix + "prompt": "Topics you want help with", prefix + "kind": "free_text",
                                         prefix + "audience": "mentees"}, headers=HTMX)
    assert saved.headers["HX-Retarget"] == "#questionnaire" and saved.headers["HX-Reswap"] == "outerHTML"
    assert prompts_in_order(text(saved)) == ["Preferred meeting format", "Topics you want help with"]
    assert stored_questions(app)[1].kind == QuestionKind.FREE_TEXT


def test_reorder_and_delete_questions(admin_client, app, institution):
    program = make_program(app, institution, questions=(HELP, FORMAT, {**FORMAT, "prompt": "Third question"}))
    first, second, third = program.questions
    base = f"/admin/programs/{program.id}/questions"
    admin_client.post(f"{base}/{third}/move", data={"direction": "up"})
    page = text(admin_client.get(f"/admin/programs/{program.id}"))
    assert prompts_in_order(page) == ["What do you most want help with?", "Third question", "Preferred meeting format"]
    moved = text(admin_client.post(f"{base}/{first}/move", data={"direction": "down"}, headers=HTMX))
    assert prompts_in_order(moved) == ["Third question", "What do you most want help with?", "Preferred meeting format"]
    assert "is now question 2" in moved
    # Moving past either end changes nothing; a made-up direction is refused.
    admin_client.post(f"{base}/{second}/move", data={"direction": "down"})
    assert admin_client.post(f"{base}/{second}/move", data={"direction": "sideways"}).status_code == 400
    deleted = text(admin_client.post(f"{base}/{first}/delete", headers=HTMX))
    assert prompts_in_order(deleted) == ["Third question", "Preferred meeting format"]
    assert "The question “What do you most want help with?” is deleted." in deleted
    response = admin_client.post(f"{base}/{third}/delete")
    assert response.status_code == 302
    assert [(q.prompt, q.position) for q in stored_questions(app)] == [("Preferred meeting format", 0)]


def test_a_question_is_only_found_under_its_own_program(admin_client, app, institution):
    one = make_program(app, institution, name="One", questions=(FORMAT,))
    two = make_program(app, institution, name="Two", questions=(HELP,))
    assert admin_client.get(f"/admin/programs/{one.id}/questions/{two.questions[0]}/edit").status_code == 404
    assert admin_client.post(f"/admin/programs/{one.id}/questions/{two.questions[0]}/delete").status_code == 404
    assert len(stored_questions(app)) == 2


def test_the_add_page_works_without_javascript(admin_client, app, institution):
    program = make_program(app, institution, questions=())
    page = text(admin_client.get(f"/admin/programs/{program.id}/questions/new"))
    assert "Add a question" in page and 'name="prompt"' in page
    invalid = admin_client.post(f"/admin/programs/{program.id}/questions/new", data={**HELP, "options": "One"})
    assert invalid.get_data(as_text=True).lstrip().startswith("<!doctype html>")
    assert "Give at least two options" in text(invalid)
