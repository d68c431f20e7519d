"""Resources: admins write Markdown handbooks and guides; people read the sanitised pages meant for them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.demo.resources import seed_resources
from portal.extensions import db
from portal.models import Enrollment, EnrollmentRole, EnrollmentStatus, Institution, Program, Resource
from portal.resources.content import render_markdown
from portal.resources.editing import BODY_MAX, save_resource
from portal.tenancy import unscoped


def make_resource(app, institution, title="Mentor handbook", body="## Your role\n\nListen first.",
                  kind="handbook", audience="everyone", published=True, program_id=None, position=None) -> int:
    with app.app_context(), unscoped():
        resource = save_resource(institution.id, title=title, body_markdown=body, kind=kind, audience=audience,
                                 published=published, program_id=program_id, position=position)
        db.session.commit()
        return resource.id


def make_program(app, institution, name="Career Launch 2026") -> int:
    with app.app_context(), unscoped():
        program = Program(institution_id=institution.id, name=name)
        db.session.add(program)
        db.session.commit()
        return program.id


def enroll(app, person, program_id, role="mentee", status="active") -> None:
    with app.app_context(), unscoped():
        db.session.add(Enrollment(institution_id=person.institution_id, program_id=program_id, user_id=person.id,
                                  role=EnrollmentRole(role), status=EnrollmentStatus(status)))
        db.session.commit()


def stored(app, resource_id) -> Resource | None:
    with app.app_context(), unscoped():
        resource = db.session.get(Resource, resource_id)
        if resource is not None:
            db.session.expunge(resource)
        return resource


def form(**overrides) -> dict:
    data = {"title": "Mentee handbook", "kind": "handbook", "audience": "mentees", "program_id": "",
            "body_markdown": "## Before your first meeting\n\n1. Complete your profile.", "position": "",
            "published": "y"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def text(response) -> str:
    return response.get_data(as_text=True)


def article(response) -> str:
    """Return the rendered resource body of a page, where admin-written HTML ends up."""
    match = re.search(r'<div class="resource-article">(.*?)</div>\s*</div></article>', text(response), re.DOTALL)
    assert match, "the page shows no article"
    return match.group(1)


# --- Sanitising ------------------------------------------------------------------------------

@pytest.mark.parametrize("markdown, forbidden", [
    ("<script>alert('x')</script>Hello", ["<script", "alert("]),
    ('<img src="x" onerror="alert(1)">', ["onerror", "alert("]),
    ('<div hx-get="/admin/people" hx-trigger="load">Load</div>', ["hx-get", "hx-trigger"]),
    ('<button hx-post="/admin/resources/1/delete">Go</button>', ["hx-post", "<button"]),
    ('<p hx-on:click="alert(1)" hx-on::after-request="x">Hi</p>', ["hx-on", "alert("]),
    ('<p style="position:fixed;top:0">Cover</p>', ["style=", "position:fixed"]),
    ('<a href="javascript:alert(1)">Click</a>', ["javascript:"]),
    ('[Click](javascript:alert(1))', ['href="javascript']),
    ('<a href="jav&#x09;ascript:alert(1)">Tab trick</a>', ['href="jav']),
    ('![pixel](data:image/png;base64,iVBORw0KGgo=)', ["data:"]),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">Data</a>', ["data:"]),
    ('<iframe src="https://evil.example.com"></iframe>', ["<iframe", "evil.example"]),
    ('<img src="http://tracker.example.com/p.gif" alt="t">', ["http://tracker"]),
    ('<form action="/logout" method="post"><input name="x"></form>', ["<form", "<input"]),
    ('<p onclick="steal()" onmouseover="x()">Hover</p>', ["onclick", "onmouseover"]),
    ('<style>body { display: none }</style>Text', ["<style", "display: none"]),
    ('<svg onload="alert(1)"></svg>', ["<svg", "onload"]),
])
def test_dangerous_markup_is_removed(markdown, forbidden):
    html = str(render_markdown(markdown))
    for fragment in forbidden:
        assert fragment not in html


def test_markdown_structure_survives_and_links_get_rel():
    html = str(render_markdown(
        "# Welcome\n\n## Goals\n\n- **SMART** goals\n- *REAL* goals\n\n1. First\n2. Second\n\n"
        "> Listen more than you talk.\n\n`code`\n\n---\n\n"
        "[Careers office](https://careers.example.edu \"Open\") · [Write to us](mailto:mentoring@example.edu)\n\n"
        "| When | What |\n| --- | --- |\n| 0-10 min | Introductions |\n\n"
        "![Campus](https://example.edu/campus.jpg)"))
    for fragment in ("<h1>Welcome</h1>", "<h2>Goals</h2>", "<ul>", "<li><strong>SMART</strong> goals</li>",
                     "<em>REAL</em>", "<ol>", "<blockquote>", "<code>code</code>", "<hr>", "<table>", "<th>When</th>",
                     "<td>Introductions</td>", 'src="https://example.edu/campus.jpg"', 'alt="Campus"'):
        assert fragment in html
    assert ('<a href="https://careers.example.edu" title="Open" rel="noopener noreferrer">Careers office</a>'
            in html)
    assert '<a href="mailto:mentoring@example.edu" rel="noopener noreferrer">' in html


def test_a_stored_script_never_reaches_the_reader(app, institution, people, student_client):
    resource_id = make_resource(app, institution, body=(
        "## Read me\n\n<script>document.title='owned'</script>"
        '<p hx-get="/admin/people" hx-trigger="load" style="color:red" onclick="x()">Safe text</p>'
        '<a href="javascript:alert(1)">bad</a> <img src=x onerror=alert(1)>'))

    body = article(student_client.get(f"/resources/{resource_id}"))

    assert "<h2>Read me</h2>" in body and "Safe text" in body
    for fragment in ("<script", "document.title", "hx-get", "hx-trigger", "style=", "onclick", "javascript:",
                     "onerror"):
        assert fragment not in body


# --- Writing, validating, publishing -----------------------------------------------------------

def test_admin_writes_a_resource_and_sees_it_listed(app, admin_client, institution):
    response = admin_client.post("/admin/resources/new", data=form(), follow_redirects=True)

    assert response.status_code == 200
    page = text(response)
    assert "“Mentee handbook” is published." in page
    assert "Mentee handbook" in page and "Mentees (students)" in page and "Published" in page
    assert "Everyone in Northbridge University" in page
    with app.app_context(), unscoped():
        saved = db.session.scalar(select(Resource))
        assert saved.institution_id == institution.id and saved.audience.value == "mentees"
        assert saved.body_markdown.startswith("## Before your first meeting")


def test_a_draft_is_saved_with_a_hint_to_publish(admin_client):
    response = admin_client.post("/admin/resources/new", data=form(published=None), follow_redirects=True)

    assert "is saved as a draft; publish it when it" in text(response)
    assert "Draft" in text(response)


@pytest.mark.parametrize("overrides, message", [
    ({"title": "  "}, "Give the resource a title"),
    ({"body_markdown": ""}, "Write the text of the resource"),
    ({"title": "T" * 201}, "Keep the title under 200 characters."),
    ({"body_markdown": "x" * (BODY_MAX + 1)}, "The text is too long: keep it under 50,000 characters."),
    ({"position": "1000"}, "Enter a number from 0 to 999."),
    ({"position": "first"}, "Not a valid integer value."),
    ({"audience": "alumni"}, "Not a valid choice."),
    ({"program_id": "987654"}, "Not a valid choice."),
])
def test_bad_input_gets_a_clear_message_and_keeps_the_text(app, admin_client, overrides, message):
    response = admin_client.post("/admin/resources/new", data=form(**overrides))

    assert response.status_code == 200
    assert message in text(response)
    if overrides.get("title", "").strip() and "body_markdown" not in overrides:
        assert "Before your first meeting" in text(response)  # what the admin wrote is still there
    with app.app_context(), unscoped():
        assert db.session.scalar(select(Resource)) is None


def test_admin_edits_a_resource(app, admin_client, institution):
    resource_id = make_resource(app, institution)
    page = admin_client.get(f"/admin/resources/{resource_id}/edit")
    assert "Listen first." in text(page) and 'hx-trigger="input changed delay:500ms"' in text(page)

    response = admin_client.post(f"/admin/resources/{resource_id}/edit", data=form(
        title="Mentor handbook, 2026 edition", audience="mentors", body_markdown="## New\n\nUpdated."),
        follow_redirects=True)

    assert "Your changes to “Mentor handbook, 2026 edition” are saved." in text(response)
    saved = stored(app, resource_id)
    assert saved.title == "Mentor handbook, 2026 edition" and saved.body_markdown == "## New\n\nUpdated."


def test_a_failed_edit_changes_nothing(app, admin_client, institution):
    resource_id = make_resource(app, institution)

    response = admin_client.post(f"/admin/resources/{resource_id}/edit", data=form(title=""))

    assert "Give the resource a title" in text(response)
    assert stored(app, resource_id).title == "Mentor handbook"


def test_publish_and_unpublish_decide_who_can_read(app, admin_client, student_client, institution):
    resource_id = make_resource(app, institution, title="Questions for your first meeting", published=False,
                                kind="first_meeting_questions")
    assert "Questions for your first meeting" not in text(student_client.get("/resources"))
    assert student_client.get(f"/resources/{resource_id}").status_code == 404
    draft = admin_client.get(f"/resources/{resource_id}")
    assert draft.status_code == 200 and "This is a draft: only admins can see it." in text(draft)

    response = admin_client.post(f"/admin/resources/{resource_id}/publish", follow_redirects=True)
    assert "“Questions for your first meeting” is published." in text(response)
    assert "Questions for your first meeting" in text(student_client.get("/resources"))
    assert student_client.get(f"/resources/{resource_id}").status_code == 200

    response = admin_client.post(f"/admin/resources/{resource_id}/unpublish", follow_redirects=True)
    assert "back to draft; only admins can see it" in text(response)
    assert student_client.get(f"/resources/{resource_id}").status_code == 404
    assert stored(app, resource_id).published is False


def test_publishing_from_the_list_with_htmx_returns_just_the_row(app, admin_client, institution):
    resource_id = make_resource(app, institution, published=False)

    response = admin_client.post(f"/admin/resources/{resource_id}/publish", headers={"HX-Request": "true"})

    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="resource-{resource_id}">') and "<html" not in body
    assert "is published." in body and "Unpublish" in body


def test_deleting_removes_the_resource(app, admin_client, student_client, institution):
    resource_id = make_resource(app, institution)
    edit_page = text(admin_client.get(f"/admin/resources/{resource_id}/edit"))
    assert "hx-confirm=\"Delete “Mentor handbook” for good?" in edit_page

    response = admin_client.post(f"/admin/resources/{resource_id}/delete", follow_redirects=True)

    assert "“Mentor handbook” is deleted." in text(response)
    assert stored(app, resource_id) is None
    assert student_client.get(f"/resources/{resource_id}").status_code == 404


def test_deleting_with_htmx_sends_the_browser_back_to_the_list(app, admin_client, institution):
    resource_id = make_resource(app, institution)

    response = admin_client.post(f"/admin/resources/{resource_id}/delete", headers={"HX-Request": "true"})

    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/admin/resources"
    assert "“Mentor handbook” is deleted." in text(admin_client.get("/admin/resources"))


def test_preview_returns_the_sanitised_fragment(admin_client):
    response = admin_client.post("/admin/resources/preview", headers={"HX-Request": "true"}, data={
        "body_markdown": "## Agenda\n\n- Introductions\n\n<script>alert(1)</script><p hx-get=\"/x\">ok</p>"})

    body = text(response)
    assert response.status_code == 200
    assert "<html" not in body and "<h2>Agenda</h2>" in body and "<li>Introductions</li>" in body
    assert "<script" not in body and "hx-get" not in body and "<p>ok</p>" in body


def test_preview_warns_when_the_text_is_too_long(admin_client):
    response = admin_client.post("/admin/resources/preview", headers={"HX-Request": "true"},
                                 data={"body_markdown": "word " * 12_000})

    assert "the limit is 50,000" in text(response)


def test_preview_of_nothing_says_what_to_do(admin_client):
    response = admin_client.post("/admin/resources/preview", headers={"HX-Request": "true"}, data={})

    assert "Start writing" in text(response)


def test_empty_states_say_what_to_do_next(admin_client, student_client):
    admin_page = text(admin_client.get("/admin/resources"))
    assert "No resources yet." in admin_page and "mentor handbook" in admin_page
    assert "hasn't published any resources for you yet" in text(student_client.get("/resources"))


# --- Who reads what ----------------------------------------------------------------------------

@pytest.fixture
def audiences(app, institution, people):
    return {audience: make_resource(app, institution, title=f"For {audience}", audience=audience)
            for audience in ("mentors", "mentees", "everyone")}


def test_mentors_read_what_is_meant_for_mentors(audiences, mentor_client):
    page = text(mentor_client.get("/resources"))

    assert "For mentors" in page and "For everyone" in page and "For mentees" not in page
    assert mentor_client.get(f"/resources/{audiences['mentors']}").status_code == 200
    assert mentor_client.get(f"/resources/{audiences['mentees']}").status_code == 404


def test_students_read_what_is_meant_for_mentees(audiences, student_client):
    page = text(student_client.get("/resources"))

    assert "For mentees" in page and "For everyone" in page and "For mentors" not in page
    assert student_client.get(f"/resources/{audiences['mentees']}").status_code == 200
    assert student_client.get(f"/resources/{audiences['mentors']}").status_code == 404


def test_admins_read_every_published_resource(audiences, admin_client):
    page = text(admin_client.get("/resources"))

    assert all(f"For {audience}" in page for audience in audiences)


def test_program_resources_are_for_its_active_participants_only(app, institution, people, make_client):
    program_id = make_program(app, institution)
    resource_id = make_resource(app, institution, title="Career Launch checklist", program_id=program_id)
    student = make_client()
    student.sign_in(people["student"].email)
    mentor = make_client()
    mentor.sign_in(people["mentor"].email)

    assert "Career Launch checklist" not in text(student.get("/resources"))
    assert student.get(f"/resources/{resource_id}").status_code == 404

    enroll(app, people["student"], program_id, "mentee")
    enroll(app, people["mentor"], program_id, "mentor", status="left")

    assert "Career Launch checklist" in text(student.get("/resources"))
    page = student.get(f"/resources/{resource_id}")
    assert page.status_code == 200 and "in Career Launch 2026" in text(page)
    assert "Career Launch checklist" not in text(mentor.get("/resources"))  # left the program
    assert mentor.get(f"/resources/{resource_id}").status_code == 404


def test_admin_can_limit_a_resource_to_a_program(app, admin_client, institution):
    program_id = make_program(app, institution)
    assert "Career Launch 2026" in text(admin_client.get("/admin/resources/new"))

    admin_client.post("/admin/resources/new", data=form(program_id=str(program_id)))

    page = text(admin_client.get("/admin/resources"))
    assert "Career Launch 2026" in page and "Everyone in Northbridge" not in page


def test_the_library_groups_by_kind_in_reading_order(app, institution, people, student_client):
    make_resource(app, institution, title="First session agenda", kind="agenda")
    make_resource(app, institution, title="B questions", kind="first_meeting_questions", position=1)
    make_resource(app, institution, title="A questions", kind="first_meeting_questions", position=1)
    make_resource(app, institution, title="Early questions", kind="first_meeting_questions", position=0)
    make_resource(app, institution, title="Mentee handbook", kind="handbook", audience="mentees",
                  body="## Hello\n\nWelcome to mentoring! An alumnus has volunteered time to help you.")

    page = text(student_client.get("/resources"))

    order = ["Handbooks", "Mentee handbook", "First-meeting questions", "Early questions", "A questions",
             "B questions", "Agendas", "First session agenda"]
    positions = [page.index(title) for title in order]
    assert positions == sorted(positions)
    assert "Welcome to mentoring! An alumnus has volunteered" in page  # the first lines, heading left out
    assert "<h2>Hello</h2>" not in page


# --- Tenant isolation ----------------------------------------------------------------------------

def test_another_institution_never_sees_or_touches_these_resources(app, institution, people, other_admin_client,
                                                                   make_client):
    resource_id = make_resource(app, institution, title="Northbridge mentor handbook")
    other_student = make_client()
    other_student.sign_in(people["other_student"].email)

    for response in (
        other_admin_client.get(f"/admin/resources/{resource_id}/edit"),
        other_admin_client.post(f"/admin/resources/{resource_id}/edit", data=form(title="Hijacked")),
        other_admin_client.post(f"/admin/resources/{resource_id}/delete"),
        other_admin_client.post(f"/admin/resources/{resource_id}/unpublish"),
        other_admin_client.get(f"/resources/{resource_id}"),
        other_student.get(f"/resources/{resource_id}"),
    ):
        assert response.status_code == 404
        assert "Northbridge" not in text(response)
    for page in (other_admin_client.get("/admin/resources"), other_admin_client.get("/resources"),
                 other_student.get("/resources")):
        assert "Northbridge mentor handbook" not in text(page)
    saved = stored(app, resource_id)
    assert saved.title == "Northbridge mentor handbook" and saved.published is True


def test_a_program_of_another_institution_cannot_be_chosen(app, admin_client, other_institution):
    foreign_program = make_program(app, other_institution, name="Lakeshore Launch")

    assert "Lakeshore Launch" not in text(admin_client.get("/admin/resources/new"))
    response = admin_client.post("/admin/resources/new", data=form(program_id=str(foreign_program)))

    assert "Not a valid choice." in text(response)
    with app.app_context(), unscoped():
        assert db.session.scalar(select(Resource)) is None


# --- Demo ----------------------------------------------------------------------------------------

def test_demo_resources_are_published_for_the_right_people(app, institution, people, mentor_client,
                                                           student_client):
    with app.app_context(), unscoped():
        tenant = db.session.get(Institution, institution.id)
        assert len(seed_resources(tenant)) == 4
        assert seed_resources(tenant) == []  # seeding twice adds nothing
        db.session.commit()

    mentor_page = text(mentor_client.get("/resources"))
    student_page = text(student_client.get("/resources"))

    assert "Mentor handbook" in mentor_page and "Mentee handbook" not in mentor_page
    assert "Mentee handbook" in student_page and "Mentor handbook" not in student_page
    for page in (mentor_page, student_page):
        assert "Questions for your first meeting" in page and "First session agenda" in page
    with app.app_context(), unscoped():
        questions = db.session.scalar(select(Resource).where(Resource.title == "Questions for your first meeting"))
        handbook_id = db.session.scalar(select(Resource.id).where(Resource.title == "Mentor handbook"))
    assert "Why did you decide to become a mentor?" in str(render_markdown(questions.body_markdown))
    handbook = article(mentor_client.get(f"/resources/{handbook_id}"))
    assert "<h2>Setting goals together</h2>" in handbook and "<table>" in handbook and "REAL" in handbook
