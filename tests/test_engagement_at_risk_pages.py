"""The list of pairs at risk a page at a time: the most worrying first, counted in full, nudged from
any page, every pair of a page ticked at once."""

from __future__ import annotations

import re

import pytest

from portal.engagement import at_risk_pairs
from portal.extensions import db
from portal.models import (
    Mentorship, MentorshipOrigin, MentorshipParticipant, Nudge, ParticipantRole, Role, User, UserStatus,
)
from portal.tenancy import tenant_scope, unscoped
from tests.test_engagement import (  # noqa: F401 (in_app_context is a fixture)
    ago, enroll, in_app_context, make_meeting, make_pair, make_program, rate, text, write,
)
from tests.test_engagement_at_risk import cast, count  # noqa: F401 (cast is a fixture)

pytestmark = pytest.mark.usefixtures("in_app_context")

def pairs_that_never_met(app, institution, program_id, mentor, started_days_ago: list[float]) -> list[int]:
    """Make a pair of the mentor with a new mentee for each start, none of which ever met, in one flush."""
    with app.app_context(), unscoped():
        pairs = []
        for number, days in enumerate(started_days_ago, 1):
            mentee = User(institution_id=institution.id, email=f"mentee{number:03d}@crowd.example.edu",
                          first_name="Mentee", last_name=f"{number:03d}", role=Role.STUDENT, status=UserStatus.ACTIVE)
            pairs.append(Mentorship(
                institution_id=institution.id, program_id=program_id, origin=MentorshipOrigin.ADMIN_MANUAL,
                started_at=ago(days), participants=[
                    MentorshipParticipant(institution_id=institution.id, user_id=mentor.id,
                                          role=ParticipantRole.MENTOR),
                    MentorshipParticipant(institution_id=institution.id, user=mentee, role=ParticipantRole.MENTEE)]))
        db.session.add_all(pairs)
        db.session.flush()
        ids = [pair.id for pair in pairs]
        db.session.commit()
        return ids


@pytest.fixture
def crowd(app, institution, cast):
    """57 pairs at risk, in the order the list shows them: two reasons first (since 25 days), then the longest
    standing reason first (54 pairs that never met, from 99 to 46 days; an unanswered message of 70.5 days
    among them), and a low rating last (it counts from now)."""
    p, mentor = cast["program"], cast["mentor"]
    troubled = make_pair(institution, p, mentor, cast["Amara"], started_days_ago=25)
    rate(institution, make_meeting(institution, troubled, mentor, days_ago=24), cast["Amara"], 1, days_ago=23)
    waiting = make_pair(institution, p, mentor, cast["Jordan"])
    make_meeting(institution, waiting, mentor, days_ago=3)
    write(institution, waiting, cast["Jordan"], days_ago=70.5)
    low = make_pair(institution, p, mentor, cast["Lucas"])
    rate(institution, make_meeting(institution, low, mentor, days_ago=3), cast["Lucas"], 2, days_ago=2)
    never_met = pairs_that_never_met(app, institution, p, mentor, [100 - number for number in range(1, 55)])
    return [troubled, *never_met[:29], waiting, *never_met[29:], low]


def rows(response) -> list[int]:
    """Return the pairs listed on the page, top to bottom."""
    assert response.status_code == 200
    return [int(found) for found in re.findall(r'<tr id="pair-(\d+)"', text(response))]


def test_the_list_shows_fifty_pairs_a_page_the_most_worrying_first_and_counts_them_all(
        app, institution, crowd, admin_client):
    first = admin_client.get("/reports/at-risk")
    assert rows(first) == crowd[:50]
    page = text(first)
    assert "57 pairs at risk" in page and "No recent session: 55" in page
    assert "Low last rating: 2" in page and "Unanswered message: 1" in page
    assert "Showing 1–50 of 57" in page and 'href="/reports/at-risk?page=2"' in page
    assert "Mentee 001" in page and "Mentee 049" not in page
    second = admin_client.get("/reports/at-risk?page=2")
    assert rows(second) == crowd[50:]
    assert "57 pairs at risk" in text(second) and "Showing 51–57 of 57" in text(second)
    assert "Jordan Lee's message has waited 70 days for a reply" in page
    assert "Last session rated 2 out of 5" in text(second)
    # A page past the end shows the last one; a page that is not a number, the first.
    assert rows(admin_client.get("/reports/at-risk?page=9")) == crowd[50:]
    assert rows(admin_client.get("/reports/at-risk?page=abc")) == crowd[:50]
    assert rows(admin_client.get("/reports/at-risk?page=-3")) == crowd[:50]
    # A page link swaps the list in place.
    fragment = admin_client.get("/reports/at-risk?page=2", headers={"HX-Request": "true",
                                                                      "HX-Target": "at-risk-region"})
    assert rows(fragment) == crowd[50:] and "<html" not in text(fragment)
    # The weekly digest still gets every pair at risk, in the same order.
    with app.app_context(), tenant_scope(institution.id):
        assert [pair.mentorship_id for pair in at_risk_pairs()] == crowd


def test_the_program_filter_and_the_page_go_together(app, institution, cast, crowd, admin_client):
    elsewhere = make_program(institution, "Weekly Sprint", session_cadence_days=7)
    enroll(institution, elsewhere, cast["Mia"])
    other = make_pair(institution, elsewhere, cast["mentor"], cast["Mia"], started_days_ago=300)
    everything = admin_client.get("/reports/at-risk")
    assert rows(everything)[:2] == [crowd[0], other] and "58 pairs at risk" in text(everything)
    program = cast["program"]
    second = admin_client.get(f"/reports/at-risk?program={program}&page=2")
    assert rows(second) == crowd[50:]
    page = text(second)
    assert "57 pairs at risk" in page and f'href="/reports/at-risk?program={program}&amp;page=1"' in \
        second.get_data(as_text=True)
    assert rows(admin_client.get(f"/reports/at-risk?program={elsewhere}&page=2")) == [other]


def test_a_nudge_from_the_second_page_comes_back_to_it(app, institution, cast, crowd, admin_client):
    program = cast["program"]
    response = admin_client.post("/reports/at-risk/nudge", data={"only": str(crowd[55]), "page": "2"})
    assert response.status_code == 302 and response.headers["Location"] == "/reports/at-risk?page=2"
    back = admin_client.get(response.headers["Location"])
    assert rows(back) == crowd[50:] and "Nudged 1 pair: Priya Raman & Mentee 054." in text(back)
    assert f'id="choose-{crowd[55]}" disabled' in text(back)
    response = admin_client.post("/reports/at-risk/nudge", data={"only": str(crowd[56]), "page": "2",
                                                                  "program": str(program)})
    assert response.headers["Location"] == f"/reports/at-risk?program={program}&page=2"
    fragment = admin_client.post("/reports/at-risk/nudge", headers={"HX-Request": "true"},
                                 data={"only": str(crowd[54]), "page": "2", "program": str(program)})
    assert rows(fragment) == crowd[50:] and "Nudged 1 pair: Priya Raman & Mentee 053." in text(fragment)
    assert 'name="page" value="2"' in text(fragment)
    # A page that is not a number does not stop the nudge: the admin lands on the first page.
    response = admin_client.post("/reports/at-risk/nudge", data={"only": str(crowd[1]), "page": "two"})
    assert response.headers["Location"] == "/reports/at-risk"
    assert count(app, Nudge) == 4


def test_every_pair_of_a_page_can_be_ticked_at_once_but_not_one_nudged_this_week(
        app, institution, cast, crowd, admin_client):
    admin_client.post("/reports/at-risk/nudge", data={"only": str(crowd[50]), "page": "2"})
    ticked = admin_client.get("/reports/at-risk?page=2&tick=all", headers={"HX-Request": "true",
                                                                            "HX-Target": "at-risk-region"})
    page = text(ticked)
    assert rows(ticked) == crowd[50:]
    assert all(f'id="choose-{pair}" checked' in page for pair in crowd[51:])
    assert f'id="choose-{crowd[50]}" disabled' in page  # nudged this week: not ticked
    assert "Untick all" in page and 'href="/reports/at-risk?page=2"' in page
    plain = text(admin_client.get("/reports/at-risk?page=2"))
    assert not any(f'id="choose-{pair}" checked' in plain for pair in crowd[51:])
    assert 'href="/reports/at-risk?tick=all&page=2"' in plain and "Tick every pair on this page" in plain
    # Sending the ticked page nudges all of them.
    response = admin_client.post("/reports/at-risk/nudge", data={"mentorship_ids": [str(pair) for pair in crowd[51:]],
                                                                  "page": "2"})
    assert response.status_code == 302
    assert count(app, Nudge) == 1 + len(crowd[51:])


def test_a_nudge_of_many_pairs_names_the_first_five_and_counts_the_rest(app, institution, cast, crowd, admin_client):
    response = admin_client.post("/reports/at-risk/nudge", headers={"HX-Request": "true"},
                                 data={"mentorship_ids": [str(pair) for pair in crowd[1:9]]})
    page = text(response)
    assert "Nudged 8 pairs: Priya Raman & Mentee 001; Priya Raman & Mentee 002;" in page
    assert "Priya Raman & Mentee 005; and 3 more. Both sides got a message and an email." in page
    assert "Mentee 006;" not in page.split("Both sides got")[0]
