"""Goals in a real browser: a student opens the mentorship, writes a SMART goal while the checklist beside the
form follows every letter, then breaks it into milestones and records progress, all without a page load."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from portal.tenancy import unscoped
from tests.access.workspace import make_mentorship


@pytest.fixture
def pair(app, institution, people):
    with app.app_context(), unscoped():
        return make_mentorship(institution.id, ends_on=date.today() + timedelta(days=200))


def test_a_student_sets_a_smart_goal_with_guidance_and_updates_it_in_place(page, sign_in, people, pair, csp):
    sign_in(people["student"].email)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Mentorships").click()
    page.get_by_role("link", name="Priya Raman").click()
    expect(page.get_by_role("heading", name="Your mentorship with Priya Raman")).to_be_visible()
    expect(page.get_by_text("Before your first session")).to_be_visible()
    page.get_by_role("navigation", name="Mentorship sections").get_by_role("link", name="Goals").click()
    page.get_by_role("link", name="Set a SMART goal").click()

    guidance = page.get_by_role("complementary", name="Goal guidance")
    expect(guidance).to_contain_text("A SMART goal is…")
    expect(guidance).to_contain_text("Choose a target date.")
    page.evaluate("window.__stillTheSamePage = true")
    page.get_by_role("textbox", name="Goal", exact=True).fill("Land a summer internship in fintech")
    page.get_by_label("What you'll measure or try").fill("Applications sent to 10 fintech firms")
    expect(guidance).to_contain_text("You can count it.")
    expect(guidance).to_contain_text("Your title says what you'll do.")
    page.get_by_label("Target date").fill((date.today() + timedelta(days=60)).isoformat())
    expect(guidance).to_contain_text("(in 8 weeks)")
    expect(guidance).not_to_contain_text("Choose a target date.")
    page.locator("label", has_text="REAL").click()
    expect(guidance).to_contain_text("A REAL goal is…")
    expect(guidance).to_contain_text("Experimental")
    page.locator("label", has_text="SMART").click()
    expect(guidance).to_contain_text("Time-bound")
    assert page.evaluate("window.__stillTheSamePage === true"), "the checklist reloaded the page"
    page.get_by_label("Why it matters").fill("I want to test whether fintech suits me before I graduate.")
    page.get_by_role("button", name="Set this goal").click()

    expect(page.get_by_role("heading", name="Land a summer internship in fintech", level=2)).to_be_visible()
    expect(page.get_by_text("Your goal “Land a summer internship in fintech” is set.")).to_be_visible()
    page.evaluate("window.__stillTheSamePage = true")
    for title in ("Résumé reviewed by Priya", "Ten applications sent"):
        page.get_by_label("New milestone").fill(title)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_text(f"Milestone added: “{title}”.")).to_be_visible()
    page.get_by_role("button", name="Mark as reached: Résumé reviewed by Priya").click()
    expect(page.get_by_text("1 of 2 reached")).to_be_visible()
    expect(page.locator(".goal-big-number")).to_have_text(re.compile(r"50\s*%"))

    page.get_by_label("Progress (%)").fill("60")
    page.get_by_label("Note").fill("Sent six applications; two replies so far.")
    page.get_by_role("button", name="Record progress").click()
    expect(page.get_by_text("Progress recorded: 60%, in progress.")).to_be_visible()
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Jordan updated progress · 50% → 60%")
    expect(history).to_contain_text("Sent six applications; two replies so far.")
    assert page.evaluate("window.__stillTheSamePage === true"), "a goal update reloaded the page"

    page.get_by_role("link", name="Goals", exact=True).first.click()
    expect(page.get_by_role("region", name="Working on")).to_contain_text("60%")
    csp.assert_none(page)
