"""The reports dashboard and the printable report as an admin reads them: the hand-worked figures of
tests/test_reports_world.py (worked out in tests/test_reports_metrics.py), the charts with their
numbers, the filters, and what happens with filters that make no sense."""

from __future__ import annotations

import html
import re

from tests.test_reports_world import report_world  # noqa: F401  (the fixture)

HTMX = {"HX-Request": "true", "HX-Target": "report-body", "HX-Current-URL": "http://localhost/reports"}


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def tile(body: str, key: str) -> str:
    """Return the words of one figure tile, e.g. 'Match rate 50 % 3 of 6 mentees have ...'."""
    start = body.index(f'data-figure="{key}"')
    end = body.index("</section>", start)
    following = body.find("data-figure=", start + 1, end)
    end = body.rfind("<", start, following) if following > 0 else end
    return plain(body[start:end].split(">", 1)[1])


def test_a_programs_report_shows_its_hand_worked_figures(admin_client, report_world):
    response = admin_client.get(f"/reports?program={report_world.career}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<h2 class=\"h4 mb-1\" id=\"report-scope-heading\">Career Launch</h2>" in body
    assert tile(body, "participation") == "Participation rate 57.1 % 4 of 7 invited participants signed in with a complete profile"
    assert tile(body, "match") == "Match rate 50 % 3 of 6 mentees have an active or completed mentorship"
    assert tile(body, "time-to-match") == "Median time to match 7 days from joining to the first mentorship, over 4 mentees"
    assert tile(body, "active-pairs") == "Active pairs 2 mentorships active today"
    assert tile(body, "frequency") == "Sessions per pair per 30 days 2 4 completed sessions of 2 active pairs"
    assert tile(body, "cadence") == "Pairs keeping the cadence 50 % 1 of 2 active pairs meet every 14 days"
    assert tile(body, "rating") == "Mean session rating 3.56 / 5 9 ratings"
    assert tile(body, "nps") == "Net promoter score +33 3 closing surveys: 2 promoters, 0 passives, 1 detractor"
    assert tile(body, "goals") == "Goals achieved 40 % 2 of 5 goals; open goals average 30 % progress"
    # The key result: 3 students guided of 10, behind a steady pace (7 by today), with its deadline.
    key_result = plain(body[body.index('class="card shadow-sm report-key-result'):body.index("</progress>")])
    assert "Key result · Career Launch Guide 10 final-year students in career choice Behind schedule" in key_result
    assert "3 of 10 final-year students guided (30 %)" in key_result
    assert '<progress class="report-progress" max="10" value="3"' in body
    assert "would be at 7 by today" in page_text(response)
    assert "students guided</strong>, the mentees with an active or completed mentorship in the program" in body


def test_charts_are_inline_svg_with_their_numbers_and_nothing_that_runs(admin_client, report_world):
    body = admin_client.get(f"/reports?program={report_world.career}").get_data(as_text=True)
    report = body[body.index('id="report-body"'):]
    assert report.count('role="img"') == 4  # engagement, active participants, ratings, goals
    for title in ("Sessions and messages per pair, by week", "Weekly active participants", "Session ratings",
                  "Goals by status"):
        assert f">{title}</h3>" in report
    assert "<script" not in report and "<style" not in report and " style=" not in report
    assert 'aria-label="9 session ratings, mean 3.56 out of 5."' in report
    # The ratings table: 3 fives of 9 = 33.3 %; 1 one = 11.1 %.
    ratings = plain(report[report.index('id="chart-ratings-title"'):report.index('id="chart-goals-title"')])
    assert "5 out of 5 3 33.3 %" in ratings and "1 out of 5 1 11.1 %" in ratings
    goals = plain(report[report.index('id="chart-goals-title"'):])
    assert "Achieved 2 In progress 1 Not started 1 Dropped 1" in goals
    # Completed sessions week by week add up to the 7 of the period (A 4, C 2, D 1).
    engagement = report[report.index('id="chart-engagement-title"'):report.index('id="chart-people-title"')]
    rows = re.findall(r'<tr><th scope="row" class="fw-normal">[^<]+</th><td class="text-end">(\d+)</td>'
                      r'<td class="text-end">(\d+)</td>', engagement)
    assert len(rows) in (12, 13)  # the weeks 84 days touch
    assert sum(int(sessions) for sessions, _ in rows) == 7 and sum(int(messages) for _, messages in rows) == 4


def test_the_institution_report_compares_programs_and_keeps_to_its_own(admin_client, report_world):
    body = admin_client.get("/reports").get_data(as_text=True)
    assert tile(body, "match") == "Match rate 57.1 % 4 of 7 mentees have an active or completed mentorship"
    assert tile(body, "participation").startswith("Participation rate 66.7 % 6 of 9")
    assert tile(body, "time-to-match").startswith("Median time to match 4 days")
    assert tile(body, "frequency").startswith("Sessions per pair per 30 days 1.5 6 completed sessions of 3 active pairs")
    assert tile(body, "cadence") == ("Pairs keeping the cadence 66.7 % 2 of 3 active pairs meet their program's "
                                     "expected cadence")
    assert tile(body, "rating") == "Mean session rating 3.75 / 5 12 ratings"
    programs = plain(body[body.index('id="programs-heading"'):body.index('id="definitions-heading"')])
    assert "Career Launch Open 6 3 50 % 2" in programs and "Women in Tech Open 1 1 100 % 1" in programs
    assert 'aria-label="Match rate by program: Career Launch 50 %; Women in Tech 100 %"' in body
    assert "Lakeshore" not in body


def test_cohort_filters_narrow_the_report_to_those_students(admin_client, report_world):
    body = admin_client.get(f"/reports?program={report_world.career}&graduation_year=2026").get_data(as_text=True)
    # Class of 2026 in Career Launch: s1, s2, s4; s1 and s2 matched; days 10, 30, 2 -> median 10.
    assert tile(body, "match").startswith("Match rate 66.7 % 2 of 3 mentees")
    assert tile(body, "time-to-match").startswith("Median time to match 10 days")
    assert tile(body, "rating") == "Mean session rating 3.86 / 5 7 ratings"
    assert "Class of 2026" in body and "Clear filters" in body
    # Majors are offered once however they were typed, and match whatever the case.
    assert body.count('<option value="Computer Science">Computer Science</option>') == 1
    body = admin_client.get("/reports?major=computer+science").get_data(as_text=True)
    assert tile(body, "match").startswith("Match rate 100 % 3 of 3 mentees")


def test_changing_a_filter_with_htmx_swaps_only_the_report(admin_client, report_world):
    response = admin_client.get(f"/reports?program={report_world.women}", headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and 'id="report-filters"' not in body
    assert ">Women in Tech</h2>" in body
    assert tile(body, "match").startswith("Match rate 100 % 1 of 1 mentee has")
    assert "Women in Tech has no key result yet" in body
    assert "HX-Request" in response.headers["Vary"]


def test_filters_that_make_no_sense_are_explained_not_failed(admin_client, report_world):
    body = page_text(admin_client.get("/reports?date_from=2026-13-45&graduation_year=abc"))
    assert "From: Enter a date as YYYY-MM-DD, e.g. 2026-03-01." in body
    assert "Graduation year: choose a year between 1940 and 2100; the report covers every year." in body
    assert tile(body, "match").startswith("Match rate 57.1 %")  # the default period, everyone
    body = page_text(admin_client.get("/reports?date_from=2026-03-01&date_to=2026-01-01"))
    assert "The period started after it ended, so the two dates were swapped." in body
    assert "Jan 1, 2026 – Mar 1, 2026" in body
    body = page_text(admin_client.get("/reports?date_from=2010-01-01&date_to=2026-01-01"))
    assert "A report covers at most three years" in body
    assert admin_client.get("/reports?program=abc").status_code == 404
    assert admin_client.get("/reports?program=999999").status_code == 404
    assert admin_client.get(f"/reports?program={report_world.other_program}").status_code == 404


def test_an_institution_without_programs_is_told_what_to_do(admin_client):
    body = page_text(admin_client.get("/reports"))
    assert "There is nothing to report yet" in body and "Create a program" in body


def test_only_admins_see_reports_in_the_menu(admin_client, student_client, mentor_client):
    assert 'href="/reports"' in admin_client.get("/").get_data(as_text=True)
    for client in (student_client, mentor_client):
        assert 'href="/reports"' not in client.get("/").get_data(as_text=True)
        assert client.get("/reports").status_code == 403


def test_the_printable_report_has_everything_open_and_no_filters(admin_client, report_world):
    response = admin_client.get(f"/reports/print?program={report_world.career}&graduation_year=2026")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="reports-page reports-print"' in body
    assert "Mentoring report" in body and "Career Launch" in body and "Class of 2026" in body
    assert 'id="report-filters"' not in body and "Export CSV" not in body
    assert body.count('<details class="report-numbers" open>') == 4
    assert tile(body, "match").startswith("Match rate 66.7 % 2 of 3 mentees")
    assert "use your browser's Print command" in page_text(response)
