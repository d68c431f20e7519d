"""Finding a mentor in a real browser: a misspelt skill updates the results as the student types,
without a page load and with a shareable address; the student opens a mentor and reads why they fit."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.test_directory import world  # noqa: F401  (the fixture)


def test_a_student_finds_a_mentor_by_a_misspelt_skill_and_reads_why_they_fit(page, sign_in, world, csp):
    sign_in(world.student.email)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Find a mentor").click()
    expect(page.get_by_role("heading", name="Find a mentor")).to_be_visible()
    cards = page.locator("#mentor-cards article")
    expect(cards).to_have_count(5)

    # A full page load would wipe this marker; typing must only swap the results.
    page.evaluate("window.__stillTheSamePage = true")
    page.get_by_label("Search mentors").press_sequentially("pyhton", delay=40)
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("Dev Patel")  # the best fit for Jordan comes first
    expect(page.locator("#directory-results")).to_contain_text("you typed “pyhton”")
    expect(page).to_have_url(re.compile(r"[?&]q=pyhton"))
    assert page.evaluate("window.__stillTheSamePage === true"), "the search reloaded the whole page"

    page.get_by_label("Has a free spot").check()
    expect(page).to_have_url(re.compile(r"free_spot=y"))
    expect(cards).to_have_count(2)
    assert page.evaluate("window.__stillTheSamePage === true"), "a filter reloaded the whole page"

    cards.first.get_by_role("link", name="Dev Patel").click()
    expect(page.get_by_role("heading", name="Dev Patel")).to_be_visible()
    why = page.get_by_role("region", name="Why this mentor")
    expect(why).to_contain_text("Shared skills: Python and Data analysis")
    expect(why).to_contain_text("Same city (Boston)")
    expect(why.locator("meter")).to_be_visible()
    expect(page.get_by_text("2 of 2 spots open")).to_be_visible()

    # Back to the results the student had.
    page.get_by_role("link", name="Find a mentor").last.click()
    expect(page.get_by_label("Search mentors")).to_have_value("pyhton")
    expect(cards).to_have_count(2)
    csp.assert_none(page)
