"""Engagement over time: each week's sessions, messages, active pairs and active participants.

"Engagement: sessions + messages per pair per week; weekly active participants." (DESIGN.md)
Weeks run Monday to Sunday in UTC; the first and last may be cut by the period. Sessions are the
completed ones, by their start; a pair counts in every week it was active for some of; a weekly
active participant met in a completed session or sent a message that week.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import BigInteger, Integer, and_, case, cast, func, literal, literal_column, select, union, union_all
from sqlalchemy.dialects.postgresql import ARRAY, array

from portal.extensions import db
from portal.models import Meeting, MeetingStatus, Mentorship, MentorshipParticipant, Message, ParticipantRole
from portal.models.base import UTCDateTime
from portal.reports.figures import Week
from portal.reports.filters import ReportFilters, in_scope, pair_conditions
from portal.reports.sql import week_of

BITS = 64  # weeks one BIGINT holds as bits (PostgreSQL's count of weekly active participants)


def week_starts(filters: ReportFilters) -> list[date]:
    """Return the Mondays (UTC) of the weeks the period touches."""
    first = filters.start.date() - timedelta(days=filters.start.weekday())
    last = (filters.end - timedelta(microseconds=1)).date()
    return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def _monday(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def _by_week(statement) -> dict[date, int]:
    return {_as_date(week): count for week, count in db.session.execute(statement)}


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def weekly_engagement(filters: ReportFilters) -> list[Week]:
    """Return one Week per week of the period, oldest first."""
    mondays = week_starts(filters)
    if db.session.get_bind().dialect.name == "postgresql":
        activity = _weekly_activity_postgresql(filters, mondays)
    else:
        activity = _weekly_activity(filters)
    active_pairs = _active_pairs_by_week(filters, mondays, _monday(mondays[0]))
    weeks = []
    for monday in mondays:
        sessions, messages, people = activity.get(monday, (0, 0, 0))
        weeks.append(Week(monday, sessions, messages, active_pairs[monday], people))
    return weeks


def _weekly_activity(filters: ReportFilters) -> dict[date, tuple[int, int, int]]:
    """Return {Monday: (completed sessions, messages, active participants)} from one statement.

    One pass over the meetings counts each pair's completed sessions per week (with its mentor, whom
    a meeting names), one over the messages each sender's messages per week. People are then the
    distinct (week, person) of three small sets: the mentors met, the mentees met, the senders;
    the session and message counts ride along as one extra row per week each (person NULL).
    """
    meeting_week, message_week = week_of(Meeting.starts_at), week_of(Message.created_at)
    pair_weeks = (select(Meeting.mentorship_id.label("pair"), Meeting.mentor_id.label("mentor"),
                         meeting_week.label("week"), func.count().label("sessions"))
                  .where(*_held_in_period(filters))
                  .group_by(Meeting.mentorship_id, Meeting.mentor_id, meeting_week).cte("pair_weeks"))
    senders = (select(message_week.label("week"), Message.sender_id.label("sender"), func.count().label("messages"))
               .where(*_written_in_period(filters)).group_by(message_week, Message.sender_id).cte("senders"))
    people = union(  # UNION, not UNION ALL: each person once per week
        select(pair_weeks.c.week, pair_weeks.c.mentor.label("person")),
        select(pair_weeks.c.week, MentorshipParticipant.user_id)
        .join(MentorshipParticipant, and_(MentorshipParticipant.mentorship_id == pair_weeks.c.pair,
                                          MentorshipParticipant.role == ParticipantRole.MENTEE)),
        select(senders.c.week, senders.c.sender).where(senders.c.sender.is_not(None))).subquery("people")
    none = literal(None, Integer)
    rows = union_all(
        select(pair_weeks.c.week, none.label("person"), func.sum(pair_weeks.c.sessions).label("sessions"),
               literal(0, Integer).label("messages")).group_by(pair_weeks.c.week),
        select(senders.c.week, none, literal(0, Integer), func.sum(senders.c.messages)).group_by(senders.c.week),
        select(people.c.week, people.c.person, literal(0, Integer), literal(0, Integer)),
    ).subquery("activity")
    statement = select(rows.c.week, func.sum(rows.c.sessions), func.sum(rows.c.messages),
                       func.count(rows.c.person)).group_by(rows.c.week)
    return {_as_date(week): (int(sessions or 0), int(messages or 0), count)
            for week, sessions, messages, count in db.session.execute(statement)}


def _held_in_period(filters: ReportFilters) -> list:
    """Conditions on Meeting: a completed session of a pair in scope, started in the period."""
    return [Meeting.institution_id == filters.institution_id, Meeting.status == MeetingStatus.COMPLETED,
            Meeting.starts_at >= filters.start, Meeting.starts_at < filters.end,
            *in_scope(Meeting.mentorship_id, filters)]


def _written_in_period(filters: ReportFilters) -> list:
    """Conditions on Message: written in a pair in scope, in the period."""
    return [Message.institution_id == filters.institution_id, Message.created_at >= filters.start,
            Message.created_at < filters.end, *in_scope(Message.mentorship_id, filters)]


def _weekly_activity_postgresql(filters: ReportFilters, mondays: list[date]) -> dict[date, tuple[int, int, int]]:
    """Return what `_weekly_activity` returns, from one statement that scans each period once.

    The same figures, counted with less work: each week is its number in the period
    (width_bucket over the Mondays), and the weeks a person was active are the bits of a BIGINT
    (one per 64 weeks), OR-ed together per pair and then per person, so the database groups a few
    thousand people instead of every (week, person). Completed sessions and messages are counted
    per week from the same scans.
    """
    bounds = literal([_monday(day) for day in mondays[1:]], ARRAY(UTCDateTime()))

    def bucket(column):  # 0 for the first week, 1 from the second Monday on, ...
        return func.width_bucket(column, bounds, type_=Integer) if len(mondays) > 1 else literal(0, Integer)

    met = (select(bucket(Meeting.starts_at).label("week"), Meeting.mentorship_id.label("pair"),
                  Meeting.mentor_id.label("mentor")).where(*_held_in_period(filters)).cte("met"))
    wrote = (select(bucket(Message.created_at).label("week"), Message.sender_id.label("sender"))
             .where(*_written_in_period(filters)).cte("wrote"))

    bits = literal_column(str(BITS), Integer)  # written out: GROUP BY must repeat the very same expression

    def bit(week):
        return cast(literal_column("1"), BigInteger).op("<<")(week % bits)

    pair_bits = (select(met.c.pair, met.c.mentor, (met.c.week // bits).label("block"),
                        func.bit_or(bit(met.c.week)).label("weeks"))
                 .group_by(met.c.pair, met.c.mentor, met.c.week // bits).cte("pair_bits"))
    active = union_all(
        select(pair_bits.c.mentor.label("person"), pair_bits.c.block, pair_bits.c.weeks),
        select(MentorshipParticipant.user_id, pair_bits.c.block, pair_bits.c.weeks)
        .join(MentorshipParticipant, and_(MentorshipParticipant.mentorship_id == pair_bits.c.pair,
                                          MentorshipParticipant.role == ParticipantRole.MENTEE)),
        select(wrote.c.sender, wrote.c.week // bits, bit(wrote.c.week)).where(wrote.c.sender.is_not(None)),
    ).subquery("active")
    people = (select(active.c.block, func.bit_or(active.c.weeks).label("weeks"))
              .group_by(active.c.person, active.c.block).subquery("people"))
    width = min(BITS, len(mondays))
    rows = union_all(
        select(literal("sessions").label("kind"), met.c.week.label("key"), array([func.count()]).label("counts"))
        .group_by(met.c.week),
        select(literal("messages"), wrote.c.week, array([func.count()])).group_by(wrote.c.week),
        select(literal("people"), people.c.block,
               array([func.sum(people.c.weeks.op(">>")(position).op("&")(1)) for position in range(width)]))
        .group_by(people.c.block))
    counts = {"sessions": [0] * len(mondays), "messages": [0] * len(mondays), "people": [0] * len(mondays)}
    for kind, key, values in db.session.execute(rows):
        if kind != "people":
            counts[kind][key] = int(values[0])
            continue
        for position, value in enumerate(values):
            if key * BITS + position < len(mondays):
                counts["people"][key * BITS + position] = int(value or 0)
    return {monday: (counts["sessions"][n], counts["messages"][n], counts["people"][n])
            for n, monday in enumerate(mondays)}


def _active_pairs_by_week(filters: ReportFilters, mondays: list[date], first_monday: datetime) -> dict[date, int]:
    """Pairs active at some time in each week: started before the week ends, not ended before it starts.

    Counted from how many pairs started and ended in each week (grouped by the database), added up
    week by week: active(W) = started before W ends - ended before W starts.
    """
    scope = pair_conditions(filters)
    end = _monday(mondays[-1]) + timedelta(weeks=1)
    started_before, ended_before = db.session.execute(
        select(func.count(), func.count(case((Mentorship.ended_at < first_monday, 1))))
        .where(*scope, Mentorship.started_at < first_monday)).one()
    start_week, end_week = week_of(Mentorship.started_at), week_of(Mentorship.ended_at)
    started = _by_week(select(start_week, func.count())
                       .where(*scope, Mentorship.started_at >= first_monday, Mentorship.started_at < end)
                       .group_by(start_week))
    ended = _by_week(select(end_week, func.count())
                     .where(*scope, Mentorship.ended_at >= first_monday, Mentorship.ended_at < end)
                     .group_by(end_week))
    result, running_start, running_end = {}, started_before, ended_before
    for monday in mondays:
        running_start += started.get(monday, 0)
        result[monday] = running_start - running_end
        running_end += ended.get(monday, 0)
    return result
