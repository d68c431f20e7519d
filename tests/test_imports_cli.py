"""`portal import-people`: the same checks as the web, errors by row and column, all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.imports.reading import decode_upload, parse_people_csv
from portal.imports.samples import sample_people_csv
from portal.imports.validation import validate_rows
from portal.models import Enrollment, PeopleImport, Program, User
from portal.tenancy import unscoped
from tests.data import DATA, count

CSV = """email,first_name,last_name,role,employer,capacity
amara.okafor@alumni.example.edu,Amara,Okafor,mentor,Northwind Health,2
jordan.kim@students.example.edu,Jordan,Kim,student,,
"""


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csv_path(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(CSV)
    return path


def _imported(app) -> int:
    return count(app, User, User.email.like("%@alumni.example.edu") | User.email.like("%@students.example.edu"))


def test_errors_are_printed_by_row_and_column_and_the_exit_code_says_so(app, runner, institution):
    result = runner.invoke(args=["portal", "import-people", "--institution", "northbridge",
                                 str(DATA / "row_errors.csv")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert 'error: row 3, column email: "maria.gomez@@example" is not a valid email address.' in lines
    assert 'error: row 4, column role: "teacher" is not a role here; write "mentor" or "student".' in lines
    assert "error: row 7, column email: dup@students.example.edu is also in row 10; each person may appear once." in lines
    assert "warning: row 11, column capacity: Capacity is for mentors only, so it is ignored for a student." in lines
    assert "row_errors.csv: 10 errors in 9 of 11 rows; nothing was written. Fix them and run the command again." in lines
    assert _imported(app) == 0 and count(app, PeopleImport) == 0


def test_dry_run_prints_the_counts_and_writes_nothing(app, runner, institution, csv_path):
    result = runner.invoke(args=["portal", "import-people", "--institution", "northbridge", str(csv_path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run of people.csv: 2 new, 0 updated, 0 unchanged. Nothing was written." in result.output
    assert _imported(app) == 0 and count(app, PeopleImport) == 0


def test_an_import_writes_everyone_and_a_second_run_changes_nothing(app, runner, institution, csv_path):
    with app.app_context(), unscoped():
        program = Program(institution_id=institution.id, name="Career Launch")
        db.session.add(program)
        db.session.commit()
        program_id = program.id
    args = ["portal", "import-people", "--institution", "northbridge", str(csv_path), "--program", str(program_id)]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert (f"Imported people.csv into Northbridge University: 2 new, 0 updated, 0 unchanged; "
            f"2 enrolled into Career Launch (program {program_id})") in first.output
    assert _imported(app) == 2 and count(app, Enrollment) == 2
    second = runner.invoke(args=args)
    assert "0 new, 0 updated, 2 unchanged; 0 enrolled" in second.output
    with app.app_context(), unscoped():
        record = db.session.scalars(select(PeopleImport).order_by(PeopleImport.id)).first()
        assert record.status.value == "finished" and record.uploaded_by_id is None and record.content == ""


def test_unreadable_files_unknown_institutions_and_programs_are_explained(app, runner, institution, other_institution,
                                                                          csv_path):
    latin = runner.invoke(args=["portal", "import-people", "--institution", "northbridge", str(DATA / "latin1.csv")])
    assert latin.exit_code != 0 and "latin1.csv: This file isn't UTF-8 text: line 2" in latin.output
    unknown = runner.invoke(args=["portal", "import-people", "--institution", "nowhere", str(csv_path)])
    assert unknown.exit_code != 0 and "No institution has the slug 'nowhere'." in unknown.output
    with app.app_context(), unscoped():
        program = Program(institution_id=other_institution.id, name="Lakeshore only")
        db.session.add(program)
        db.session.commit()
        program_id = program.id
    theirs = runner.invoke(args=["portal", "import-people", "--institution", "northbridge", str(csv_path),
                                 "--program", str(program_id)])
    assert theirs.exit_code != 0 and f"Northbridge University has no program {program_id}." in theirs.output
    assert _imported(app) == 0


def test_the_sample_files_carry_exactly_the_promised_mistakes():
    spoiled = validate_rows(parse_people_csv(decode_upload(sample_people_csv(2000, errors=True).encode())))[1]
    assert sorted((issue.row, issue.column) for issue in spoiled) == [
        (3, "email"), (402, "email"), (802, "role"), (1202, "capacity"), (1602, "email")]
    people, issues = validate_rows(parse_people_csv(sample_people_csv(2000, errors=False)))
    assert issues == [] and len(people) == 2000
    assert sample_people_csv(50, seed=1) == sample_people_csv(50, seed=1) != sample_people_csv(50, seed=2)
