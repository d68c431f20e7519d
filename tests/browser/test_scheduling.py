"""Scheduling in a real browser: a mentor sets availability; a student in another timezone sees the
open slots in their own time, books one, and downloads the session's .ics."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import icalendar
from playwright.sync_api import expect

from tests.browser.conftest import open_menu_entry
from tests.test_scheduling import meetings, pair  # noqa: F401  (pair is a fixture)

SHOTS = Path("/tmp/shots/scheduling")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_mentor_publishes_a_window_and_a_student_books_it_in_their_own_time(app, browser, live_server, csp, pair,
                                                                              people, institution):
    from tests.browser.conftest import RECORD_CSP_VIOLATIONS

    def new_page():
        context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900},
                                      accept_downloads=True)
        context.set_default_timeout(15000)
        context.expose_binding("__portalReportCsp", csp.record_violation)
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        page = context.new_page()
        page.on("console", csp.record_console)
        return context, page

    def sign_in(page, email):
        from tests.factories import DEFAULT_PASSWORD

        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    # The mentor (New York) adds Tuesdays 17:00-19:00 without leaving the page.
    mentor_context, page = new_page()
    sign_in(page, people["mentor"].email)
    open_menu_entry(page, "Availability", menu=people["mentor"].name.split()[0])
    expect(page.get_by_role("heading", name="Your availability")).to_be_visible()
    expect(page.get_by_text("America/New York")).to_be_visible()
    page.evaluate("window.__stillTheSamePage = true")
    page.get_by_label("Day", exact=True).select_option("Tuesday")
    page.get_by_label("From").fill("17:00")
    page.get_by_label("Until").fill("19:00")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Added: Tuesdays 17:00–19:00.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove Tuesday 17:00–19:00")).to_be_visible()
    assert page.evaluate("window.__stillTheSamePage === true"), "adding a window reloaded the page"
    shot(page, "availability")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "availability-mobile")
    mentor_context.close()

    # The student (London) sees Tuesdays from 22:00 to 23:00 for an hour, and 23:30 too for half an hour.
    student_context, page = new_page()
    sign_in(page, people["student"].email)
    page.goto(f"/mentorships/{pair}/sessions")
    expect(page.get_by_role("heading", name="Book a session")).to_be_visible()
    expect(page.get_by_text("shown in your timezone (Europe/London)")).to_be_visible()
    slots = page.locator("#booking-slots label.slot-button")
    expect(slots.first).to_have_text("22:00")
    expect(page.locator("#booking-slots label", has_text="23:30")).to_have_count(0)
    page.evaluate("window.__stillTheSamePage = true")
    page.get_by_label("Length", exact=True).select_option("30")
    expect(page.locator("#booking-slots label", has_text="23:30").first).to_be_visible()
    assert page.evaluate("window.__stillTheSamePage === true"), "changing the length reloaded the page"
    shot(page, "sessions-booking")

    first_day = page.locator("#booking-slots fieldset").first
    first_day.get_by_text("22:30").click()
    page.get_by_label("How you will meet").select_option("Video call")
    page.get_by_label("Video link, phone number or place").fill("https://meet.example.com/priya-jordan")
    page.get_by_label("Agenda", exact=True).fill("Internship applications, and a mock interview")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("Booked and confirmed")).to_be_visible()
    expect(page.locator(".session-time")).to_contain_text("22:30 – 23:00 GMT")
    expect(page.get_by_text("for Priya:")).to_contain_text("17:30 EST")
    shot(page, "session")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    [event] = icalendar.Calendar.from_ical(Path(download.path()).read_bytes()).walk("VEVENT")
    [meeting] = meetings(app, institution)
    assert str(event["UID"]) == meeting.uid
    start = event.decoded("DTSTART")
    assert start == meeting.starts_at and start.astimezone(timezone.utc).strftime("%H:%M") == "22:30"
    assert start > datetime.now(timezone.utc)

    page.goto(f"/mentorships/{pair}/sessions")
    expect(page.locator(".session-list").first).to_contain_text("22:30")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "sessions-mobile")
    csp.assert_none(page)
    student_context.close()
