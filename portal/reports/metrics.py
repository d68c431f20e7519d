"""The dashboard's figures, each worked out by one aggregate query (DESIGN.md, "Metrics").

Every function takes the report's filters and returns plain values; nothing here loads people,
pairs or sessions into Python. Dates narrow activity (sessions, ratings, closing surveys,
messages) to the period; people, pairs, goals and key results are counted as they are now.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, String, Text, and_, case, cast, exists, func, or_, select

from portal.concurrent_queries import answer, begun
from portal.extensions import db
from portal.models import (
    ClosingSurvey, Enrollment, Goal, GoalStatus, Meeting, MeetingStatus, Mentorship,
    MentorshipParticipant, MentorshipStatus, ParticipantRole, Profile, Program, Role, SessionFeedback, User,
    UserStatus,
)
from portal.profiles.completeness import ESSENTIALS
from portal.reports.figures import (
    Dashboard, GoalProgress, KeyResult, ProgramRow, Ratio, Satisfaction, SessionFrequency,
)
from portal.reports.filters import ReportFilters, enrollment_conditions, in_scope, pair_conditions
from portal.reports.sql import days_between, later_of, median_and_count, moment, tune_for_reports
from portal.reports.weekly import weekly_engagement

# A mentee counts as matched, and as guided for a key result, with one of these.
MATCHED = (MentorshipStatus.ACTIVE, MentorshipStatus.COMPLETED)
OPEN_GOALS = (GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS)


def _filled(attribute: str):
    column = getattr(Profile, attribute)
    if isinstance(column.type, JSON):
        return and_(column.is_not(None), cast(column, Text).not_in(["[]", "null"]))
    if isinstance(column.type, String | Text):
        return func.trim(func.coalesce(column, "")) != ""
    return column.is_not(None)


def profile_complete():
    """The condition `portal.profiles.completeness` checks: every essential of the person's role filled in."""
    return or_(*(and_(User.role == role, *(_filled(attribute) for attribute, *_ in fields))
                 for role, fields in ESSENTIALS.items() if role != Role.ADMIN))


def participation(filters: ReportFilters) -> Ratio:
    """"Participation rate: enrolled participants who have logged in and completed a profile /
    invited participants."

    Enrolled participants are the mentors and mentees taking part in the program(s) now (one
    count per program a person takes part in); invited means they were sent an invitation or
    already have an account (active). With a cohort filter, only the cohort's mentees count.
    """
    invited = or_(User.invited_at.is_not(None), User.status == UserStatus.ACTIVE)
    ready = and_(User.last_login_at.is_not(None), profile_complete())
    whole, part = db.session.execute(
        select(func.count(), func.count(case((ready, 1))))
        .select_from(Enrollment).join(User, User.id == Enrollment.user_id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(*enrollment_conditions(filters), invited)).one()
    return Ratio(part, whole)


def matched_in_program():
    """Whether the enrollment's mentee has an active or completed mentorship in that program."""
    return exists().where(
        MentorshipParticipant.user_id == Enrollment.user_id, MentorshipParticipant.role == ParticipantRole.MENTEE,
        Mentorship.id == MentorshipParticipant.mentorship_id, Mentorship.program_id == Enrollment.program_id,
        Mentorship.status.in_(MATCHED))


def _matched_mentees(filters: ReportFilters):
    """Select (program, mentee) once for every mentee with an active or completed mentorship there."""
    conditions = [Mentorship.institution_id == filters.institution_id, Mentorship.status.in_(MATCHED),
                  MentorshipParticipant.role == ParticipantRole.MENTEE]
    if filters.program_id is not None:
        conditions.append(Mentorship.program_id == filters.program_id)
    return (select(Mentorship.program_id, MentorshipParticipant.user_id).distinct()
            .join(MentorshipParticipant, MentorshipParticipant.mentorship_id == Mentorship.id)
            .where(*conditions).subquery("matched"))


def match_by_program(filters: ReportFilters) -> dict[int, Ratio]:
    """"Match rate: mentees with an active or completed mentorship / enrolled mentees", per program.

    A mentee counts once per program they are enrolled in, matched by a mentorship in that program.
    """
    matched = _matched_mentees(filters)
    rows = db.session.execute(
        select(Enrollment.program_id, func.count(), func.count(matched.c.user_id))
        .select_from(Enrollment)
        .outerjoin(matched, and_(matched.c.user_id == Enrollment.user_id,
                                 matched.c.program_id == Enrollment.program_id))
        .where(*enrollment_conditions(filters, mentees_only=True)).group_by(Enrollment.program_id))
    return {program_id: Ratio(matched_count, mentees) for program_id, mentees, matched_count in rows}


def time_to_match(filters: ReportFilters) -> tuple[float | None, int]:
    """"Time to match: median days from enrollment to first accepted mentorship."

    The first accepted mentorship is the mentee's earliest mentorship in that program, whatever
    became of it; a mentorship made before the enrollment counts as 0 days. Returns (median in
    days with one decimal, how many mentees it is taken over).
    """
    first = (select(days_between(func.min(Mentorship.started_at), Enrollment.joined_at).label("days"))
             .select_from(Enrollment)
             .join(MentorshipParticipant, and_(MentorshipParticipant.user_id == Enrollment.user_id,
                                               MentorshipParticipant.role == ParticipantRole.MENTEE))
             .join(Mentorship, and_(Mentorship.id == MentorshipParticipant.mentorship_id,
                                    Mentorship.program_id == Enrollment.program_id))
             .where(*enrollment_conditions(filters, mentees_only=True))
             .group_by(Enrollment.id, Enrollment.joined_at)).subquery("first_match")
    days = case((first.c.days < 0, 0.0), else_=first.c.days)
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    value, count = db.session.execute(median_and_count(select(days), postgresql)).one()
    return (round(float(value), 1) if value is not None else None), count


def active_pairs_by_program(filters: ReportFilters) -> dict[int, int]:
    """Active pairs: mentorships whose status is active now, per program."""
    rows = db.session.execute(
        select(Mentorship.program_id, func.count())
        .where(*pair_conditions(filters), Mentorship.status == MentorshipStatus.ACTIVE)
        .group_by(Mentorship.program_id))
    return dict(rows.all())


def session_frequency(filters: ReportFilters, now: datetime) -> SessionFrequency:
    """"Session frequency: completed sessions per active mentorship per 30 days; the share of active
    pairs meeting the program's expected cadence."

    Over the period up to now: the active pairs' completed sessions in the period, divided by the
    days those pairs were active in the period (from the later of the period's start and the pair's
    start), times 30. A pair meets the cadence when it has had a completed session for every full
    cadence (Program.session_cadence_days) it was active in the period: sessions >= floor(days /
    cadence), i.e. days < (sessions + 1) x cadence; a pair younger than one cadence meets it.
    """
    upper = min(filters.end, now)
    if upper <= filters.start:
        return SessionFrequency(0, 0, 0.0, Ratio(0, 0))
    completed = (select(Meeting.mentorship_id, func.count().label("sessions"))
                 .where(Meeting.institution_id == filters.institution_id, Meeting.status == MeetingStatus.COMPLETED,
                        Meeting.starts_at >= filters.start, Meeting.starts_at < upper)
                 .group_by(Meeting.mentorship_id).subquery("completed"))
    pairs = (select(days_between(moment(upper), later_of(Mentorship.started_at, filters.start)).label("days"),
                    func.coalesce(completed.c.sessions, 0).label("sessions"),
                    Program.session_cadence_days.label("cadence"))
             .select_from(Mentorship).join(Program, Program.id == Mentorship.program_id)
             .outerjoin(completed, completed.c.mentorship_id == Mentorship.id)
             .where(*pair_conditions(filters), Mentorship.status == MentorshipStatus.ACTIVE,
                    Mentorship.started_at < upper)).subquery("active_pairs")
    keeping = pairs.c.days < (pairs.c.sessions + 1) * pairs.c.cadence
    count, sessions, days, kept = db.session.execute(
        select(func.count(), func.sum(pairs.c.sessions), func.sum(pairs.c.days),
               func.count(case((keeping, 1))))).one()
    return SessionFrequency(count, int(sessions or 0), float(days or 0.0), Ratio(kept, count))


def satisfaction(filters: ReportFilters) -> Satisfaction:
    """"Satisfaction: mean session rating (1-5); NPS from closing surveys (% 9-10 minus % 0-6)."

    Ratings of the sessions held in the period (by the session's start); closing surveys sent in
    the period; both for the pairs in scope, whatever their status now.
    """
    ratings = db.session.execute(
        select(SessionFeedback.rating, func.count())
        .join(Meeting, Meeting.id == SessionFeedback.meeting_id)
        .where(SessionFeedback.institution_id == filters.institution_id, *in_scope(Meeting.mentorship_id, filters),
               Meeting.starts_at >= filters.start, Meeting.starts_at < filters.end)
        .group_by(SessionFeedback.rating))
    surveys, promoters, detractors = db.session.execute(
        select(func.count(), func.count(case((ClosingSurvey.recommend >= 9, 1))),
               func.count(case((ClosingSurvey.recommend <= 6, 1))))
        .where(ClosingSurvey.institution_id == filters.institution_id,
               *in_scope(ClosingSurvey.mentorship_id, filters),
               ClosingSurvey.created_at >= filters.start, ClosingSurvey.created_at < filters.end)).one()
    return Satisfaction({int(rating): count for rating, count in ratings}, surveys, promoters, detractors)


def goal_progress(filters: ReportFilters) -> GoalProgress:
    """"Goal progress: share of goals achieved; mean progress of open goals."

    Every goal of the pairs in scope counts (dropped ones too: they were not achieved); open goals
    are those not started or in progress.
    """
    rows = db.session.execute(
        select(Goal.status, func.count(), func.sum(Goal.progress))
        .where(Goal.institution_id == filters.institution_id, *in_scope(Goal.mentorship_id, filters))
        .group_by(Goal.status)).all()
    by_status = {GoalStatus(status).value: count for status, count, _ in rows}
    open_rows = [(count, total) for status, count, total in rows if GoalStatus(status) in OPEN_GOALS]
    return GoalProgress(by_status, sum(count for count, _ in open_rows), int(sum(total or 0 for _, total in open_rows)))


def key_results(filters: ReportFilters) -> list[KeyResult]:
    """"Key result progress: the program's numeric target vs its measured value."

    The measured value is the number of guided students: distinct mentees with an active or
    completed mentorship in the program. It counts the whole program, whatever the other filters.
    """
    programs = [Program.institution_id == filters.institution_id, Program.key_result_target.is_not(None),
                Program.key_result_target > 0]
    if filters.program_id is not None:
        programs.append(Program.id == filters.program_id)
    guided = (select(func.count(func.distinct(MentorshipParticipant.user_id)))
              .join(Mentorship, Mentorship.id == MentorshipParticipant.mentorship_id)
              .where(Mentorship.program_id == Program.id, Mentorship.status.in_(MATCHED),
                     MentorshipParticipant.role == ParticipantRole.MENTEE)
              .correlate(Program).scalar_subquery())
    rows = db.session.execute(
        select(Program.id, Program.name, Program.objective, Program.key_result_target, Program.key_result_unit,
               Program.key_result_deadline, Program.starts_on, guided)
        .where(*programs).order_by(Program.key_result_deadline.is_(None), Program.key_result_deadline, Program.name))
    return [KeyResult(program_id, name, objective or "", target, unit or "", deadline, starts_on, measured or 0)
            for program_id, name, objective, target, unit, deadline, starts_on, measured in rows]


def program_rows(filters: ReportFilters) -> list[ProgramRow]:
    """Return each program of the scope with its mentees, matched mentees and active pairs."""
    conditions = [Program.institution_id == filters.institution_id]
    if filters.program_id is not None:
        conditions.append(Program.id == filters.program_id)
    programs = db.session.execute(select(Program.id, Program.name, Program.status).where(*conditions)
                                  .order_by(Program.name)).all()
    matches, active = match_by_program(filters), active_pairs_by_program(filters)
    return [ProgramRow(program_id, name, status.value, matches.get(program_id, Ratio(0, 0)).whole,
                       matches.get(program_id, Ratio(0, 0)).part, active.get(program_id, 0))
            for program_id, name, status in programs]


def dashboard(filters: ReportFilters, now: datetime) -> Dashboard:
    """Work out every figure of the dashboard for `filters`, as of `now`.

    The two longest figures (weekly engagement, ratings) begin on connections of their own while
    the others are worked out here (`portal.concurrent_queries`).
    """
    filters = filters.with_scope_checked()
    with begun(_tuned, weekly_engagement, filters) as weeks, begun(_tuned, satisfaction, filters) as ratings:
        tune_for_reports(db.session)
        programs = program_rows(filters)
        days, timed = time_to_match(filters)
        return Dashboard(
            participation=participation(filters),
            match=Ratio(sum(row.matched for row in programs), sum(row.mentees for row in programs)),
            days_to_match=days, matched_with_dates=timed,
            active_pairs=sum(row.active_pairs for row in programs),
            frequency=session_frequency(filters, now),
            satisfaction=answer(ratings),
            goals=goal_progress(filters),
            weeks=answer(weeks),
            key_results=key_results(filters),
            programs=programs,
        )


def _tuned(figure, *args):
    """Work out one figure in a transaction set up for the reports' aggregate queries."""
    tune_for_reports(db.session)
    return figure(*args)


def today_in(timezone: str, now: datetime) -> date:
    """Return the day it is at `now` in `timezone`."""
    return now.astimezone(ZoneInfo(timezone)).date()
