"""After a session, in a real browser: the student marks it held, keeps notes, adds and ticks off an
action item and rates it, each without a page load; then answers a closing survey."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.tenancy import unscoped
from tests.access.meetings import make_meeting, make_pair

SHOTS = os.environ.get("PORTAL_SHOTS")  # a folder: save screenshots there for a person to look at


def shoot(page, name: str) -> None:
    """Save a screenshot when asked to. Taking one makes Chromium give focused fields an empty
    style attribute, which htmx's settle step then copies (a CSP report only screenshots cause)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def started(app, institution, people):
    with app.app_context(), unscoped():
        mentorship = make_pair(institution)
        return make_meeting(mentorship, agenda="Review the CV; plan internship applications")


def test_the_student_wraps_up_a_session_without_a_page_load(app, page, sign_in, started, people, csp):
    if "scheduling.show_session" not in app.view_functions:
        pytest.skip("the session page is not installed")
    sign_in(people["student"].email)
    page.goto(f"/sessions/{started}")
    shoot(page, "session-due")
    page.evaluate("window.__stillTheSamePage = true")

    page.get_by_role("button", name="Yes, we met").click()
    expect(page.get_by_text("The session is marked as held.")).to_be_visible()

    page.get_by_role("textbox", name="Shared notes").fill("Lead each CV bullet with the result.\nApply to three internships.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_text("Notes saved.")).to_be_visible()

    page.get_by_label("New action item").fill("Share two example CVs")
    page.get_by_label("Who").select_option(label="Priya Raman")
    page.get_by_role("button", name="Add action item").click()
    expect(page.get_by_text("Action item added. We let them know.")).to_be_visible()
    page.get_by_role("button", name="Mark as done: Share two example CVs").click()
    expect(page.get_by_role("button", name="Mark as not done: Share two example CVs")).to_be_visible()

    feedback = page.locator("#session-feedback")
    feedback.get_by_text("Good").click()
    feedback.get_by_label("What went well?").fill("Concrete advice I can act on this week.")
    shoot(page, "session-feedback-form")
    feedback.get_by_role("button", name="Send feedback").click()
    expect(feedback).to_contain_text("You rated this session 4/5")
    assert page.evaluate("window.__stillTheSamePage === true"), "an action reloaded the whole page"
    shoot(page, "session-done")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_text("You rated this session 4/5")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page scrolls sideways"
    shoot(page, "session-done-390")
    if not SHOTS:
        csp.assert_none(page)


def test_a_participant_answers_the_closing_survey(app, institution, page, sign_in, people, csp):
    with app.app_context(), unscoped():
        ended = make_pair(institution, "completed")
    sign_in(people["mentor"].email)
    page.goto(f"/mentorships/{ended}/closing-survey")
    page.get_by_text("9", exact=True).click()
    page.get_by_label("What made the biggest difference").fill("A motivated mentee; the portal kept us on track.")
    shoot(page, "closing-survey-form")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("You answered 9/10")).to_be_visible()
    shoot(page, "closing-survey-answered")
    csp.assert_none(page)
