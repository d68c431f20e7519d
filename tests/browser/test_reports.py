"""The reports dashboard in a real browser: the charts show under the strict CSP, and choosing a program
updates the report in place with a shareable address."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.test_reports_world import report_world  # noqa: F401  (the fixture)


def test_an_admin_reads_the_dashboard_and_narrows_it_to_a_program(page, sign_in, people, report_world, csp):
    sign_in(people["admin"].email)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="All programs")).to_be_visible()
    charts = page.locator("#report-body svg[role=img]")
    expect(charts).to_have_count(5)  # match rate by program, engagement, participants, ratings, goals
    for index in range(5):
        expect(charts.nth(index)).to_be_visible()
    box = charts.first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100, box
    expect(page.locator('[data-figure="match"]')).to_contain_text("57.1 %")

    page.evaluate("window.__stillTheSamePage = true")
    page.get_by_label("Program", exact=True).select_option(label="Career Launch")
    expect(page.get_by_role("heading", name="Career Launch", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"[?&]program={report_world.career}"))
    expect(page.locator('[data-figure="match"]')).to_contain_text("50 %")
    expect(page.locator(".report-key-result")).to_contain_text("3 of 10 final-year students guided")
    expect(charts).to_have_count(4)
    assert page.evaluate("window.__stillTheSamePage === true"), "the filter reloaded the whole page"

    page.get_by_text("The numbers behind this chart").first.click()
    expect(page.get_by_role("columnheader", name="Completed sessions")).to_be_visible()
    csp.assert_none(page)
