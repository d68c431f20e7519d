"""Issue 5's journey in a real browser, on the demo institution: Jordan finds a mentor, reads why she fits
and asks her with a message; Priya, signed in in her own browser, finds the request in her inbox among
others and accepts it in place; both then see the mentorship on their dashboards. No page breaks the
Content Security Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_LOGINS, seed_demo
from portal.extensions import db
from portal.models import Role
from portal.tenancy import unscoped
from tests.browser.test_matching_journey import sign_in
from tests.browser.test_onboarding_journey import person_browser

MESSAGE = ("I'm a junior in computer science aiming for a backend role in fintech. I'd love to learn how you "
           "moved into engineering management, and to practise system-design interviews with you.")


@pytest.fixture
def demo(app):
    with app.app_context(), unscoped():
        seed_demo()
        db.session.commit()


def test_a_student_asks_a_mentor_who_accepts_in_her_own_browser(page, browser, live_server, demo, csp):
    # Jordan finds Priya by a skill and reads why she fits.
    sign_in(page, DEMO_LOGINS[Role.STUDENT])
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Find a mentor").click()
    page.get_by_label("Search mentors").press_sequentially("python", delay=30)
    card = page.locator("#mentor-cards article").filter(has=page.get_by_role("link", name="Priya Raman"))
    expect(card).to_be_visible()
    card.get_by_role("link", name="Priya Raman").click()
    expect(page.get_by_role("heading", name="Priya Raman")).to_be_visible()
    expect(page.get_by_role("region", name="Why this mentor")).to_contain_text("Python")

    # She asks from the profile page; a message that says too little is sent back with guidance.
    ask = page.get_by_role("region", name="Ask Priya to mentor you")
    ask.get_by_label("Your message to Priya").fill("Please mentor me")
    ask.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Say a little more (at least 30 characters)")).to_be_visible()
    page.get_by_label("Your message to Priya").fill(MESSAGE)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Your request to Priya Raman")).to_be_visible()
    expect(page.get_by_text("Your request is on its way to Priya")).to_be_visible()
    expect(page.locator(".request-status")).to_have_text("Waiting for an answer")

    # Priya, in her own browser, answers from her inbox without leaving the page.
    context, mentor_page, mentor_csp = person_browser(browser, live_server)
    try:
        sign_in(mentor_page, DEMO_LOGINS[Role.MENTOR])
        menu = mentor_page.get_by_role("navigation", name="Main navigation")
        expect(menu.get_by_role("link", name="Requests")).to_contain_text("3")
        menu.get_by_role("link", name="Requests").click()
        expect(mentor_page.get_by_role("heading", name="Waiting for your answer")).to_be_visible()
        request = mentor_page.get_by_role("article", name="Jordan Lee")
        expect(request).to_contain_text("practise system-design interviews")
        expect(mentor_page.get_by_role("article", name="Amara Nwosu")).to_be_visible()  # others wait their turn
        mentor_page.evaluate("window.__stillTheSamePage = true")
        request.get_by_role("button", name="Accept Jordan").click()
        expect(request).to_contain_text("You're now mentoring Jordan Lee")
        expect(request.locator(".request-status")).to_have_text("Accepted")
        assert mentor_page.evaluate("window.__stillTheSamePage === true"), "accepting reloaded the whole page"

        mentor_page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Dashboard").click()
        expect(mentor_page.get_by_role("article", name="Jordan Lee")).to_be_visible()
        mentor_csp.assert_none(mentor_page)
    finally:
        context.close()

    # Jordan sees the answer and her mentor.
    page.reload()
    expect(page.get_by_text("Priya is your mentor")).to_be_visible()
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("article", name="Priya Raman")).to_be_visible()
    csp.assert_none(page)
