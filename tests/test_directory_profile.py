"""A mentor's profile page in the directory: everything a student needs to choose, and why they fit;
nobody outside the student's programs and institution is ever shown."""

from __future__ import annotations

import re

from tests.test_directory import world  # noqa: F401  (the fixture)


def page(client, mentor_id: int, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return client.get(f"/mentors/{mentor_id}" + (f"?{query}" if query else ""))


def test_the_profile_page_shows_the_mentor_and_every_reason_they_fit(student_client, world):
    response = page(student_client, world.dev.id)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for text in ("Dev Patel", "Data scientist in fintech, happy to talk about grad school", "Data Scientist at Lumen Analytics",
                 "Fintech", "Boston, MA", "Class of 2016", "2 of 2 spots open", "Accepting requests", "Career Pathways"):
        assert text in body, text
    why = body[body.index("Why this mentor"):]
    reasons = re.findall(r"<li>([^<]+)</li>", why[:why.index("</section>")])
    assert "Shared skills: Python, Data analysis and SQL" not in reasons  # only what both list
    assert "Shared skills: Python and Data analysis" in reasons
    assert "Same major: Economics" in reasons and "Same city (Boston)" in reasons
    assert len(reasons) >= 4
    score = re.search(r'<meter id="match-score"[^>]* value="([0-9.]+)"', body)
    assert score and 40 < float(score.group(1)) <= 100


def test_a_mentor_who_shares_little_says_what_would_help(student_client, world):
    body = page(student_client, world.priya.id).get_data(as_text=True)
    assert "Priya Raman" in body and "Product at Tailspin" in body
    assert "Add your skills and career interests" in body or "<li>" in body


def test_the_full_mentor_says_so(student_client, world):
    body = page(student_client, world.chloe.id).get_data(as_text=True)
    assert "Full" in body and "spots open" not in body


def test_back_to_results_keeps_the_search(student_client, world):
    body = page(student_client, world.ana.id, back="q%3Dpyhton%26page%3D2").get_data(as_text=True)
    assert 'href="/mentors?q=pyhton&amp;page=2"' in body
    results = student_client.get("/mentors?q=pyhton").get_data(as_text=True)
    assert f'/mentors/{world.ana.id}?back=q%3Dpyhton' in results


def test_mentors_the_student_may_not_see_are_not_found(student_client, world, people):
    for hidden in (world.other_program, world.closed_only, world.deactivated, world.left, world.foreign):
        assert page(student_client, hidden.id).status_code == 404, hidden.name
    assert page(student_client, people["student"].id).status_code == 404  # a student, not a mentor
    assert page(student_client, people["admin"].id).status_code == 404
    assert page(student_client, 999_999).status_code == 404


def test_another_institutions_admin_gets_not_found(other_admin_client, world):
    response = page(other_admin_client, world.ana.id)
    assert response.status_code == 404
    assert "Ana" not in response.get_data(as_text=True)


def test_an_admin_sees_the_profile_without_a_students_reasons(admin_client, world):
    body = page(admin_client, world.other_program.id).get_data(as_text=True)  # any open program
    assert "Omar Haddad" in body and "Why this mentor" not in body and "match-score" not in body
    assert page(admin_client, world.closed_only.id).status_code == 404


def test_mentors_are_refused(mentor_client, world):
    assert page(mentor_client, world.ana.id).status_code == 403
