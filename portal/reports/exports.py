"""CSV exports of a report's participants, pairs, sessions and feedback, with the dashboard's filters.

Every cell a spreadsheet would read as a formula (one starting with = + - @, a tab or a carriage
return) is written with a leading apostrophe, so opening an export never runs what someone typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Integer, String, and_, case, cast, func, literal, null, select, union_all
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.models import (
    ClosingSurvey, Enrollment, EnrollmentRole, Goal, GoalStatus, Meeting, MeetingStatus, Mentorship,
    MentorshipParticipant, ParticipantRole, Profile, Program, SessionFeedback, User, UserStatus,
)
from portal.reports.filters import ReportFilters, enrollment_conditions, pair_conditions, scoped_pair_ids
from portal.reports.metrics import matched_in_program, profile_complete
from portal.reports.sql import days_between

KINDS = ("participants", "pairs", "sessions", "feedback")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str | int | float:
    """Return a cell as text a spreadsheet shows as typed (numbers stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):  # the same text from both databases: 2.5, not 2.50
        return f"{float(value):.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    text = getattr(value, "value", value)  # enums by their stored value
    text = str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(headers: list[str], rows: Iterable) -> str:
    """Return the rows as CSV text (with a byte-order mark, so spreadsheet programs read UTF-8)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return buffer.getvalue()


def export(kind: str, filters: ReportFilters) -> str:
    """Return the CSV of one kind of export."""
    headers, statement = {"participants": _participants, "pairs": _pairs, "sessions": _sessions,
                          "feedback": _feedback}[kind](filters)
    return to_csv(headers, db.session.execute(statement))


def _participants(filters: ReportFilters):
    invited = case((User.invited_at.is_not(None) | (User.status == UserStatus.ACTIVE), "yes"), else_="no")
    matched = case((Enrollment.role == EnrollmentRole.MENTEE, case((matched_in_program(), "yes"), else_="no")),
                   else_="")
    statement = (select(Program.name, Enrollment.role, User.email, User.first_name, User.last_name, User.status,
                        invited, User.last_login_at, case((profile_complete(), "yes"), else_="no"),
                        Profile.graduation_year, Profile.major, Enrollment.joined_at, matched)
                 .select_from(Enrollment).join(Program, Program.id == Enrollment.program_id)
                 .join(User, User.id == Enrollment.user_id).outerjoin(Profile, Profile.user_id == User.id)
                 .where(*enrollment_conditions(filters))
                 .order_by(Program.name, Enrollment.role, User.last_name, User.first_name, User.id))
    return (["program", "role", "email", "first_name", "last_name", "account", "invited", "last_sign_in",
             "profile_complete", "graduation_year", "major", "joined_program", "matched"], statement)


def _people():
    mentor, mentee = aliased(MentorshipParticipant), aliased(MentorshipParticipant)
    mentor_user, mentee_user = aliased(User), aliased(User)
    return mentor, mentee, mentor_user, mentee_user


def _pairs(filters: ReportFilters):
    mentor, mentee, mentor_user, mentee_user = _people()
    completed = (select(Meeting.mentorship_id, func.count().label("sessions"),
                        func.max(Meeting.starts_at).label("last_session"))
                 .where(Meeting.institution_id == filters.institution_id, Meeting.status == MeetingStatus.COMPLETED)
                 .group_by(Meeting.mentorship_id).subquery("completed"))
    ratings = (select(SessionFeedback.mentorship_id, func.avg(SessionFeedback.rating).label("mean"))
               .where(SessionFeedback.institution_id == filters.institution_id)
               .group_by(SessionFeedback.mentorship_id).subquery("ratings"))
    goals = (select(Goal.mentorship_id, func.count().label("goals"),
                    func.count(case((Goal.status == GoalStatus.ACHIEVED, 1))).label("achieved"))
             .where(Goal.institution_id == filters.institution_id).group_by(Goal.mentorship_id).subquery("goals"))
    statement = (select(Mentorship.id, Program.name, mentor_user.first_name + " " + mentor_user.last_name,
                        mentor_user.email, mentee_user.first_name + " " + mentee_user.last_name, mentee_user.email,
                        Mentorship.status, Mentorship.started_at, Mentorship.ended_at, Mentorship.end_reason,
                        func.coalesce(completed.c.sessions, 0), completed.c.last_session,
                        func.round(ratings.c.mean, 2), func.coalesce(goals.c.goals, 0),
                        func.coalesce(goals.c.achieved, 0))
                 .select_from(Mentorship).join(Program, Program.id == Mentorship.program_id)
                 .outerjoin(mentor, and_(mentor.mentorship_id == Mentorship.id, mentor.role == ParticipantRole.MENTOR))
                 .outerjoin(mentor_user, mentor_user.id == mentor.user_id)
                 .outerjoin(mentee, and_(mentee.mentorship_id == Mentorship.id, mentee.role == ParticipantRole.MENTEE))
                 .outerjoin(mentee_user, mentee_user.id == mentee.user_id)
                 .outerjoin(completed, completed.c.mentorship_id == Mentorship.id)
                 .outerjoin(ratings, ratings.c.mentorship_id == Mentorship.id)
                 .outerjoin(goals, goals.c.mentorship_id == Mentorship.id)
                 .where(*pair_conditions(filters))
                 .order_by(Program.name, Mentorship.started_at, Mentorship.id, mentee_user.id))
    return (["pair_id", "program", "mentor", "mentor_email", "mentee", "mentee_email", "status", "started",
             "ended", "end_reason", "completed_sessions", "last_session", "mean_rating", "goals", "goals_achieved"],
            statement)


def _sessions(filters: ReportFilters):
    mentor, mentee, mentor_user, mentee_user = _people()
    ratings = (select(SessionFeedback.meeting_id, func.count().label("ratings"),
                      func.avg(SessionFeedback.rating).label("mean"))
               .where(SessionFeedback.institution_id == filters.institution_id)
               .group_by(SessionFeedback.meeting_id).subquery("ratings"))
    statement = (select(Meeting.id, Meeting.mentorship_id, Program.name, Meeting.starts_at,
                        func.round(func.coalesce(_minutes(Meeting.ends_at, Meeting.starts_at), 0)), Meeting.mode,
                        Meeting.status, mentor_user.email, mentee_user.email,
                        func.coalesce(ratings.c.ratings, 0), func.round(ratings.c.mean, 2))
                 .select_from(Meeting).join(Mentorship, Mentorship.id == Meeting.mentorship_id)
                 .join(Program, Program.id == Mentorship.program_id)
                 .outerjoin(mentor_user, mentor_user.id == Meeting.mentor_id)
                 .outerjoin(mentee, and_(mentee.mentorship_id == Mentorship.id, mentee.role == ParticipantRole.MENTEE))
                 .outerjoin(mentee_user, mentee_user.id == mentee.user_id)
                 .outerjoin(ratings, ratings.c.meeting_id == Meeting.id)
                 .where(*pair_conditions(filters), Meeting.starts_at >= filters.start, Meeting.starts_at < filters.end)
                 .order_by(Meeting.starts_at, Meeting.id, mentee_user.id))
    return (["session_id", "pair_id", "program", "starts", "minutes", "mode", "status", "mentor_email",
             "mentee_email", "ratings", "mean_rating"], statement)


def _minutes(later, earlier):
    return days_between(later, earlier) * 1440


def _feedback(filters: ReportFilters):
    pairs = scoped_pair_ids(filters)
    ratings = (select(literal("session rating", String).label("kind"), SessionFeedback.created_at.label("submitted"),
                      Program.name.label("program"), Meeting.mentorship_id.label("pair_id"),
                      Meeting.id.label("session_id"), User.email.label("email"),
                      MentorshipParticipant.role.label("role"), SessionFeedback.rating.label("rating"),
                      cast(null(), Integer).label("recommend"), SessionFeedback.went_well.label("comment"),
                      SessionFeedback.goal_progress.label("goal_progress"))
               .select_from(SessionFeedback).join(Meeting, Meeting.id == SessionFeedback.meeting_id)
               .join(Mentorship, Mentorship.id == Meeting.mentorship_id)
               .join(Program, Program.id == Mentorship.program_id)
               .join(User, User.id == SessionFeedback.user_id)
               .outerjoin(MentorshipParticipant, and_(MentorshipParticipant.mentorship_id == Mentorship.id,
                                                      MentorshipParticipant.user_id == SessionFeedback.user_id))
               .where(SessionFeedback.institution_id == filters.institution_id, Meeting.mentorship_id.in_(pairs),
                      Meeting.starts_at >= filters.start, Meeting.starts_at < filters.end))
    surveys = (select(literal("closing survey", String), ClosingSurvey.created_at, Program.name,
                      ClosingSurvey.mentorship_id, cast(null(), Integer), User.email, MentorshipParticipant.role,
                      cast(null(), Integer), ClosingSurvey.recommend, ClosingSurvey.comment, literal("", String))
               .select_from(ClosingSurvey).join(Mentorship, Mentorship.id == ClosingSurvey.mentorship_id)
               .join(Program, Program.id == Mentorship.program_id)
               .join(User, User.id == ClosingSurvey.user_id)
               .outerjoin(MentorshipParticipant, and_(MentorshipParticipant.mentorship_id == Mentorship.id,
                                                      MentorshipParticipant.user_id == ClosingSurvey.user_id))
               .where(ClosingSurvey.institution_id == filters.institution_id, ClosingSurvey.mentorship_id.in_(pairs),
                      ClosingSurvey.created_at >= filters.start, ClosingSurvey.created_at < filters.end))
    both = union_all(ratings, surveys).subquery("feedback")
    statement = select(*both.c).order_by(both.c.submitted, both.c.kind, both.c.pair_id)
    return (["kind", "submitted", "program", "pair_id", "session_id", "respondent_email", "respondent_role",
             "rating_1_to_5", "recommend_0_to_10", "comment", "goal_progress"], statement)

