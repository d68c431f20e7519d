"""People import in the browser: preview with every error, confirm, all or nothing, re-import."""

from __future__ import annotations

import html
import io

import sqlalchemy as sa
from sqlalchemy import select

from portal.extensions import db
from portal.models import Enrollment, PeopleImport, Profile, Program, User
from portal.tenancy import unscoped
from tests.data import count, load_import, page_text, read, upload, uploaded_import_id
from tests.factories import make_user

CSV = """email,first_name,last_name,role,graduation_year,employer,skills,capacity
amara.okafor@alumni.example.edu,Amara,Okafor,mentor,2012,Northwind Health,Python;Leadership,2
jordan.kim@students.example.edu,Jordan,Kim,student,2027,,Excel,
"""


def _imported(app, admin_client, content: str | bytes = CSV, program_id: int = 0) -> int:
    import_id = uploaded_import_id(upload(admin_client, content, program_id=program_id))
    response = admin_client.post(f"/admin/import/{import_id}/confirm")
    assert response.status_code == 302
    assert load_import(app, import_id)["status"] == "finished", load_import(app, import_id)
    return import_id


def test_every_error_is_listed_by_row_and_column_and_nothing_is_written(app, admin_client, people):
    import_id = uploaded_import_id(upload(admin_client, read("row_errors.csv")))
    state = load_import(app, import_id)
    found = {(issue["row"], issue["column"], issue["level"]) for issue in state["errors"]}
    assert found == {
        (3, "email", "error"),  # maria.gomez@@example: row 3 although row 2's bio spans two lines
        (4, "role", "error"),
        (5, "graduation_year", "error"), (5, "capacity", "error"),
        (6, "capacity", "error"),
        (7, "email", "error"), (10, "email", "error"),  # the duplicate, both rows named
        (8, "email", "error"), (9, "first_name", "error"),
        (11, "capacity", "warning"),  # a student's capacity is ignored
        (12, "first_name", "error"),  # 101 characters; the column holds 100
    }
    page = html.unescape(page_text(admin_client, f"/admin/import/{import_id}"))
    for message in ('"maria.gomez@@example" is not a valid email address.',
                    '"teacher" is not a role here; write "mentor" or "student".',
                    '"twenty-ten" is not a graduation year',
                    '"three" is not a whole number',
                    '"-1" is negative',
                    "dup@students.example.edu is also in row 10; each person may appear once.",
                    "dup@students.example.edu is also in row 7; each person may appear once.",
                    "Required: every person needs an email address.",
                    "Required: fill in the person's first name.",
                    "Too long: 101 characters, at most 100 fit.",
                    "Capacity is for mentors only, so it is ignored for a student."):
        assert message in page, message
    assert "10 errors: nothing can be imported yet" in page and "Upload the corrected file" in page
    assert "Confirm and import" not in page
    # Even a forged confirmation writes nothing.
    admin_client.post(f"/admin/import/{import_id}/confirm")
    assert load_import(app, import_id)["status"] == "previewed"
    assert count(app, User, User.email.like("%example.edu%"), User.institution_id == people["admin"].institution_id) == 3


def test_the_errors_download_as_csv_a_spreadsheet_opens(app, admin_client):
    import_id = uploaded_import_id(upload(admin_client, read("row_errors.csv"), "Spring alumni.csv"))
    response = admin_client.get(f"/admin/import/{import_id}/errors.csv")
    assert response.mimetype == "text/csv"
    assert "Spring-alumni-errors.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffrow,column,level,message\r\n")
    assert '4,role,error,"""teacher"" is not a role here; write ""mentor"" or ""student""."' in text
    assert "6,capacity,error" in text and "12,first_name,error" in text


def test_the_errors_csv_does_not_carry_spreadsheet_formulas(app, admin_client):
    import_id = uploaded_import_id(upload(admin_client, "email,first_name,role,=SUM(A1:A2)\na@b.example.edu,A,mentor,1\n"))
    text = admin_client.get(f"/admin/import/{import_id}/errors.csv").get_data(as_text=True)
    assert "file,'=SUM(A1:A2),warning" in text


def test_the_preview_shows_rows_as_stored_and_writes_only_on_confirm(app, admin_client):
    import_id = uploaded_import_id(upload(admin_client, CSV))
    page = page_text(admin_client, f"/admin/import/{import_id}")
    assert "Ready to import" in page and "Confirm and import" in page
    assert "Amara Okafor" in page and "Northwind Health" in page and "Class of 2012" in page
    assert count(app, User, User.email == "amara.okafor@alumni.example.edu") == 0
    response = admin_client.post(f"/admin/import/{import_id}/confirm", follow_redirects=True)
    assert "Imported people.csv: 2 new, 0 updated, 0 unchanged." in response.get_data(as_text=True)
    state = load_import(app, import_id)
    assert state["status"] == "finished" and state["content"] == "" and state["progress"] == 100
    with app.app_context(), unscoped():
        amara = db.session.scalar(select(User).where(User.email == "amara.okafor@alumni.example.edu"))
        assert amara.role.value == "mentor" and amara.status.value == "invited"
        assert amara.profile.skills == ["Python", "Leadership"] and amara.profile.capacity == 2
        assert amara.timezone == "America/New_York"  # the institution's
    page = page_text(admin_client, f"/admin/import/{import_id}")
    assert "Imported" in page and "See invited people" in page
    listing = page_text(admin_client, "/admin/imports")
    assert "people.csv" in listing and "Dana Whitfield" in listing


def test_reimporting_the_same_file_changes_nothing(app, admin_client):
    _imported(app, admin_client)
    with app.app_context(), unscoped():
        before = {profile.id: profile.updated_at for profile in db.session.scalars(select(Profile))}
    import_id = uploaded_import_id(upload(admin_client, CSV))
    state = load_import(app, import_id)
    assert state["counts"] == {"new": 0, "updated": 0, "unchanged": 2, "enrolled": 0, "errors": 0, "warnings": 0}
    page = page_text(admin_client, f"/admin/import/{import_id}")
    assert "This is the same file as" in page and "everyone in it is already here, unchanged" in page
    admin_client.post(f"/admin/import/{import_id}/confirm")
    assert load_import(app, import_id)["counts"]["unchanged"] == 2
    with app.app_context(), unscoped():
        after = {profile.id: profile.updated_at for profile in db.session.scalars(select(Profile))}
    assert after == before


def test_a_changed_field_updates_the_profile_and_blank_cells_keep_what_is_stored(app, admin_client):
    _imported(app, admin_client)
    changed = CSV.replace("Northwind Health", "Contoso Bank").replace("Jordan,Kim,student,2027,,Excel",
                                                                       "Jordan,,student,,,")
    import_id = uploaded_import_id(upload(admin_client, changed))
    assert load_import(app, import_id)["counts"] == {"new": 0, "updated": 1, "unchanged": 1, "enrolled": 0,
                                                    "errors": 0, "warnings": 0}
    page = html.unescape(page_text(admin_client, f"/admin/import/{import_id}"))
    assert "Employer:</span> <del>Northwind Health</del> → Contoso Bank" in page
    admin_client.post(f"/admin/import/{import_id}/confirm")
    with app.app_context(), unscoped():
        amara = db.session.scalar(select(User).where(User.email == "amara.okafor@alumni.example.edu"))
        assert amara.profile.employer == "Contoso Bank" and amara.profile.skills == ["Python", "Leadership"]
        jordan = db.session.scalar(select(User).where(User.email == "jordan.kim@students.example.edu"))
        assert jordan.last_name == "Kim" and jordan.profile.skills == ["Excel"]
        assert jordan.profile.graduation_year == 2027


def test_everyone_can_be_enrolled_into_a_program(app, admin_client, people):
    with app.app_context(), unscoped():
        program = Program(institution_id=people["admin"].institution_id, name="Career Launch 2026")
        db.session.add(program)
        db.session.commit()
        program_id = program.id
    page = page_text(admin_client, "/admin/import")
    assert "Career Launch 2026" in page
    import_id = uploaded_import_id(upload(admin_client, CSV, program_id=program_id))
    assert load_import(app, import_id)["counts"]["enrolled"] == 2
    assert "to enrol into Career Launch 2026" in page_text(admin_client, f"/admin/import/{import_id}")
    admin_client.post(f"/admin/import/{import_id}/confirm")
    with app.app_context(), unscoped():
        enrolments = {(e.user.email, e.role.value, e.source.value) for e in db.session.scalars(select(Enrollment))}
    assert enrolments == {("amara.okafor@alumni.example.edu", "mentor", "import"),
                          ("jordan.kim@students.example.edu", "mentee", "import")}
    again = uploaded_import_id(upload(admin_client, CSV, program_id=program_id))
    assert load_import(app, again)["counts"]["enrolled"] == 0
    admin_client.post(f"/admin/import/{again}/confirm")
    assert count(app, Enrollment) == 2


def test_a_program_of_another_institution_cannot_be_chosen(app, admin_client, people):
    with app.app_context(), unscoped():
        program = Program(institution_id=people["other_admin"].institution_id, name="Lakeshore Mentors")
        db.session.add(program)
        db.session.commit()
        program_id = program.id
    assert "Lakeshore Mentors" not in page_text(admin_client, "/admin/import")
    response = upload(admin_client, CSV, program_id=program_id)
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert count(app, PeopleImport) == 0


def test_an_email_of_another_institution_is_refused_without_saying_more(app, admin_client, people):
    content = CSV + f"{people['other_student'].email},Kai,Turner,student,2027,,,\n"
    import_id = uploaded_import_id(upload(admin_client, content))
    [issue] = load_import(app, import_id)["errors"]
    assert issue == {"row": 4, "column": "email", "level": "error",
                     "message": f"{people['other_student'].email} is already used by another account."}
    page = page_text(admin_client, f"/admin/import/{import_id}")
    assert "Lakeshore" not in page and "already used by another account" in page


def test_an_import_does_not_change_roles_or_admins(app, admin_client, people):
    content = ("email,first_name,role\n"
               f"{people['student'].email},Jordan,mentor\n"
               f"{people['admin'].email},Dana,mentor\n")
    import_id = uploaded_import_id(upload(admin_client, content))
    messages = [issue["message"] for issue in load_import(app, import_id)["errors"]]
    assert messages == [f"{people['student'].email} is already here as a student; an import doesn't change "
                        'someone\'s role (the file says "mentor").',
                        f"{people['admin'].email} is an admin here; an import can't change an admin's account."]


def test_a_database_failure_while_writing_leaves_nothing_and_can_be_retried(app, admin_client):
    import_id = uploaded_import_id(upload(admin_client, CSV))

    def refuse_profiles(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO PROFILES"):
            raise sa.exc.OperationalError(statement, parameters, OSError("disk I/O error"))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", refuse_profiles)
    try:
        response = admin_client.post(f"/admin/import/{import_id}/confirm", follow_redirects=True)
    finally:
        sa.event.remove(engine, "before_cursor_execute", refuse_profiles)
    page = html.unescape(response.get_data(as_text=True))
    assert "The import could not be written, and nothing was saved." in page
    assert "The import stopped" in page and "Try the import again" in page
    assert count(app, User, User.email.in_(["amara.okafor@alumni.example.edu", "jordan.kim@students.example.edu"])) == 0
    assert load_import(app, import_id)["status"] == "failed"
    admin_client.post(f"/admin/import/{import_id}/confirm")
    assert load_import(app, import_id)["status"] == "finished"
    assert count(app, User, User.email.in_(["amara.okafor@alumni.example.edu", "jordan.kim@students.example.edu"])) == 2


def test_a_checked_file_can_be_discarded(app, admin_client):
    import_id = uploaded_import_id(upload(admin_client, CSV))
    response = admin_client.post(f"/admin/import/{import_id}/discard", follow_redirects=True)
    assert "Discarded people.csv; nothing from it was imported." in response.get_data(as_text=True)
    assert count(app, PeopleImport) == 0 and count(app, User, User.email.like("%@alumni.example.edu")) == 0


def test_another_institution_sees_none_of_it(app, admin_client, other_admin_client):
    import_id = uploaded_import_id(upload(admin_client, read("row_errors.csv"), "northbridge-alumni.csv"))
    for path in (f"/admin/import/{import_id}", f"/admin/import/{import_id}/errors.csv"):
        assert other_admin_client.get(path).status_code == 404
    assert other_admin_client.get(f"/admin/import/{import_id}/progress", headers={"HX-Request": "true"}).status_code == 404
    assert other_admin_client.post(f"/admin/import/{import_id}/confirm").status_code == 404
    assert "northbridge-alumni.csv" not in page_text(other_admin_client, "/admin/imports")
    assert "northbridge-alumni.csv" not in page_text(other_admin_client, "/admin/import")
    assert load_import(app, import_id)["status"] == "previewed"


def test_people_who_are_not_admins_cannot_upload(app, student_client, client):
    body = {"file": (io.BytesIO(CSV.encode()), "people.csv"), "program_id": "0"}
    assert student_client.post("/admin/import", data=dict(body), content_type="multipart/form-data").status_code == 403
    big = {"file": (io.BytesIO(b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)), "people.csv")}
    response = student_client.post("/admin/import", data=big, content_type="multipart/form-data")
    assert response.status_code == 413 and "Upload and check" not in response.get_data(as_text=True)
    assert count(app, PeopleImport) == 0


def test_a_long_file_is_previewed_page_by_page(app, admin_client, institution):
    rows = "".join(f"person.{n}@students.example.edu,Person,{n},student\n" for n in range(120))
    import_id = uploaded_import_id(upload(admin_client, "email,first_name,last_name,role\n" + rows))
    first = page_text(admin_client, f"/admin/import/{import_id}")
    assert "Rows 1–50 of 120 people" in first and "page 1 of 3" in first
    last = page_text(admin_client, f"/admin/import/{import_id}?page=3")
    assert "person.119@students.example.edu" in last and "person.0@students.example.edu" not in last
    with app.app_context():  # someone added meanwhile shows as unchanged on the page that lists them
        make_user(institution, "student", "Person", "5", email="person.5@students.example.edu", status="invited")
    assert "Unchanged" in page_text(admin_client, f"/admin/import/{import_id}")
