"""Every dashboard figure against the hand-worked world of tests/test_reports_world.py.

NOW is Friday 2026-03-20 12:00 UTC; the default period is the 84 days 2025-12-27 .. 2026-03-20.
The arithmetic is in the comments. People: mentors m1, m2 (Career Launch), m3 (Women in Tech);
students s1-s5, s7 enrolled in Career Launch (s8 left it), s6 in Women in Tech.
Pairs: A m1-s1 active from -40 d; B m1-s2 active from -20 d; C m2-s3 completed -70..-10 d;
D m2-s4 ended early -30..-25 d; E m3-s6 (Women in Tech) active from -60 d.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from portal.reports import ReportFilters, dashboard
from portal.reports.metrics import key_results, participation, session_frequency, time_to_match
from portal.reports.weekly import weekly_engagement
from portal.tenancy import tenant_scope
from tests.test_reports_world import build_world

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=timezone.utc)
TODAY = NOW.date()


@pytest.fixture
def world(app, institution, other_institution):
    with app.app_context():
        return build_world(institution, other_institution, NOW)


@pytest.fixture
def figures(app, world):
    """Work out the dashboard for some filters, inside Northbridge's tenant scope."""

    def work_out(**chosen):
        with app.app_context(), tenant_scope(world.institution_id):
            return dashboard(ReportFilters.default(world.institution_id, TODAY, **chosen), NOW)

    return work_out


def test_participation_counts_invited_people_who_signed_in_with_a_complete_profile(figures, world):
    # Career Launch enrolled now: m1 m2 s1 s2 s3 s4 s5 s7 (s8 left). Invited or active: all but s7
    # (never invited) = 7. Signed in with a complete profile: m1, s1, s2, s3 = 4 (m2 lacks a
    # capacity, s4 lacks skills, s5 never signed in). 4 / 7 = 57.1 %.
    career = figures(program_id=world.career).participation
    assert (career.part, career.whole, career.percent) == (4, 7, 57.1)
    # Women in Tech: m3, s6 both ready: 2 / 2. The institution: (4 + 2) / (7 + 2) = 66.7 %.
    assert figures(program_id=world.women).participation.percent == 100.0
    everyone = figures().participation
    assert (everyone.part, everyone.whole, everyone.percent) == (6, 9, 66.7)
    # Class of 2026 counts mentees only: s1, s2, s4 invited (s8 left), s1 and s2 ready: 2 / 3;
    # across the institution s6 joins both: 3 / 4 = 75 %.
    assert figures(program_id=world.career, graduation_year=2026).participation.percent == 66.7
    assert figures(graduation_year=2026).participation.percent == 75.0


def test_match_rate_and_the_median_time_to_match(figures, world):
    # Career Launch mentees now: s1 s2 s3 s4 s5 s7 = 6; with an active or completed mentorship:
    # s1 (A), s2 (B), s3 (C) = 3 (s4's D ended early) -> 50 %.
    career = figures(program_id=world.career)
    assert (career.match.part, career.match.whole, career.match.percent) == (3, 6, 50.0)
    # Days from joining to the first mentorship: s1 -50 -> -40 = 10, s2 -50 -> -20 = 30,
    # s3 -74 -> -70 = 4, s4 -32 -> -30 = 2. Sorted 2, 4, 10, 30: median (4 + 10) / 2 = 7.0 over 4.
    assert (career.days_to_match, career.matched_with_dates) == (7.0, 4)
    # The institution adds s6 (-61 -> -60 = 1 day): 1, 2, 4, 10, 30 -> median 4.0 over 5; matched 4 / 7.
    everyone = figures()
    assert (everyone.days_to_match, everyone.matched_with_dates) == (4.0, 5)
    assert (everyone.match.part, everyone.match.whole, everyone.match.percent) == (4, 7, 57.1)
    # Class of 2026 in Career Launch: s1, s2, s4 -> matched s1, s2 = 2 / 3; days 10, 30, 2 -> median 10.
    cohort = figures(program_id=world.career, graduation_year=2026)
    assert (cohort.match.part, cohort.match.whole, cohort.days_to_match) == (2, 3, 10.0)
    # "computer science" matches " computer science " and "Computer Science": s1, s2, s6, all matched.
    by_major = figures(major="COMPUTER science").match
    assert (by_major.part, by_major.whole) == (3, 3)


def test_active_pairs_session_frequency_and_cadence(figures, world):
    # Active pairs: A and B in Career Launch, E in Women in Tech.
    career = figures(program_id=world.career)
    assert career.active_pairs == 2
    assert figures().active_pairs == 3
    # Career Launch, both pairs started inside the period: A active 40 days with 4 completed sessions
    # (-35, -28, -21, -7; -14 was cancelled, +3 is only confirmed), B 20 days with none (-15 was a
    # no-show). 4 sessions / 60 pair-days x 30 = 2.0 per pair per 30 days.
    frequency = career.frequency
    assert (frequency.active_pairs, frequency.sessions, round(frequency.pair_days, 3)) == (2, 4, 60.0)
    assert frequency.per_30_days == 2.0
    # Cadence 14 days: A 40 < (4 + 1) x 14 = 70 keeps it; B 20 >= (0 + 1) x 14 does not: 1 of 2.
    assert (frequency.keeping_cadence.part, frequency.keeping_cadence.whole) == (1, 2)
    # Women in Tech: E 60 days, 2 sessions (-50, -20): 2 / 60 x 30 = 1.0; cadence 30: 60 < 3 x 30 keeps it.
    women = figures(program_id=world.women).frequency
    assert (women.per_30_days, women.keeping_cadence.part, women.keeping_cadence.whole) == (1.0, 1, 1)
    # Institution: 6 sessions / 120 pair-days x 30 = 1.5; 2 of 3 pairs keep their cadence (66.7 %).
    everyone = figures().frequency
    assert (everyone.per_30_days, everyone.keeping_cadence.percent) == (1.5, 66.7)


def test_session_frequency_over_a_past_period_counts_only_its_days(app, world):
    # Period 2026-02-18 .. 2026-03-19 (UTC): from -30.5 days (midnight of -30 d) to -0.5 days (midnight
    # today). A: active for all of it, 30 days, sessions -28, -21, -7 = 3 (-35 is before it). B: from
    # its start at -20 d to -0.5 d = 19.5 days, none. 3 / 49.5 x 30 = 1.818 -> 1.8.
    # Cadence: A 30 < 4 x 14 keeps it; B 19.5 >= 1 x 14 does not.
    filters = ReportFilters(world.institution_id, date(2026, 2, 18), date(2026, 3, 19), program_id=world.career)
    with app.app_context(), tenant_scope(world.institution_id):
        frequency = session_frequency(filters, NOW)
    assert (frequency.sessions, round(frequency.pair_days, 3), frequency.per_30_days) == (3, 49.5, 1.8)
    assert (frequency.keeping_cadence.part, frequency.keeping_cadence.whole) == (1, 2)


def test_satisfaction_mean_rating_and_nps(figures, world):
    # Career Launch ratings: A 5, 4, 4, 5, 5, 3; C 2, 3; D 1 -> 9 ratings, sum 32, mean 3.555 -> 3.56.
    career = figures(program_id=world.career).satisfaction
    assert career.ratings == {1: 1, 2: 1, 3: 2, 4: 2, 5: 3}
    assert (career.rating_count, career.mean_rating) == (9, 3.56)
    # Closing surveys: C 10 and 9 (promoters), D 3 (detractor): (2 - 1) / 3 = 33.3 % -> NPS 33.
    assert (career.surveys, career.promoters, career.passives, career.detractors, career.nps) == (3, 2, 0, 1, 33)
    # Women in Tech: E 5, 4, 4 -> 13 / 3 = 4.33; no closing survey -> no NPS.
    women = figures(program_id=world.women).satisfaction
    assert (women.mean_rating, women.nps) == (4.33, None)
    # Institution: 12 ratings summing 45 -> 3.75 (Lakeshore's rating of 1 and survey of 0 stay out).
    everyone = figures().satisfaction
    assert (everyone.rating_count, everyone.mean_rating, everyone.nps) == (12, 3.75, 33)
    # Class of 2026 (pairs A, B, D): ratings 5, 4, 4, 5, 5, 3, 1 -> 27 / 7 = 3.857 -> 3.86; D's 3 -> NPS -100.
    cohort = figures(program_id=world.career, graduation_year=2026).satisfaction
    assert (cohort.mean_rating, cohort.nps) == (3.86, -100)


def test_goal_achievement(figures, world):
    # Career Launch goals: A achieved + in progress 60, B not started 0, C achieved + dropped 30:
    # 2 of 5 achieved (40 %); open goals 60 and 0 -> mean 30.0.
    career = figures(program_id=world.career).goals
    assert (career.achieved.part, career.achieved.whole, career.achieved.percent) == (2, 5, 40.0)
    assert (career.open_goals, career.mean_open_progress) == (2, 30.0)
    # Institution adds E's open goal at 40: 2 of 6 achieved (33.3 %), open (60 + 0 + 40) / 3 = 33.3.
    everyone = figures().goals
    assert (everyone.achieved.percent, everyone.mean_open_progress) == (33.3, 33.3)


def test_weekly_engagement(figures, world):
    weeks = {week.starts_on: week for week in figures().weeks}
    # The period 2025-12-27 .. 2026-03-20 touches the 13 weeks from Monday 2025-12-22 to Monday 2026-03-16.
    assert (min(weeks), max(weeks), len(weeks)) == (date(2025, 12, 22), date(2026, 3, 16), 13)
    # Completed sessions in the period: A 4 + C 2 + D 1 + E 2 = 9; messages 5.
    assert sum(week.sessions for week in weeks.values()) == 9
    assert sum(week.messages for week in weeks.values()) == 5
    # Week of Mar 9: A's session on Fri 13 (-7), s1's message on Thu 12 (-8); pairs A, B, E and C (it
    # ended Tue Mar 10) = 4; (1 + 1) / 4 = 0.5 per pair; people: s1 and m1.
    week = weeks[date(2026, 3, 9)]
    assert (week.sessions, week.messages, week.pairs, week.per_pair, week.active_participants) == (1, 1, 4, 0.5, 2)
    # Week of Feb 23: A's session on Fri 27 (-21) and E's on Sat 28 (-20); every pair was active (D ended
    # Mon 23, B started Sat 28): 2 / 5 = 0.4; people: s1, m1, s6, m3.
    week = weeks[date(2026, 2, 23)]
    assert (week.sessions, week.messages, week.pairs, week.per_pair, week.active_participants) == (2, 0, 5, 0.4, 4)
    # Week of Feb 9: A's session on Fri 13 (-35) and two messages on Thu 12 (-36); pairs A (from Sun 8), C,
    # E: 3 / 3 = 1.0; people s1 and m1.
    week = weeks[date(2026, 2, 9)]
    assert (week.sessions, week.messages, week.pairs, week.per_pair, week.active_participants) == (1, 2, 3, 1.0, 2)
    # This week: nothing yet (+3 is only confirmed); pairs A, B, E. The first week had no pair at all.
    assert (weeks[date(2026, 3, 16)].pairs, weeks[date(2026, 3, 16)].per_pair) == (3, 0.0)
    assert (weeks[date(2025, 12, 22)].pairs, weeks[date(2025, 12, 22)].per_pair) == (0, None)


def test_key_result_counts_guided_students_of_the_whole_program(app, figures, world):
    # Guided in Career Launch: s1 (A), s2 (B), s3 (C, completed) = 3 of 10 (30 %). A steady pace from
    # its start (-60 d) to its deadline (+30 d) would have reached 10 x 60 / 90 = 6.67 -> 7: behind.
    (result,) = figures(program_id=world.career).key_results
    assert (result.program_name, result.target, result.measured, result.percent) == ("Career Launch", 10, 3, 30.0)
    assert (result.expected_by(TODAY), result.days_left(TODAY), result.status(TODAY)) == (7, 30, "behind")
    # The cohort and the dates do not change it; Women in Tech has no key result; Lakeshore's stays out.
    assert figures(program_id=world.career, graduation_year=2027).key_results[0].measured == 3
    assert [result.program_name for result in figures().key_results] == ["Career Launch"]
    assert result.status(date(2026, 4, 20)) == "missed"


def test_another_institution_sees_only_its_own(app, world, other_institution):
    # Lakeshore: 1 mentee matched 5 days ago, one completed session rated 1, a survey scoring 0.
    with app.app_context(), tenant_scope(other_institution.id):
        filters = ReportFilters.default(other_institution.id, TODAY)
        lakeshore = dashboard(filters, NOW)
        assert (lakeshore.match.part, lakeshore.match.whole, lakeshore.active_pairs) == (1, 1, 1)
        assert (lakeshore.satisfaction.mean_rating, lakeshore.satisfaction.nps) == (1.0, -100)
        assert [row.name for row in lakeshore.programs] == ["Lakeshore Leaders"]
        # Asking for a Northbridge program from Lakeshore finds nothing of it.
        northbridge = filters.with_program(world.career)
        assert participation(northbridge).whole == 0
        assert key_results(northbridge) == []
        assert time_to_match(northbridge) == (None, 0)
        assert sum(week.sessions for week in weekly_engagement(northbridge)) == 0
