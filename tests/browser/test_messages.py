"""Messages in two real browsers: the mentor sends, the student's open thread shows it without a reload,
the reply travels back the same way, and the menu counts what the student has not read yet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.tenancy import tenant_scope
from tests.access.messages import make_pair
from tests.browser.conftest import new_context, sign_in_on


@pytest.fixture
def pair(app, institution, people) -> int:
    with app.app_context(), tenant_scope(institution.id):
        return make_pair(institution.id)


@pytest.fixture
def mentor_page(browser, live_server, csp):
    """The mentor's own browser profile, beside the student's."""
    context = new_context(browser, live_server, csp)
    page = context.new_page()
    page.on("console", csp.record_console)
    yield page
    context.close()


def test_a_message_reaches_the_open_thread_without_a_reload(page, mentor_page, sign_in, pair, people, csp):
    sign_in(people["student"].email)
    page.goto(f"/mentorships/{pair}/messages")
    expect(page.get_by_text("No messages yet.")).to_be_visible()
    page.evaluate("window.__stillTheSamePage = true")

    sign_in_on(mentor_page, people["mentor"].email)
    mentor_page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Messages").click()
    mentor_page.get_by_role("link", name=re.compile("Jordan Lee")).click()
    mentor_page.evaluate("window.__stillTheSamePage = true")
    mentor_page.get_by_label("Message", exact=True).fill("Hi Jordan! Does Thursday at 5 pm work for a first call?")
    mentor_page.get_by_role("button", name="Send").click()
    mentor_list = mentor_page.locator("#message-list .message")
    expect(mentor_list).to_have_count(1)
    expect(mentor_list.first).to_contain_text("You")
    expect(mentor_page.get_by_label("Message", exact=True)).to_have_value("")
    expect(mentor_page.get_by_text("No messages yet.")).to_be_hidden()

    student_list = page.locator("#message-list .message")
    expect(student_list).to_have_count(1, timeout=20000)  # the next poll (every 5 s) brings it
    expect(student_list.first).to_contain_text("Priya Raman")
    expect(student_list.first).to_contain_text("Does Thursday at 5 pm work for a first call?")
    assert page.evaluate("window.__stillTheSamePage === true"), "the student's page was reloaded"

    page.get_by_label("Message", exact=True).fill("Thursday works. See you then!")
    page.get_by_role("button", name="Send").click()
    expect(student_list).to_have_count(2)
    expect(mentor_list).to_have_count(2, timeout=20000)
    expect(mentor_list.last).to_contain_text("Thursday works. See you then!")
    assert mentor_page.evaluate("window.__stillTheSamePage === true"), "the mentor's page was reloaded"

    # An empty message is refused in place, with the reason beside the box.
    mentor_page.get_by_role("button", name="Send").click()
    expect(mentor_page.get_by_role("alert")).to_contain_text("Your message is empty")
    # The student reads elsewhere; a new message shows up as a count in the menu.
    page.goto("/messages")
    menu_link = page.get_by_role("navigation", name="Main navigation").get_by_role("link", name=re.compile("Messages"))
    expect(menu_link).not_to_contain_text("new")
    mentor_page.get_by_label("Message", exact=True).fill("Also: please bring your CV.")
    mentor_page.get_by_role("button", name="Send").click()
    expect(mentor_list).to_have_count(3)
    page.reload()
    expect(menu_link).to_contain_text("1 new")
    expect(page.get_by_text("1 new message")).to_be_visible()
    page.get_by_role("link", name=re.compile("Priya Raman")).click()
    expect(page.locator("#message-list .message")).to_have_count(3)
    expect(page.locator("#first-unread")).to_be_visible()
    expect(menu_link).not_to_contain_text("new")
    expect(mentor_list).to_have_count(3)  # nothing arrived twice
    csp.assert_none(page)
    csp.assert_none(mentor_page)
