"""The foundation journey in a real browser: sign in, find people, deactivate one, sign out."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import open_menu_entry


def main_navigation(page):
    return page.get_by_role("navigation", name="Main navigation")


def test_admin_finds_and_deactivates_a_person_then_signs_out(page, sign_in, people, csp):
    sign_in(people["admin"].email)
    expect(page.get_by_role("heading", name="Welcome, Dana")).to_be_visible()

    open_menu_entry(page, "People", menu="People")
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    rows = page.locator("#people-results tbody tr")
    expect(rows).to_have_count(3)  # Dana, Priya and Jordan; Lakeshore's people never show

    # A full page load would wipe this marker; the live search must only swap the table.
    page.evaluate("window.__stillTheSamePage = true")
    page.get_by_label("Search by name or email").press_sequentially("Priya", delay=30)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Priya Raman")
    expect(page).to_have_url(re.compile(r"[?&]q=Priya"))
    assert page.evaluate("window.__stillTheSamePage === true"), "the search reloaded the whole page"
    expect(page.get_by_text("1 person shown")).to_be_visible()

    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    rows.first.get_by_role("button", name="Deactivate Priya Raman").click()
    row = page.locator(f"#person-{people['mentor'].id}")
    expect(row).to_contain_text("Deactivated")
    expect(row.get_by_role("status")).to_have_text("Priya Raman is deactivated and has been signed out.")
    expect(row.get_by_role("button", name="Reactivate Priya Raman")).to_be_visible()
    assert dialogs and "Deactivate Priya Raman?" in dialogs[0]
    assert page.evaluate("window.__stillTheSamePage === true"), "deactivating reloaded the whole page"

    page.get_by_role("button", name="Dana").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text("You've signed out")).to_be_visible()
    csp.assert_none(page)


def test_student_sees_their_dashboard_without_admin_navigation(page, sign_in, people, csp):
    sign_in(people["student"].email)
    expect(page.get_by_role("heading", name="Welcome, Jordan")).to_be_visible()
    expect(page.get_by_text("Alumni who have walked your path are here to help.")).to_be_visible()
    navigation = main_navigation(page)
    expect(navigation.get_by_role("link", name="Dashboard")).to_be_visible()
    expect(navigation.get_by_role("link", name="People")).to_have_count(0)
    csp.assert_none(page)


def test_a_stale_csrf_token_refreshes_the_page_with_a_message(page, sign_in, people, csp):
    sign_in(people["admin"].email)
    page.goto("/admin/people")
    # A page left open too long holds an old token everywhere: the htmx header on <body>
    # and each form's hidden field (which Flask-WTF reads before the header).
    page.evaluate("""() => {
        document.body.setAttribute("hx-headers", '{"X-CSRFToken": "stale"}');
        document.querySelectorAll("input[name=csrf_token]").forEach((input) => { input.value = "stale"; });
        window.__stillTheSamePage = true;
    }""")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Deactivate Priya Raman").click()

    expect(page.get_by_role("alert")).to_contain_text("Your page had been open a long time, so we refreshed it")
    assert page.evaluate("window.__stillTheSamePage === undefined"), "the page was not refreshed"
    row = page.locator(f"#person-{people['mentor'].id}")
    expect(row).to_contain_text("Active")  # nothing happened behind the person's back
    expect(row.get_by_role("button", name="Deactivate Priya Raman")).to_be_visible()
    csp.assert_none(page)


def test_an_htmx_click_after_the_session_ended_leads_to_sign_in(page, context, sign_in, people, csp):
    sign_in(people["admin"].email)
    page.goto("/admin/people")
    # A stylesheet still loading would set the refreshed session cookie again after the clear.
    page.wait_for_load_state("networkidle")
    context.clear_cookies()  # e.g. signed out in another tab, or the session expired
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Deactivate Priya Raman").click()

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("so we refreshed it")
    csp.assert_none(page)


def test_the_people_list_fits_a_phone_screen(page, sign_in, people, csp):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(people["admin"].email)
    page.goto("/admin/people")
    row = page.locator(f"#person-{people['mentor'].id}")
    expect(row).to_contain_text(people["mentor"].email)
    expect(row.get_by_role("button", name="Deactivate Priya Raman")).to_be_in_viewport()
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390, f"the page scrolls sideways on a phone ({page_width}px wide)"
    csp.assert_none(page)
