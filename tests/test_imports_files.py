"""The import reads what spreadsheets produce, and explains files it can't read (never a 500)."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import PeopleImport, Profile, User
from portal.tenancy import unscoped
from tests.data import count, load_import, page_text, read, upload, uploaded_import_id


def test_a_spreadsheet_export_is_read_as_the_spreadsheet_shows_it(app, admin_client):
    """BOM, CRLF, quoted commas and line breaks, trailing empty rows, headers in another case and order."""
    import_id = uploaded_import_id(upload(admin_client, read("spreadsheet_export.csv"), "Alumni export.csv"))
    page = html.unescape(page_text(admin_client, f"/admin/import/{import_id}"))
    assert "Ready to import" in page
    state = load_import(app, import_id)
    assert state["status"] == "previewed"
    assert state["counts"] == {"new": 3, "updated": 0, "unchanged": 0, "enrolled": 0, "errors": 0, "warnings": 0}
    assert "3 people in the file" in page and "Smith, Jones & Co" in page
    assert "amara.okafor@alumni.example.edu" in page  # stored in lower case
    admin_client.post(f"/admin/import/{import_id}/confirm")
    with app.app_context(), unscoped():
        amara = db.session.scalar(select(User).where(User.email == "amara.okafor@alumni.example.edu"))
        assert amara.first_name == "Amara" and amara.status.value == "invited" and amara.password_hash is None
        assert amara.profile.employer == "Smith, Jones & Co"
        assert amara.profile.bio == 'Engineer turned manager.\nAsk me about "first jobs".'
        assert amara.profile.skills == ["Python", "Leadership"]  # trimmed, repeats dropped
        assert amara.profile.languages == ["English", "Igbo"] and amara.profile.capacity == 2
        assert amara.profile.graduation_year == 2012
        renee = db.session.scalar(select(User).where(User.email == "renee.dubois@alumni.example.edu"))
        assert renee.first_name == "Renée" and renee.profile.capacity is None  # blank: the program's default
        jordan = db.session.scalar(select(Profile).join(User).where(User.email == "jordan.lee@students.example.edu"))
        assert jordan.languages == ["English", "Korean"] and jordan.skills == ["Excel"]


def test_an_unknown_column_is_ignored_with_a_warning(app, admin_client):
    content = "email,first_name,role,Notes\npat.kim@alumni.example.edu,Pat,mentor,met at homecoming\n"
    import_id = uploaded_import_id(upload(admin_client, content))
    page = page_text(admin_client, f"/admin/import/{import_id}")
    assert "This column isn&#39;t part of the import, so it will be ignored." in page and "Notes" in page
    assert "Confirm and import" in page  # a warning doesn't block
    admin_client.post(f"/admin/import/{import_id}/confirm")
    assert count(app, User, User.email == "pat.kim@alumni.example.edu") == 1


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty"),
    (b"   \r\n\r\n", "The file is empty"),
    (b"email,first_name,role\r\n,,\r\n\r\n", "has a header row but no people in it"),
    (b"email,last_name\nsam@example.edu,Lee\n", 'has no "first_name" or "role" column'),
    (b"mail,name,kind\nsam@example.edu,Sam,mentor\n", 'has no "email", "first_name" or "role" column'),
    (b"email,first_name,role,email\na@b.edu,A,mentor,a@b.edu\n", 'names the column "email" twice'),
    (b"email;first_name;role\nsam@example.edu;Sam;mentor\n", "separated by semicolons"),
    ("email,first_name,role\nsam@example.edu,Sam,mentor\n".encode("utf-16"), "saved as UTF-16"),
    ("email,first_name,role\nsam@example.edu,Sam,mentor\n".encode("utf-16-le"), "contains binary data"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00workbook.xml", "an Excel (.xlsx)"),
    (bytes(range(256)) * 4, "contains binary data"),
])
def test_a_file_that_cant_be_read_gets_a_clear_message_and_nothing_is_kept(app, admin_client, content, message):
    response = upload(admin_client, content)
    assert response.status_code == 200
    assert message in html.unescape(response.get_data(as_text=True))
    assert count(app, PeopleImport) == 0


def test_latin1_text_is_refused_with_the_line_and_the_fix(app, admin_client):
    response = upload(admin_client, read("latin1.csv"))
    body = html.unescape(response.get_data(as_text=True))
    assert "This file isn't UTF-8 text: line 2" in body and "CSV UTF-8" in body
    assert count(app, PeopleImport) == 0


def test_only_csv_files_are_taken(admin_client):
    response = upload(admin_client, b"email,first_name,role\n", "people.xlsx")
    assert "Upload a .csv file" in response.get_data(as_text=True)
    response = admin_client.post("/admin/import", data={"program_id": "0"}, content_type="multipart/form-data")
    assert "Choose the CSV file to upload." in response.get_data(as_text=True)


def test_a_file_over_the_size_limit_gets_413_with_the_limit_explained(app, admin_client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = upload(admin_client, b"email,first_name,role\n" + b"x" * limit)
    assert response.status_code == 413
    body = response.get_data(as_text=True)
    assert "files up to 10 MB can be imported" in body and "Split it into smaller files" in body
    assert 'enctype="multipart/form-data"' in body  # the form is right there to try again
    assert count(app, PeopleImport) == 0


def test_the_upload_page_explains_the_format_and_offers_a_template(admin_client):
    page = page_text(admin_client, "/admin/import")
    assert "up to 10 MB" in page and "mentor</code> or <code>student" in page
    template = admin_client.get("/admin/import/template.csv")
    assert template.headers["Content-Disposition"].startswith("attachment")
    lines = template.get_data(as_text=True).splitlines()
    assert lines[0] == ("email,first_name,last_name,role,graduation_year,degree,major,employer,job_title,industry,"
                        "location,skills,interests,languages,capacity,bio")
    assert len(lines) == 3


def test_the_template_itself_imports_cleanly(app, admin_client):
    template = admin_client.get("/admin/import/template.csv").get_data()
    import_id = uploaded_import_id(upload(admin_client, template))
    assert load_import(app, import_id)["counts"]["errors"] == 0


def test_common_other_header_names_are_understood(app, admin_client):
    content = "E-mail,Given Name,Surname,ROLE,Grad Year\nnoor.haidari@alumni.example.edu,Noor,Haidari,Mentor,2008\n"
    import_id = uploaded_import_id(upload(admin_client, content))
    assert load_import(app, import_id)["counts"]["new"] == 1
    admin_client.post(f"/admin/import/{import_id}/confirm")
    with app.app_context(), unscoped():
        noor = db.session.scalar(select(User).where(User.email == "noor.haidari@alumni.example.edu"))
        assert (noor.first_name, noor.last_name, noor.role.value, noor.profile.graduation_year) == \
            ("Noor", "Haidari", "mentor", 2008)
