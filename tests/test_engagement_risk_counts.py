"""The reports panel counts pairs at risk in the database: the same pairs and reasons the list shows.

Also the weekly chart over a long period, which PostgreSQL counts 64 weeks to a number (issue 7).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone

import pytest

from portal.engagement import at_risk_pairs
from portal.engagement.at_risk import RiskKind, risk_summary
from portal.models import SessionFeedback
from portal.reports import ReportFilters
from portal.reports.weekly import weekly_engagement
from portal.tenancy import tenant_scope
from tests.test_engagement import (  # noqa: F401 (in_app_context is a fixture)
    ago, change, enroll, in_app_context, make_meeting, make_pair, make_program, person, rate, write,
)
from tests.test_reports_world import build_world

pytestmark = pytest.mark.usefixtures("in_app_context")


def summary_and_list(app, institution, program_id=None):
    with app.app_context(), tenant_scope(institution.id):
        summary = risk_summary(program_id)
        pairs = at_risk_pairs(program_id)
        listed = Counter(reason.kind for pair in pairs for reason in pair.reasons)
        return summary, pairs, listed


def test_the_counts_match_the_list_including_ratings_given_at_the_same_moment(app, institution, people):
    program = make_program(institution, session_cadence_days=14)
    weekly = make_program(institution, "Weekly Sprint", session_cadence_days=7)
    mentor = people["mentor"]
    students = [person(institution, "student", f"Student{n}", "Tester") for n in range(6)]
    for student in students[:5]:
        enroll(institution, program, student)
    enroll(institution, weekly, students[5])
    # Two ratings of one session at the very same moment: the later one (by id) is the last.
    tie_low = make_pair(institution, program, mentor, students[0])
    session = make_meeting(institution, tie_low, mentor, days_ago=3)
    first, second = rate(institution, session, mentor, 5, days_ago=2), rate(institution, session, students[0], 1,
                                                                            days_ago=2)
    moment = ago(2)
    change(SessionFeedback, first, created_at=moment)
    change(SessionFeedback, second, created_at=moment)
    tie_high = make_pair(institution, program, mentor, students[1])
    session = make_meeting(institution, tie_high, mentor, days_ago=3)
    first, second = rate(institution, session, students[1], 2, days_ago=2), rate(institution, session, mentor, 4,
                                                                                 days_ago=2)
    change(SessionFeedback, first, created_at=moment)
    change(SessionFeedback, second, created_at=moment)
    # Late, with a low rating and a message left unanswered: three reasons.
    troubled = make_pair(institution, program, mentor, students[2])
    rate(institution, make_meeting(institution, troubled, mentor, days_ago=40), students[2], 2, days_ago=39)
    write(institution, troubled, students[2], days_ago=9)
    # Nothing wrong; and a pair of the weekly program, late after 10.5 days.
    fine = make_pair(institution, program, mentor, students[3])
    make_meeting(institution, fine, mentor, days_ago=5)
    write(institution, fine, students[3], days_ago=3)
    late = make_pair(institution, weekly, mentor, students[5])
    make_meeting(institution, late, mentor, days_ago=12)
    make_pair(institution, program, mentor, students[4], status="completed")  # ended: never at risk

    summary, pairs, listed = summary_and_list(app, institution)
    assert {pair.mentorship_id for pair in pairs} == {tie_low, troubled, late}
    assert summary.pairs == 3 and summary.by_kind == listed
    assert summary.by_kind == {RiskKind.NO_SESSION: 2, RiskKind.LOW_RATING: 2, RiskKind.UNANSWERED: 1}
    assert [reason.text for reason in next(p for p in pairs if p.mentorship_id == tie_low).reasons] == [
        "Last session rated 1 out of 5"]
    assert summary.reason_counts() == [("Low last rating", 2), ("No recent session", 2), ("Unanswered message", 1)]
    # One program: the weekly pair is not counted.
    summary, pairs, listed = summary_and_list(app, institution, program)
    assert summary.pairs == 2 == len(pairs) and summary.by_kind[RiskKind.NO_SESSION] == 1 == listed[
        RiskKind.NO_SESSION]


def test_no_program_of_ours_counts_nothing(app, institution, other_institution, people):
    theirs = make_program(other_institution, "Lakeshore Leaders")
    with app.app_context(), tenant_scope(institution.id):
        assert risk_summary(theirs).pairs == 0 and at_risk_pairs(theirs) == []


def test_weekly_figures_over_three_years_are_the_same_week_by_week(app, institution, other_institution):
    now = datetime(2026, 3, 20, 12, 0, tzinfo=timezone.utc)
    with app.app_context():
        world = build_world(institution, other_institution, now)
    with app.app_context(), tenant_scope(world.institution_id):
        short = {week.starts_on: week for week in weekly_engagement(
            ReportFilters.default(world.institution_id, now.date()))}
        long = weekly_engagement(ReportFilters(world.institution_id, date(2023, 3, 22), now.date()))
    assert len(long) == 157  # 64 + 64 + 29 weeks
    by_week = {week.starts_on: week for week in long}
    # The hand-worked weeks (tests/test_reports_metrics.py) come out the same in week 150 and on.
    assert (by_week[date(2026, 3, 9)].active_participants, by_week[date(2026, 2, 23)].active_participants) == (2, 4)
    for monday, week in short.items():
        if monday >= date(2025, 12, 29):  # the first short week is cut by its period
            assert (by_week[monday].sessions, by_week[monday].messages, by_week[monday].active_participants) == (
                week.sessions, week.messages, week.active_participants), monday
    assert sum(week.sessions for week in long) >= 9 and not any(week.active_participants for week in long[:100])


def test_the_dashboard_shows_the_counts_it_started_alongside_the_report(app, institution, other_institution, people,
                                                                       admin_client):
    program = make_program(institution, session_cadence_days=14)
    other = make_program(institution, "Leadership Circle")
    theirs = make_program(other_institution, "Lakeshore Leaders")
    late = make_pair(institution, program, people["mentor"], people["student"], started_days_ago=40)
    amara = person(institution, "student", "Amara", "Nwosu")
    make_meeting(institution, make_pair(institution, other, people["mentor"], amara, started_days_ago=40),
                 people["mentor"], days_ago=30)
    assert late
    for path, at_risk in ((f"/reports?program={program}", 1), ("/reports", 2), (f"/reports?program={other}", 1)):
        page = admin_client.get(path).get_data(as_text=True)
        assert f'id="panel-at-risk">{at_risk}<' in page and "No recent session: " in page, path
    fragment = admin_client.get(f"/reports?program={program}", headers={"HX-Request": "true",
                                                                        "HX-Target": "report-body"})
    assert 'id="panel-at-risk">1<' in fragment.get_data(as_text=True)
    for path in ("/reports?program=abc", f"/reports?program={theirs}"):
        assert admin_client.get(path).status_code == 404


def test_a_program_holding_every_pair_reports_what_its_institution_does(app, institution, other_institution):
    # Lakeshore has one program: its figures need no per-pair program check, and come out the same.
    now = datetime(2026, 3, 20, 12, 0, tzinfo=timezone.utc)
    with app.app_context():
        world = build_world(institution, other_institution, now)
    from portal.reports import dashboard

    with app.app_context(), tenant_scope(other_institution.id):
        whole = dashboard(ReportFilters.default(other_institution.id, now.date()), now)
        program = ReportFilters.default(other_institution.id, now.date(), program_id=world.other_program)
        assert program.with_scope_checked().program_has_every_pair
        one = dashboard(program, now)
    with app.app_context(), tenant_scope(world.institution_id):  # Northbridge has two programs with pairs
        career = ReportFilters.default(world.institution_id, now.date(), program_id=world.career)
        assert not career.with_scope_checked().program_has_every_pair
    assert (one.satisfaction.ratings, one.satisfaction.nps, one.goals.goals) == (
        whole.satisfaction.ratings, whole.satisfaction.nps, whole.goals.goals)
    assert [(w.sessions, w.messages, w.active_participants) for w in one.weeks] == [
        (w.sessions, w.messages, w.active_participants) for w in whole.weeks]
    assert one.satisfaction.rating_count == 1 and sum(w.sessions for w in one.weeks) >= 1
