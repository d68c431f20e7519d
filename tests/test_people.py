"""Admins look after their people: search as you type (htmx), deactivate and reactivate."""

from __future__ import annotations

HTMX = {"HX-Request": "true", "HX-Target": "people-results"}


def test_search_answers_a_fragment_for_htmx_and_a_page_without(admin_client, people):
    fragment = admin_client.get("/admin/people?q=priya", headers=HTMX)
    body = fragment.get_data(as_text=True)
    assert not body.lstrip().startswith("<!doctype")
    assert "Priya Raman" in body and "Jordan Lee" not in body
    assert "HX-Request" in fragment.headers["Vary"]
    page = admin_client.get("/admin/people?q=priya").get_data(as_text=True)
    assert page.lstrip().startswith("<!doctype html>")
    assert 'value="priya"' in page and "Priya Raman" in page and "Jordan Lee" not in page


def test_filters_by_role_and_status(admin_client, people):
    mentors = admin_client.get("/admin/people?role=mentor").get_data(as_text=True)
    assert "Priya Raman" in mentors and "Jordan Lee" not in mentors
    admin_client.post(f"/admin/people/{people['student'].id}/deactivate")
    gone = admin_client.get("/admin/people?status=deactivated").get_data(as_text=True)
    assert "Jordan Lee" in gone and "Priya Raman" not in gone


def test_an_empty_search_says_what_to_try(admin_client, people):
    body = admin_client.get("/admin/people?q=zzzz", headers=HTMX).get_data(as_text=True)
    assert "No one matches “zzzz”" in body and "clear the filters" in body


def test_deactivate_with_htmx_returns_the_updated_row(admin_client, people):
    response = admin_client.post(f"/admin/people/{people['mentor'].id}/deactivate", headers={"HX-Request": "true"})
    row = response.get_data(as_text=True)
    assert row.lstrip().startswith(f'<tr id="person-{people["mentor"].id}"')
    assert "Deactivated" in row and "has been signed out" in row and "Reactivate" in row
    response = admin_client.post(f"/admin/people/{people['mentor'].id}/reactivate", headers={"HX-Request": "true"})
    assert "can sign in again" in response.get_data(as_text=True)


def test_person_page_shows_the_profile_and_an_empty_state(admin_client, people):
    page = admin_client.get(f"/admin/people/{people['mentor'].id}").get_data(as_text=True)
    assert "Priya Raman" in page and "hasn't filled in a profile yet" in page
