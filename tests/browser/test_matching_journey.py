"""Issue 4's journey in a real browser, with a real RQ worker and a real SMTP server.

On the demo institution (as `portal seed-demo` makes it), the admin opens the open program's
matching page, moves a weight, starts a run and watches the progress bar until the review
appears; reads the reasons, swaps one pair's mentor, bans another pair, approves, and
publishes. The mentee and the mentor, each in their own browser, find the new mentorship on
their dashboards, and both got an email. No page breaks the Content Security Policy.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from portal.demo.matching import seed_matching
from portal.extensions import db
from portal.models import MatchSuggestion, Role, User
from portal.tenancy import unscoped
from tests.browser.test_onboarding_journey import person_browser
from tests.workers import WorkerProcess, worker_env

JOB_TIMEOUT = 60_000  # ms: a job-driven step on a loaded CI machine


@pytest.fixture
def worker(app, smtp_sink, live_server, tmp_path):
    """`worker.py` on the "matching" and "mail" queues; call `.start()`; it is stopped after the test."""
    running = WorkerProcess(worker_env(app, tmp_path, smtp_sink, live_server), tmp_path, ("matching", "mail"))
    yield running
    running.stop()
    running.print_log()


@pytest.fixture
def demo(app):
    with app.app_context(), unscoped():
        institution = seed_demo()
        seed_matching(institution)
        db.session.commit()


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def pair(page, mentee: str):
    return page.locator("tbody.suggestion").filter(has=page.get_by_role("link", name=mentee, exact=True))


def mentor_of(app, mentee_email: str) -> tuple[str, str]:
    with app.app_context(), unscoped():
        mentee = db.session.scalar(select(User).where(User.email == mentee_email))
        suggestion = db.session.scalar(select(MatchSuggestion).where(MatchSuggestion.mentee_id == mentee.id)
                                       .order_by(MatchSuggestion.id.desc()))
        mentor = db.session.get(User, suggestion.mentor_id)
        return mentor.name, mentor.email


def test_an_admin_matches_the_demo_program_and_both_people_see_it(app, demo, page, csp, browser, live_server,
                                                                   worker, smtp_sink):
    sign_in(page, DEMO_LOGINS[Role.ADMIN])
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Programs").click()
    page.get_by_role("link", name="Career Pathways 2026-27").click()
    page.get_by_role("link", name="Matching").click()
    expect(page.get_by_role("heading", name="Matching", exact=True)).to_be_visible()
    expect(page.get_by_text("No runs yet.")).to_be_visible()

    # The numbers beside a slider follow it (htmx asks the server; no script of our own on the page).
    skills = page.get_by_label("Skills", exact=True)
    skills.fill("60")
    expect(page.locator("#weight-skills-value")).to_have_text("60")
    expect(page.locator("#weight-skills-share")).to_have_text(re.compile(r"^4\d% of the score$"))
    skills.fill("40")
    expect(page.locator("#weight-skills-value")).to_have_text("40")
    page.get_by_role("button", name="Start matching").click()

    # No worker yet: the run waits, and the page keeps polling; then a worker takes it to the end.
    progress = page.locator("#run-progress")
    expect(progress.get_by_role("heading")).to_have_text("Waiting for a worker to start the run")
    expect(progress.get_by_role("progressbar")).to_be_visible()
    worker.start()
    review = page.get_by_role("heading", name="Suggested pairs")
    expect(review).to_be_visible(timeout=JOB_TIMEOUT)
    expect(page.locator(".run-state")).to_have_text("Ready for review")
    expect(page.get_by_role("img", name="Suggested pairs by score")).to_be_visible()

    # The reasons of Jordan's pair are there to read.
    jordan = pair(page, "Jordan Lee")
    expect(jordan.locator(".reasons li").first).to_be_visible()
    jordan_mentor, jordan_mentor_email = mentor_of(app, DEMO_LOGINS[Role.STUDENT])
    expect(jordan).to_contain_text(jordan_mentor)

    # Swap Amara's mentor for the best candidate with room.
    amara = pair(page, "Amara Nwosu")
    amara.get_by_role("link", name=re.compile(r"^Swap")).click()
    expect(amara.get_by_role("heading", name="Other mentors for Amara Nwosu")).to_be_visible()
    candidate = amara.locator(".candidate").first
    new_mentor = candidate.locator(".fw-semibold").first.inner_text().split(" · ")[0].strip()
    candidate.get_by_role("button", name=re.compile(r"^Swap in")).click()
    expect(amara.get_by_role("status")).to_have_text(
        f"Swapped: Amara Nwosu is now paired with {new_mentor} (approved).")
    expect(amara.locator(".badge.decision")).to_have_text("Approved")

    # Ban Chloe's pair: it is rejected and becomes a standing ban of the program.
    chloe = pair(page, "Chloe Dubois")
    chloe.get_by_role("button", name=re.compile(r"^Ban")).click()
    expect(chloe.get_by_role("status")).to_contain_text("Banned and rejected")
    expect(chloe.locator(".badge.decision")).to_have_text("Rejected")

    jordan.get_by_role("button", name=re.compile(r"^Approve")).click()
    expect(jordan.get_by_role("status")).to_have_text("Approved.")
    publish = page.get_by_role("button", name="Publish 2 approved pairs")
    expect(publish).to_be_enabled()
    page.once("dialog", lambda dialog: dialog.accept())
    publish.click()
    expect(page.get_by_text("Published: 2 mentorships created.")).to_be_visible()
    expect(page.locator(".run-state")).to_have_text("Published")
    csp.assert_none(page)

    # Both people hear of it by mail, and see it on their dashboards.
    mails = smtp_sink.wait_for(4, timeout=JOB_TIMEOUT / 1000)
    assert {message["To"] for message in mails} >= {DEMO_LOGINS[Role.STUDENT], jordan_mentor_email}
    for email, heading, other in ((DEMO_LOGINS[Role.STUDENT], "Your mentor", jordan_mentor),
                                  (jordan_mentor_email, "Your mentees", "Jordan Lee")):
        context, person, watch = person_browser(browser, live_server)
        try:
            sign_in(person, email)
            card = person.locator(".card").filter(has=person.get_by_role("heading", name=heading))
            expect(card.get_by_role("heading", name=other)).to_be_visible()
            expect(card).to_contain_text("Career Pathways 2026-27")
            expect(card).to_contain_text("Why you were matched")
            watch.assert_none(person)
        finally:
            context.close()
