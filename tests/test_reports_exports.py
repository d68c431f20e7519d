"""CSV exports of participants, pairs, sessions and feedback: the hand-worked world's rows, the filters,
and cells that a spreadsheet would run as formulas written harmlessly."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from portal.extensions import db
from portal.models import SessionFeedback, User
from portal.reports.exports import neutralise
from portal.tenancy import unscoped
from tests.test_reports_world import report_world  # noqa: F401  (the fixture)


def download(client, kind: str, query: str = "") -> list[dict]:
    response = client.get(f"/reports/export/{kind}.csv{query}")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="{kind}-')
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_participants_are_the_people_counted_on_the_dashboard(admin_client, report_world):
    rows = download(admin_client, "participants", f"?program={report_world.career}")
    # Career Launch now: mentees by last name, then the mentors; s8 left and is not listed.
    assert [(row["role"], row["last_name"]) for row in rows] == [
        ("mentee", "Hale"), ("mentee", "Moss"), ("mentee", "Park"), ("mentee", "Ruiz"), ("mentee", "Shah"),
        ("mentee", "Stone"), ("mentor", "Brandt"), ("mentor", "Okafor")]
    by_name = {row["last_name"]: row for row in rows}
    assert {key: by_name["Shah"][key] for key in ("account", "invited", "profile_complete", "graduation_year",
                                                  "major", "matched")} == {
        "account": "active", "invited": "yes", "profile_complete": "no", "graduation_year": "2026",
        "major": "Economics", "matched": "no"}  # D ended early
    assert (by_name["Hale"]["account"], by_name["Hale"]["invited"], by_name["Hale"]["last_sign_in"]) == ("invited", "no", "")
    assert (by_name["Stone"]["matched"], by_name["Stone"]["profile_complete"]) == ("yes", "yes")
    assert (by_name["Brandt"]["matched"], by_name["Brandt"]["profile_complete"]) == ("", "no")
    assert by_name["Stone"]["joined_program"].endswith(" UTC")
    # The cohort filter keeps the class of 2026's mentees: Ruiz, Shah, Stone.
    rows = download(admin_client, "participants", f"?program={report_world.career}&graduation_year=2026")
    assert sorted(row["last_name"] for row in rows) == ["Ruiz", "Shah", "Stone"]


def test_pairs_with_their_sessions_ratings_and_goals(admin_client, report_world):
    rows = download(admin_client, "pairs", f"?program={report_world.career}")
    # By start: C (-70 d), A (-40), D (-30), B (-20).
    assert [row["mentee"] for row in rows] == ["Cleo Park", "Ava Stone", "Dev Shah", "Ben Ruiz"]
    figures = [(row["status"], row["completed_sessions"], row["mean_rating"], row["goals"], row["goals_achieved"])
               for row in rows]
    # C: 2 sessions rated 2 and 3 -> 2.5; A: 4 sessions rated 5 4 4 5 5 3 -> 26 / 6 = 4.33; D: 1 rated 1; B: none.
    assert figures == [("completed", "2", "2.5", "2", "1"), ("active", "4", "4.33", "2", "1"),
                       ("ended_early", "1", "1", "0", "0"), ("active", "0", "", "1", "0")]
    assert rows[1]["mentor"] == "Maya Okafor" and rows[1]["mentor_email"] == "maya.okafor@northbridge.example.edu"
    assert rows[0]["ended"] != "" and rows[1]["ended"] == ""
    everyone = download(admin_client, "pairs")
    assert len(everyone) == 5 and "Lakeshore" not in str(everyone)


def test_sessions_and_feedback_of_the_period(admin_client, report_world):
    sessions = download(admin_client, "sessions", f"?program={report_world.career}")
    # In the period up to today: A -35 -28 -21 -14 (cancelled) -7 (its +3 is later), B -15, C -60 -45, D -27.
    assert len(sessions) == 9
    assert sorted(row["status"] for row in sessions).count("completed") == 7
    assert {row["minutes"] for row in sessions} == {"60"}
    first = sessions[0]  # C's session 60 days ago, rated 2 and 3
    assert (first["mentee_email"], first["ratings"], first["mean_rating"]) == (
        "cleo.park@northbridge.example.edu", "2", "2.5")
    feedback = download(admin_client, "feedback", f"?program={report_world.career}")
    # 9 session ratings and 3 closing surveys (C: 10 and 9, D: 3).
    ratings = [row for row in feedback if row["kind"] == "session rating"]
    surveys = [row for row in feedback if row["kind"] == "closing survey"]
    assert sorted(int(row["rating_1_to_5"]) for row in ratings) == [1, 2, 3, 3, 4, 4, 5, 5, 5]
    assert sorted((row["respondent_role"], row["recommend_0_to_10"]) for row in surveys) == [
        ("mentee", "10"), ("mentee", "3"), ("mentor", "9")]
    # Only the period: a range before anything happened has no sessions or feedback, just the header.
    assert download(admin_client, "sessions", "?date_from=2020-01-01&date_to=2020-02-01") == []


def test_cells_that_would_run_as_formulas_are_written_as_text(app, admin_client, report_world):
    with app.app_context(), unscoped():
        student = db.session.get(User, report_world.people["s1"].id)
        student.first_name = '=HYPERLINK("http://evil.example","Click")'
        comments = db.session.scalars(select(SessionFeedback).where(SessionFeedback.user_id == student.id)
                                      .order_by(SessionFeedback.id)).all()
        for comment, text in zip(comments, ["+1+2", "-3", "@SUM(A1)", "\tcmd"]):
            comment.went_well = text
        db.session.commit()
    participants = download(admin_client, "participants")
    assert '\'=HYPERLINK("http://evil.example","Click")' in [row["first_name"] for row in participants]
    pairs = download(admin_client, "pairs")
    assert '\'=HYPERLINK("http://evil.example","Click") Stone' in [row["mentee"] for row in pairs]
    comments = {row["comment"] for row in download(admin_client, "feedback")}
    assert {"'+1+2", "'-3", "'@SUM(A1)", "'\tcmd"} <= comments


def test_neutralise_leaves_numbers_and_plain_text_alone():
    assert [neutralise(value) for value in ("=1", "+1", "-1", "@A1", "\tx", "\rx")] == [
        "'=1", "'+1", "'-1", "'@A1", "'\tx", "'\rx"]
    assert [neutralise(value) for value in (-5, 3.5, "Ava", "a=b", None, True)] == [-5, "3.5", "Ava", "a=b", "", "yes"]


def test_an_unknown_export_is_not_found(admin_client, report_world):
    assert admin_client.get("/reports/export/passwords.csv").status_code == 404
    assert admin_client.get(f"/reports/export/pairs.csv?program={report_world.other_program}").status_code == 404
