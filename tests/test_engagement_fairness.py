"""Fairness: unmatched mentees with the reason; match rate and satisfaction by year, major and affinity."""

from __future__ import annotations

import pytest

from portal.engagement import fairness_report
from portal.models import Enrollment, EnrollmentStatus, MatchMode, MatchRun, MatchRunStatus, MatchSuggestion
from portal.tenancy import tenant_scope
from tests.test_engagement import (  # noqa: F401 (in_app_context is a fixture)
    _add, ask, change, enroll, in_app_context, make_meeting, make_pair, make_program, person, rate, set_profile, text,
)

pytestmark = pytest.mark.usefixtures("in_app_context")
CONSENT = {"consented_at": "2026-09-01T10:00:00"}


@pytest.fixture
def cohort(app, institution, people):
    """Career Pathways (hybrid, asks for first-generation and international) and Leadership Circle (admin-led).

    Career Pathways mentees, and what happened to them:
      Jordan  2026 Computer Science  first-gen, international  active with Priya; rated 4 and 5 (Priya rated 2)
      Amara   2026 computer science  first-gen                 completed with Marcus; rated 3
      Zoe     2026 Biology           first-gen                 ended early with Priya; rated 2
      Lucas   2027 Economics         first-gen                 declined once, now a request pending
      Mia     2027 Economics         (answers, no consent)     declined by Priya and Marcus, one expired
      Eli     2025 Economics         (consented, not first-gen) one request expired
      Noah    (empty profile)                                  nothing yet
      Omar    (left the program: not counted)
    Leadership Circle mentees: Jordan (left unmatched by the last run), Ava (suggested, run not
    published), Kira (joined after the run).
    """
    program = make_program(institution, match_mode=MatchMode.HYBRID,
                           affinity_fields=["first_generation", "international"])
    circle = make_program(institution, "Leadership Circle", match_mode=MatchMode.ADMIN_LED)
    priya, marcus = people["mentor"], person(institution, "mentor", "Marcus", "Okafor")
    elena = person(institution, "mentor", "Elena", "Novak")
    jordan = people["student"]
    set_profile(jordan, graduation_year=2026, major="Computer Science",
                 affinity={"first_generation": True, "international": True, **CONSENT})
    s = {"jordan": jordan, "priya": priya, "marcus": marcus, "program": program, "circle": circle}
    for key, first, last, profile in (
            ("amara", "Amara", "Nwosu", {"graduation_year": 2026, "major": "computer science",
                                          "affinity": {"first_generation": True, **CONSENT}}),
            ("zoe", "Zoe", "Park", {"graduation_year": 2026, "major": "Biology",
                                    "affinity": {"first_generation": True, **CONSENT}}),
            ("lucas", "Lucas", "Ferreira", {"graduation_year": 2027, "major": "Economics",
                                            "affinity": {"first_generation": True, **CONSENT}}),
            ("mia", "Mia", "Chen", {"graduation_year": 2027, "major": "Economics",
                                    "affinity": {"first_generation": True}}),  # no consent: not used
            ("eli", "Eli", "Brooks", {"graduation_year": 2025, "major": " Economics ",
                                      "affinity": {"gender": "man", **CONSENT}}),
            ("noah", "Noah", "Kim", {}), ("omar", "Omar", "Haddad", {}),
            ("ava", "Ava", "Diaz", {"graduation_year": 2026, "major": "Physics"}),
            ("kira", "Kira", "Sato", {"graduation_year": 2026, "major": "Physics"})):
        s[key] = person(institution, "student", first, last, **profile)
    for mentor in (priya, marcus, elena):
        enroll(institution, program, mentor, "mentor")
        enroll(institution, circle, mentor, "mentor")
    for key in ("jordan", "amara", "zoe", "lucas", "mia", "eli", "noah"):
        enroll(institution, program, s[key])
    change(Enrollment, enroll(institution, program, s["omar"]), status=EnrollmentStatus.LEFT)
    for key in ("jordan", "ava", "kira"):
        enroll(institution, circle, s[key])

    active = make_pair(institution, program, priya, jordan)
    rate(institution, make_meeting(institution, active, priya, days_ago=20), jordan, 4, days_ago=19)
    second = make_meeting(institution, active, priya, days_ago=5)
    rate(institution, second, jordan, 5, days_ago=4)
    rate(institution, second, priya, 2, days_ago=4)  # the mentor's own rating: not the mentee's satisfaction
    done = make_pair(institution, program, marcus, s["amara"], status="completed")
    rate(institution, make_meeting(institution, done, marcus, days_ago=30), s["amara"], 3, days_ago=29)
    early = make_pair(institution, program, priya, s["zoe"], status="ended_early")
    rate(institution, make_meeting(institution, early, priya, days_ago=40), s["zoe"], 2, days_ago=39)
    ask(institution, program, s["lucas"], marcus, days_ago=20, status="declined")
    ask(institution, program, s["lucas"], priya, days_ago=2)
    ask(institution, program, s["mia"], priya, days_ago=30, status="declined")
    ask(institution, program, s["mia"], marcus, days_ago=25, status="declined")
    ask(institution, program, s["mia"], elena, days_ago=20, status="expired")
    ask(institution, program, s["eli"], elena, days_ago=20, status="expired")

    run = _add(MatchRun(institution_id=institution.id, program_id=circle, status=MatchRunStatus.FINISHED,
                        unmatched=[{"mentee_id": jordan.id, "reason": "no_candidate",
                                    "message": "No mentor shares a language with them."}]))
    _add(MatchSuggestion(institution_id=institution.id, run_id=run, mentee_id=s["ava"].id, mentor_id=elena.id,
                         score=81.5))
    return s


def rows(table) -> dict[str, tuple]:
    """Return {label: (mentees, matched, match rate rounded, mean rating, hidden)}."""
    return {row.label: (row.mentees, row.matched, None if row.match_rate is None else round(row.match_rate, 1),
                        row.mean_rating, row.hidden) for row in table}


def test_match_rate_and_satisfaction_by_graduation_year_and_major(app, institution, cohort):
    with app.app_context(), tenant_scope(institution.id):
        report = fairness_report(cohort["program"])
    # 7 enrolled (Omar left); matched: Jordan (active), Amara (completed) -> 2/7 = 28.6%.
    # Ratings the mentees gave: Jordan 4, 5; Amara 3; Zoe 2 -> (4 + 5 + 3 + 2) / 4 = 3.5.
    assert (report.total.mentees, report.total.matched, round(report.total.match_rate, 1)) == (7, 2, 28.6)
    assert report.total.mean_rating == 3.5
    assert rows(report.by_year) == {
        "2025": (1, 0, 0.0, None, False),  # Eli
        "2026": (3, 2, 66.7, 3.5, False),  # Jordan, Amara, Zoe: 2/3; (4 + 5 + 3 + 2) / 4
        "2027": (2, 0, 0.0, None, False),  # Lucas, Mia
        "Not given": (1, 0, 0.0, None, False),  # Noah
    }
    assert [row.label for row in report.by_year] == ["2025", "2026", "2027", "Not given"]
    assert rows(report.by_major) == {
        "Economics": (3, 0, 0.0, None, False),  # Lucas, Mia, Eli (spaces trimmed)
        "Computer Science": (2, 2, 100.0, 4.0, False),  # Jordan, Amara (any case): (4 + 5 + 3) / 3
        "Biology": (1, 0, 0.0, 2.0, False),  # Zoe
        "Not given": (1, 0, 0.0, None, False),  # Noah
    }


def test_affinity_groups_only_where_the_program_asks_and_people_consented(app, institution, cohort):
    with app.app_context(), tenant_scope(institution.id):
        report = fairness_report(cohort["program"])
        everything = fairness_report()
    tables = dict(report.by_affinity)
    assert list(tables) == ["First-generation student", "International student"]  # not gender or veteran
    # First-generation, shared with consent: Jordan, Amara, Zoe, Lucas -> 2/4 = 50%; (4 + 5 + 3 + 2) / 4 = 3.5.
    # Mia ticked it but gave no consent; Eli consented to other fields only; Noah shared nothing.
    assert rows(tables["First-generation student"]) == {"Yes": (4, 2, 50.0, 3.5, False),
                                                       "Not indicated": (3, 0, 0.0, None, False)}
    # International: only Jordan, a group of 1 < 3, so its figures are hidden.
    assert rows(tables["International student"])["Yes"] == (1, 1, 100.0, 4.5, True)
    # Across all programs the affinity tables still count only Career Pathways' mentees (7 of 10).
    assert sum(row.mentees for row in dict(everything.by_affinity)["First-generation student"]) == 7
    # Leadership Circle asks for none.
    with app.app_context(), tenant_scope(institution.id):
        assert fairness_report(cohort["circle"]).by_affinity == []


def test_every_unmatched_mentee_has_the_reason(app, institution, cohort):
    with app.app_context(), tenant_scope(institution.id):
        report = fairness_report()
        reasons = {(item.user.first_name, item.program_name): (item.reason, item.detail)
                   for item in report.unmatched}
        assert (report.total.mentees, report.total.matched) == (10, 2)  # 7 + Jordan, Ava and Kira in the circle
        counts = dict(report.reason_counts)
    assert reasons == {
        ("Eli", "Career Pathways"): ("1 request expired", "Nobody answered in time; suggest mentors who are "
                                                          "accepting requests."),
        ("Lucas", "Career Pathways"): ("Request pending", "Waiting for an answer from 1 mentor."),
        ("Mia", "Career Pathways"): ("Declined by 2 mentors", "Suggest mentors with room, or include them in the "
                                                               "next match run."),
        ("Noah", "Career Pathways"): ("No request sent", "They have not asked a mentor, and no match run has "
                                                         "included them."),
        ("Zoe", "Career Pathways"): ("Mentorship ended early", "Their mentorship ended early and they have no "
                                                               "mentor now."),
        ("Jordan", "Leadership Circle"): ("Left unmatched by the last match run",
                                          "No mentor shares a language with them."),
        ("Ava", "Leadership Circle"): ("Suggested, not yet published",
                                       "The last match run suggested a mentor; publish it to pair them."),
        ("Kira", "Leadership Circle"): ("Not in a match run", "They joined after the last match run."),
    }
    assert counts["Declined by mentors"] == 1 and counts["Request pending"] == 1 and sum(counts.values()) == 8


def test_a_self_select_program_says_no_request_and_an_admin_led_one_says_not_in_a_run(app, institution, people):
    chooser = make_program(institution, "Pick Your Mentor", match_mode=MatchMode.SELF_SELECT)
    assigned = make_program(institution, "Assigned Mentors", match_mode=MatchMode.ADMIN_LED)
    enroll(institution, chooser, people["student"])
    enroll(institution, assigned, people["student"])
    with app.app_context(), tenant_scope(institution.id):
        found = {item.program_name: (item.reason, item.detail) for item in fairness_report().unmatched}
    assert found == {"Pick Your Mentor": ("No request sent", "They have not asked a mentor yet."),
                     "Assigned Mentors": ("Not in a match run", "Run matching for this program to suggest a mentor.")}


def test_the_page_shows_the_figures_and_stays_inside_the_institution(app, institution, cohort, admin_client,
                                                                    other_admin_client):
    page = text(admin_client.get(f"/reports/fairness?program={cohort['program']}"))
    assert 'id="figure-mentees">7<' in page and 'id="figure-matched">2<' in page
    assert 'id="figure-rate">29%<' in page  # 2 / 7 = 28.6%, shown rounded
    assert 'id="figure-rating">3.5' in page
    assert "Declined by 2 mentors" in page and "Mia Chen" in page and "Request pending" in page
    assert "By graduation year" in page and "By major" in page and "First-generation student" in page
    assert "67%" in page  # 2026: 2 of 3
    assert "fewer than 3" in page and "Hidden so that nobody can be picked out of a small group." in page
    everything = text(admin_client.get("/reports/fairness"))
    assert 'id="figure-mentees">10<' in everything and "Leadership Circle" in everything
    theirs = text(other_admin_client.get("/reports/fairness"))
    assert 'id="figure-mentees">0<' in theirs and "Mia Chen" not in theirs and "No mentees are enrolled yet" in theirs
    assert other_admin_client.get(f"/reports/fairness?program={cohort['program']}").status_code == 404
