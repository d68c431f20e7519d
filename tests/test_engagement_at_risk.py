"""Pairs at risk, with the reasons; nudges to one pair or to all selected, never twice in a week."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.engagement import at_risk_pairs, nudge_pairs
from portal.extensions import db
from portal.models import Notification, Nudge, utcnow
from portal.tenancy import tenant_scope, unscoped
from tests.concurrency import while_open
from tests.test_engagement import (  # noqa: F401 (in_app_context is a fixture)
    ago, enroll, in_app_context, make_meeting, make_pair, make_program, person, rate, text, write,
)

pytestmark = pytest.mark.usefixtures("in_app_context")


def reasons(app, institution, program_id=None) -> dict[int, list[str]]:
    with app.app_context(), tenant_scope(institution.id):
        return {pair.mentorship_id: [reason.text for reason in pair.reasons]
                for pair in at_risk_pairs(program_id)}


@pytest.fixture
def cast(app, institution, people):
    """A program with a 14-day cadence (late after 1.5 x 14 = 21 days), its mentor and a few mentees."""
    program = make_program(institution, session_cadence_days=14)
    names = {"mentor": people["mentor"], "Jordan": people["student"]}
    for first, last in (("Amara", "Nwosu"), ("Lucas", "Ferreira"), ("Mia", "Chen"), ("Noah", "Kim")):
        names[first] = person(institution, "student", first, last)
    for name, ref in names.items():
        enroll(institution, program, ref, "mentor" if name == "mentor" else "mentee")
    return {"program": program, **names}


def test_a_pair_is_at_risk_once_it_has_not_met_for_one_and_a_half_cadences(app, institution, cast):
    p, mentor = cast["program"], cast["mentor"]
    quiet = make_pair(institution, p, mentor, cast["Jordan"])
    make_meeting(institution, quiet, mentor, days_ago=30)  # 30 days > 21: late
    on_track = make_pair(institution, p, mentor, cast["Amara"])
    make_meeting(institution, on_track, mentor, days_ago=20)  # 20 days <= 21: fine
    booked = make_pair(institution, p, mentor, cast["Lucas"])
    make_meeting(institution, booked, mentor, days_ago=40)
    make_meeting(institution, booked, mentor, days_ago=-5, status="confirmed")  # confirmed, 5 days ahead <= 21
    far = make_pair(institution, p, mentor, cast["Mia"])
    make_meeting(institution, far, mentor, days_ago=40)
    make_meeting(institution, far, mentor, days_ago=-30, status="confirmed")  # 30 days ahead > 21: still late
    new = make_pair(institution, p, mentor, cast["Noah"], started_days_ago=10)  # 10 <= 21 days to arrange one
    assert new
    found = reasons(app, institution)
    assert found == {
        quiet: ["No session for 30 days (expected every 14 days)"],
        far: ["No session for 40 days (expected every 14 days)"],
    }


def test_only_completed_or_confirmed_sessions_count_and_a_pair_that_never_met_says_so(app, institution, cast):
    p, mentor = cast["program"], cast["mentor"]
    never = make_pair(institution, p, mentor, cast["Jordan"], started_days_ago=25)  # 25 > 21, no session
    shaky = make_pair(institution, p, mentor, cast["Amara"], started_days_ago=60)
    make_meeting(institution, shaky, mentor, days_ago=2, status="proposed")
    make_meeting(institution, shaky, mentor, days_ago=1, status="cancelled")
    make_meeting(institution, shaky, mentor, days_ago=3, status="no_show")
    make_meeting(institution, shaky, mentor, days_ago=50)  # the last one held
    held = make_pair(institution, p, mentor, cast["Lucas"], started_days_ago=60)
    make_meeting(institution, held, mentor, days_ago=6, status="confirmed")  # confirmed, past: counts as met
    ended = make_pair(institution, p, mentor, cast["Mia"], started_days_ago=90, status="ended_early")
    assert held and ended
    assert reasons(app, institution) == {
        never: ["No session yet, 25 days after the start (expected every 14 days)"],
        shaky: ["No session for 50 days (expected every 14 days)"],
    }


def test_the_cadence_is_the_programs_own(app, institution, cast):
    weekly = make_program(institution, "Weekly Sprint", session_cadence_days=7)  # late after 10.5 days
    enroll(institution, weekly, cast["Amara"])
    fortnight = make_pair(institution, cast["program"], cast["mentor"], cast["Jordan"])
    make_meeting(institution, fortnight, cast["mentor"], days_ago=12)  # 12 <= 21: fine every 14 days
    week = make_pair(institution, weekly, cast["mentor"], cast["Amara"])
    make_meeting(institution, week, cast["mentor"], days_ago=12)  # 12 > 10.5: late every 7 days
    assert reasons(app, institution) == {week: ["No session for 12 days (expected every 7 days)"]}
    assert reasons(app, institution, cast["program"]) == {}


def test_a_last_rating_of_two_or_lower_puts_a_pair_at_risk(app, institution, cast):
    p, mentor = cast["program"], cast["mentor"]
    low = make_pair(institution, p, mentor, cast["Jordan"])
    session = make_meeting(institution, low, mentor, days_ago=5)
    rate(institution, session, mentor, 4, days_ago=4)
    rate(institution, session, cast["Jordan"], 2, days_ago=3)  # the latest rating: 2
    recovered = make_pair(institution, p, mentor, cast["Amara"])
    rate(institution, make_meeting(institution, recovered, mentor, days_ago=12), cast["Amara"], 1, days_ago=11)
    rate(institution, make_meeting(institution, recovered, mentor, days_ago=3), cast["Amara"], 3, days_ago=2)
    assert reasons(app, institution) == {low: ["Last session rated 2 out of 5"]}


def test_a_message_left_without_reply_for_over_a_week_puts_a_pair_at_risk(app, institution, people, cast):
    p, mentor = cast["program"], cast["mentor"]
    waiting = make_pair(institution, p, mentor, cast["Jordan"])
    make_meeting(institution, waiting, mentor, days_ago=3)
    write(institution, waiting, cast["Jordan"], days_ago=20)
    write(institution, waiting, mentor, days_ago=15)
    write(institution, waiting, cast["Jordan"], days_ago=9)  # newest, 9 > 7 days, nobody wrote since
    answered = make_pair(institution, p, mentor, cast["Amara"])
    make_meeting(institution, answered, mentor, days_ago=3)
    write(institution, answered, mentor, days_ago=8)
    write(institution, answered, cast["Amara"], days_ago=6)  # newest is 6 <= 7 days old
    fresh = make_pair(institution, p, mentor, cast["Lucas"])
    make_meeting(institution, fresh, mentor, days_ago=3)
    write(institution, fresh, cast["Lucas"], days_ago=6.5)
    outsider = make_pair(institution, p, mentor, cast["Mia"])
    make_meeting(institution, outsider, mentor, days_ago=3)
    write(institution, outsider, people["admin"], days_ago=10)  # not from a participant: no one owes a reply
    assert reasons(app, institution) == {waiting: ["Jordan Lee's message has waited 9 days for a reply"]}


def test_every_reason_is_listed_and_the_most_worrying_pairs_come_first(app, institution, cast):
    p, mentor = cast["program"], cast["mentor"]
    troubled = make_pair(institution, p, mentor, cast["Amara"])
    rate(institution, make_meeting(institution, troubled, mentor, days_ago=25), cast["Amara"], 1, days_ago=24)
    write(institution, troubled, mentor, days_ago=8)
    late = make_pair(institution, p, mentor, cast["Jordan"])
    make_meeting(institution, late, mentor, days_ago=23)
    with app.app_context(), tenant_scope(institution.id):
        pairs = at_risk_pairs()
        assert [pair.mentorship_id for pair in pairs] == [troubled, late]
        assert [reason.text for reason in pairs[0].reasons] == [
            "No session for 25 days (expected every 14 days)", "Last session rated 1 out of 5",
            "Priya Raman's message has waited 8 days for a reply"]
        assert pairs[0].names == "Priya Raman & Amara Nwosu"


def test_the_page_lists_the_pairs_with_the_reasons_and_nothing_of_another_institution(
        app, institution, other_institution, people, cast, admin_client, other_admin_client):
    quiet = make_pair(institution, cast["program"], cast["mentor"], cast["Jordan"])
    make_meeting(institution, quiet, cast["mentor"], days_ago=30)
    page = text(admin_client.get("/reports/at-risk"))
    assert "Pairs at risk" in page and "1 pair at risk" in page and "No recent session: 1" in page
    assert "Priya Raman" in page and "Jordan Lee" in page and "No session for 30 days (expected every 14 days)" in page
    assert f'name="mentorship_ids" value="{quiet}"' in page and "Nudge selected" in page
    filtered = text(admin_client.get(f"/reports/at-risk?program={cast['program']}"))
    assert "No session for 30 days" in filtered
    theirs = text(other_admin_client.get("/reports/at-risk"))
    assert "No pair is at risk" in theirs and "Jordan Lee" not in theirs
    assert other_admin_client.get(f"/reports/at-risk?program={cast['program']}").status_code == 404
    assert admin_client.get("/reports/at-risk?program=abc").status_code == 404


# --- nudges ----------------------------------------------------------------------------------------


@pytest.fixture
def late_pairs(institution, cast):
    """Two late pairs: Priya & Jordan (last met 30 days ago) and Priya & Amara (never met in 25 days)."""
    quiet = make_pair(institution, cast["program"], cast["mentor"], cast["Jordan"])
    make_meeting(institution, quiet, cast["mentor"], days_ago=30)
    never = make_pair(institution, cast["program"], cast["mentor"], cast["Amara"], started_days_ago=25)
    return quiet, never


def count(app, model, **where) -> int:
    with app.app_context(), unscoped():
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_nudging_the_selected_pairs_mails_both_sides_a_kind_specific_message(
        app, institution, people, late_pairs, admin_client, run_jobs, smtp_sink):
    quiet, never = late_pairs
    response = admin_client.post("/reports/at-risk/nudge", data={
        "mentorship_ids": [str(quiet), str(never)], "note": "We're cheering you on!"}, follow_redirects=True)
    page = text(response)
    assert "Nudged 2 pairs: Priya Raman & Amara Nwosu; Priya Raman & Jordan Lee." in page
    assert "Nudged this week" in page  # both rows now say so, and cannot be chosen again
    with app.app_context(), unscoped():
        nudges = {n.mentorship_id: n for n in db.session.scalars(select(Nudge))}
        assert set(nudges) == {quiet, never}
        assert nudges[quiet].reason == "No session for 30 days (expected every 14 days)"
        assert nudges[quiet].sent_by_id == people["admin"].id and nudges[quiet].message == "We're cheering you on!"
    assert count(app, Notification, kind="nudge") == 4  # mentor and mentee of each pair
    run_jobs()
    mails = {(m["To"], m["Subject"]): smtp_sink.text_of(m) for m in smtp_sink.wait_for(4)}
    assert len(mails) == 4
    to_jordan = mails[(people["student"].email, "Checking in on your mentorship with Priya Raman")]
    assert ("It has been 30 days since your last session, and Career Pathways suggests meeting about every 14 days"
            in to_jordan)
    assert "with Priya this week" in to_jordan
    assert "A note from Dana Whitfield: We're cheering you on!" in to_jordan
    assert f"http://localhost/mentorships/{quiet}" in to_jordan
    to_amara = next(body for (to, _), body in mails.items() if to.startswith("amara"))
    assert "You haven't had a session yet, 25 days after you were paired" in to_amara
    to_priya = [subject for (to, subject) in mails if to == people["mentor"].email]
    assert sorted(to_priya) == ["Checking in on your mentorship with Amara Nwosu",
                                "Checking in on your mentorship with Jordan Lee"]


def test_a_pair_is_never_nudged_twice_in_a_week(app, institution, people, late_pairs, admin_client, run_jobs,
                                                smtp_sink):
    quiet, never = late_pairs
    admin_client.post("/reports/at-risk/nudge", data={"only": str(quiet)})
    response = admin_client.post("/reports/at-risk/nudge", data={"mentorship_ids": [str(quiet), str(never)]},
                                 follow_redirects=True)
    page = text(response)
    assert "Nudged 1 pair: Priya Raman & Amara Nwosu." in page
    assert ("Skipped 1 pair already nudged in the last 7 days, so nobody gets two nudges in a week: "
            "Priya Raman & Jordan Lee.") in page
    assert count(app, Nudge, mentorship_id=quiet) == 1 and count(app, Nudge, mentorship_id=never) == 1
    run_jobs()
    assert len(smtp_sink.wait_for(4)) == 4  # 2 people x 2 pairs, once each
    # Eight days later the quiet pair may be nudged again.
    with app.app_context(), unscoped():
        db.session.scalar(select(Nudge).where(Nudge.mentorship_id == quiet)).created_at = ago(8)
        db.session.commit()
    page = text(admin_client.post("/reports/at-risk/nudge", data={"only": str(quiet)}, follow_redirects=True))
    assert "Nudged 1 pair: Priya Raman & Jordan Lee." in page
    assert count(app, Nudge, mentorship_id=quiet) == 2


def test_bad_nudges_are_refused_with_a_clear_message(app, institution, people, cast, late_pairs, admin_client,
                                                    other_admin_client):
    quiet, _ = late_pairs
    ended = make_pair(institution, cast["program"], cast["mentor"], cast["Lucas"], status="completed")
    cases = [({}, "Choose at least one pair to nudge."),
             ({"mentorship_ids": ["abc"]}, "Choose the pairs to nudge from the list."),
             ({"mentorship_ids": [str(quiet)], "note": "x" * 1001}, "Keep the personal note to 1000 characters."),
             ({"only": str(ended)}, "Skipped 1 pair whose mentorship has ended."),
             ({"mentorship_ids": ["999999"]}, "1 pair could not be found.")]
    for data, message in cases:
        response = admin_client.post("/reports/at-risk/nudge", data=data)
        assert response.status_code == 302
        assert message in text(admin_client.get(response.headers["Location"])), message
    # Another institution's admin cannot nudge our pair, nor learn anything about it.
    page = text(other_admin_client.post("/reports/at-risk/nudge", data={"only": str(quiet)}, follow_redirects=True))
    assert "1 pair could not be found." in page and "Jordan" not in page
    assert other_admin_client.post("/reports/at-risk/nudge", data={"only": str(quiet), "program": str(
        cast["program"])}).status_code == 404
    assert count(app, Nudge) == 0


def test_an_htmx_nudge_answers_with_the_refreshed_list(app, institution, late_pairs, admin_client, cast):
    quiet, never = late_pairs
    response = admin_client.post("/reports/at-risk/nudge", headers={"HX-Request": "true"},
                                 data={"only": str(never), "program": str(cast["program"])})
    fragment = text(response)
    assert response.status_code == 200
    assert '<div id="at-risk-region">' in fragment and "<html" not in fragment
    assert "Nudged 1 pair: Priya Raman & Amara Nwosu." in fragment
    assert f'id="choose-{never}" disabled' in fragment and f'id="choose-{quiet}" disabled' not in fragment
    problem = text(admin_client.post("/reports/at-risk/nudge", headers={"HX-Request": "true"}, data={}))
    assert "Choose at least one pair to nudge." in problem and 'id="at-risk-region"' in problem


def test_two_admins_nudging_the_same_pair_at_once_send_one_nudge(app, institution, people, late_pairs):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    quiet, _ = late_pairs

    def nudge() -> tuple[int, int]:
        outcome = nudge_pairs([quiet], people["admin"].id, now=utcnow())
        return len(outcome.nudged), len(outcome.recently_nudged)

    with app.app_context(), tenant_scope(institution.id):
        first = nudge()  # holds the pair's lock while the other admin tries
        second = while_open(app, nudge, institution_id=institution.id)
    assert (first, second) == ((1, 0), (0, 1))
    assert count(app, Nudge, mentorship_id=quiet) == 1
    assert count(app, Notification, kind="nudge") == 2


def test_the_nudge_interval_is_a_week(app, institution, people, late_pairs):
    quiet, _ = late_pairs
    with app.app_context(), tenant_scope(institution.id):
        now = utcnow()
        assert len(nudge_pairs([quiet], people["admin"].id, now=now - timedelta(days=7, minutes=1)).nudged) == 1
        db.session.commit()
        # 7 days and 1 minute later: allowed again; a minute earlier it would not have been.
        assert len(nudge_pairs([quiet], people["admin"].id, now=now - timedelta(minutes=2)).recently_nudged) == 1
        assert len(nudge_pairs([quiet], people["admin"].id, now=now).nudged) == 1
        db.session.commit()
