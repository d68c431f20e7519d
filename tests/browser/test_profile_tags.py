"""Tags in a real browser: suggestions appear as a person types, a click adds one, a click on a
chip removes one, and the profile saves what the page shows, all under the strict CSP."""

from __future__ import annotations

from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Profile
from portal.tenancy import unscoped


def test_a_student_adds_tags_from_suggestions_and_removes_one(app, page, sign_in, people, csp):
    with app.app_context(), unscoped():
        db.session.query(Profile).filter_by(user_id=people["mentor"].id).one().skills = ["PyTorch"]
        db.session.commit()
    sign_in(people["student"].email)
    page.goto("/profile")
    page.evaluate("window.__stillTheSamePage = true")

    box = page.get_by_label("Add skills")
    box.press_sequentially("Excel, pyt", delay=30)
    suggestion = page.locator("#skills-suggestions").get_by_role("button", name="PyTorch")
    expect(suggestion).to_be_visible()  # used in this institution already
    suggestion.click()
    chips = page.locator("#tags-skills .tag-chips label")
    expect(chips).to_have_text(["Excel", "PyTorch"])
    expect(page.get_by_label("Add skills")).to_be_focused()
    expect(page.get_by_label("Add skills")).to_have_value("")

    page.get_by_label("Add skills").press_sequentially("sql", delay=30)
    chips.filter(has_text="Excel").click()  # unticked: it will not be saved
    assert page.evaluate("window.__stillTheSamePage === true"), "picking a tag reloaded the page"
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status").filter(has_text="Your profile is saved")).to_be_visible()
    expect(page.locator("#tags-skills .tag-chips label")).to_have_text(["PyTorch", "sql"])
    with app.app_context(), unscoped():
        assert db.session.query(Profile).filter_by(user_id=people["student"].id).one().skills == ["PyTorch", "sql"]
    csp.assert_none(page)
