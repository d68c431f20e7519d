"""The bell in a real browser: it counts unread notifications, drops as the student marks them read
(without a page load), and opening one goes where it points."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from portal.extensions import db
from portal.notifications import notify
from portal.tenancy import tenant_scope


def test_the_bell_follows_what_the_student_reads(app, people, page, sign_in, csp):
    student = people["student"]
    with app.app_context(), tenant_scope(student.institution_id):
        for title, link in (("Priya Raman accepted your request", "/account/settings"),
                            ("Your request to Marcus Okafor expired", ""),
                            ("Elena Novak declined your request", "")):
            notify(student.id, "request_update", title, "Open the portal for details.", link,
                   institution_id=student.institution_id, email=False)
        db.session.commit()
    sign_in(student.email)
    bell = page.locator("#notification-bell")
    expect(bell).to_have_accessible_name(re.compile(r"Notifications\s*3 unread"))

    bell.click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    page.evaluate("window.__stillTheSamePage = true")
    page.get_by_role("button", name="Mark as read: Elena Novak declined your request").click()
    expect(bell).to_have_accessible_name(re.compile(r"Notifications\s*2 unread"))
    expect(page.locator(".notification-item.is-unread")).to_have_count(2)
    assert page.evaluate("window.__stillTheSamePage === true"), "marking read reloaded the page"

    page.get_by_role("button", name="Priya Raman accepted your request", exact=True).click()
    expect(page).to_have_url(re.compile(r"/account/settings$"))
    expect(bell).to_have_accessible_name(re.compile(r"Notifications\s*1 unread"))

    page.goto("/notifications")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("Marked 1 notification as read.")).to_be_visible()
    expect(bell).to_have_accessible_name("Notifications")
    expect(page.locator(".notification-item.is-unread")).to_have_count(0)
    csp.assert_none(page)
