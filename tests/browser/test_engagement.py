"""Engagement in a real browser: an admin nudges a pair at risk in place (htmx, strict CSP), and the
fairness, unanswered-requests, thank-you and mentor pages render. With SHOTS_DIR set, each page is
also saved as a screenshot (desktop and 390 px wide) for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.models import MatchMode
from tests.test_engagement import (  # noqa: F401 (in_app_context is a fixture)
    ask, enroll, in_app_context, make_meeting, make_pair, make_program, person, rate, set_profile, write,
)

pytestmark = pytest.mark.usefixtures("in_app_context")
SHOTS = os.environ.get("SHOTS_DIR")


def shoot(page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    # caret="initial": hiding the caret leaves style="" on inputs, which htmx would then copy under the CSP.
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True, caret="initial")
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True, caret="initial")
    page.set_viewport_size(size)


@pytest.fixture
def showcase(institution, people):
    """A program with pairs on track and at risk, requests waiting, unmatched mentees and sessions held."""
    program = make_program(institution, session_cadence_days=14, match_mode=MatchMode.HYBRID,
                           affinity_fields=["first_generation"])
    priya, jordan = people["mentor"], people["student"]
    set_profile(priya, job_title="Product Manager", employer="Globex")
    set_profile(jordan, graduation_year=2026, major="Computer Science")
    marcus = person(institution, "mentor", "Marcus", "Okafor", job_title="Data Scientist", employer="Initech")
    elena = person(institution, "mentor", "Elena", "Novak", job_title="Engineering Lead", employer="Umbrella")
    students = {first: person(institution, "student", first, last, graduation_year=year, major=major)
                for first, last, year, major in (
                    ("Amara", "Nwosu", 2026, "Economics"), ("Lucas", "Ferreira", 2027, "Economics"),
                    ("Mia", "Chen", 2027, "Biology"), ("Noah", "Kim", 2025, "Computer Science"),
                    ("Zoe", "Park", 2026, "Physics"))}
    for ref in (priya, marcus, elena):
        enroll(institution, program, ref, "mentor")
    for ref in (jordan, *students.values()):
        enroll(institution, program, ref)
    quiet = make_pair(institution, program, priya, jordan)
    make_meeting(institution, quiet, priya, days_ago=32, minutes=60)
    make_meeting(institution, quiet, priya, days_ago=46, minutes=45)
    unhappy = make_pair(institution, program, marcus, students["Amara"])
    rate(institution, make_meeting(institution, unhappy, marcus, days_ago=4, minutes=60), students["Amara"], 2,
         days_ago=3)
    write(institution, unhappy, students["Amara"], days_ago=9)
    fine = make_pair(institution, program, elena, students["Lucas"])
    for days in (40, 26, 12):
        rate(institution, make_meeting(institution, fine, elena, days_ago=days, minutes=60), students["Lucas"], 5,
             days_ago=days - 1)
    ask(institution, program, students["Mia"], marcus, days_ago=9)
    ask(institution, program, students["Noah"], elena, days_ago=20, status="declined")
    return {"program": program, "quiet": quiet}


def test_an_admin_nudges_a_pair_at_risk_in_place(page, sign_in, people, showcase, csp):
    sign_in(people["admin"].email)
    page.goto("/reports/at-risk")
    expect(page.get_by_role("heading", name="Pairs at risk")).to_be_visible()
    rows = page.locator(".at-risk-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Last session rated 2 out of 5")
    expect(page.locator(f"#pair-{showcase['quiet']}")).to_contain_text("No session for 32 days")
    shoot(page, "at-risk")

    page.evaluate("window.__stillTheSamePage = true")
    page.get_by_label("Choose Priya Raman & Jordan Lee").check()
    page.get_by_label("Personal note (optional)").fill("Spring is busy; a 20-minute call counts too.")
    page.get_by_role("button", name="Nudge selected").click()
    expect(page.get_by_text("Nudged 1 pair: Priya Raman & Jordan Lee.")).to_be_visible()
    expect(page.get_by_label("Choose Priya Raman & Jordan Lee")).to_be_disabled()
    expect(page.locator(f"#pair-{showcase['quiet']}")).to_contain_text("Nudged this week")
    assert page.evaluate("window.__stillTheSamePage === true"), "the nudge reloaded the whole page"
    shoot(page, "at-risk-nudged")
    csp.assert_none(page)


def test_the_other_engagement_pages_render(page, sign_in, people, showcase, csp, make_client):
    sign_in(people["admin"].email)
    page.goto("/reports")
    panel = page.get_by_role("region", name="Keeping pairs on track")
    expect(panel.locator("#panel-at-risk")).to_have_text("2")
    expect(panel.locator("#panel-unanswered")).to_have_text("1")
    shoot(page, "reports-panel")
    panel.get_by_role("link", name="Fairness").click()
    expect(page.get_by_role("heading", name="Fairness", exact=True)).to_be_visible()
    expect(page.locator("#figure-rate")).to_have_text("50%")  # Jordan, Amara, Lucas matched of 6
    expect(page.get_by_text("Declined by 1 mentor")).to_be_visible()
    shoot(page, "fairness")
    page.goto("/reports/unanswered-requests")
    expect(page.get_by_role("heading", name="Unanswered requests")).to_be_visible()
    expect(page.locator(".unanswered-table")).to_contain_text("Mia Chen")
    shoot(page, "unanswered")
    page.goto(f"/programs/{showcase['program']}/thank-you")
    expect(page.get_by_role("heading", name="Thank you to our mentors")).to_be_visible()
    # Elena 3 x 60, Marcus 60, Priya 60 + 45 minutes = 345 minutes = 5.75 hours.
    expect(page.locator("#thank-you-summary")).to_contain_text("3 mentors gave 5.75 hours over 6 sessions")
    shoot(page, "thank-you")
    page.emulate_media(media="print")
    expect(page.locator(".portal-header")).to_be_hidden()
    page.emulate_media(media="screen")
    csp.assert_none(page)

    page.context.clear_cookies()
    sign_in(people["mentor"].email)
    expect(page.get_by_role("heading", name="Your mentoring so far")).to_be_visible()
    expect(page.locator("#recognition-hours")).to_have_text("1.75")  # (60 + 45) / 60
    shoot(page, "mentor-dashboard")
    csp.assert_none(page)
