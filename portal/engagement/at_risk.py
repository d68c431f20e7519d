"""At-risk pairs: active mentorships drifting apart, each with the reasons an admin can act on.

DESIGN.md: a pair is at risk when it is active and has had no completed or confirmed session
within 1.5x the program's cadence, or its last rating was 2 or lower, or a message has waited
more than 7 days for a reply. "Unanswered" means the newest message of the thread is older than
7 days and came from one participant: nobody on the other side has written since.

The database decides which pairs are at risk (`_risk_flags`, one aggregate query over every
active pair): the dashboard counts them without loading a pair, and the list loads only the
pairs at risk, with the facts its sentences need; the database orders them too, so a page of
the list loads only its own pairs and their people.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, false, func, literal, or_, select, true

from portal.concurrent_queries import answer, begun
from portal.extensions import db
from portal.models import (
    Meeting, MeetingStatus, Mentorship, MentorshipParticipant, MentorshipStatus, Message, Nudge, ParticipantRole,
    Program, SessionFeedback, User, utcnow,
)
from portal.models.base import UTCDateTime
from portal.paging import MAX_PAGE, Page
from portal.reports.sql import tune_for_reports

CADENCE_SLACK = 1.5  # a pair is late once 1.5x the program's expected gap has passed
DEFAULT_CADENCE_DAYS = 14
UNANSWERED_AFTER = timedelta(days=7)
LOW_RATING = 2
NUDGE_INTERVAL = timedelta(days=7)  # a pair is nudged at most once in this time
PAIRS_PER_PAGE = 50
HELD = (MeetingStatus.COMPLETED, MeetingStatus.CONFIRMED)  # a confirmed session counts, past or ahead


class RiskKind(enum.StrEnum):
    NO_SESSION = "no_session"
    LOW_RATING = "low_rating"
    UNANSWERED = "unanswered_message"

    @property
    def label(self) -> str:
        return {"no_session": "No recent session", "low_rating": "Low last rating",
                "unanswered_message": "Unanswered message"}[self.value]


@dataclass
class RiskReason:
    kind: RiskKind
    text: str  # for the admin, e.g. "No session for 30 days (expected every 14 days)"
    days: int = 0  # days since the last session, the start, or the unanswered message
    rating: int | None = None
    sender_id: int | None = None  # who wrote the unanswered message


@dataclass
class AtRiskPair:
    mentorship_id: int
    program_id: int
    program_name: str
    cadence_days: int
    started_at: datetime
    mentor: User | None = None
    mentees: list[User] = field(default_factory=list)
    reasons: list[RiskReason] = field(default_factory=list)
    last_session_at: datetime | None = None
    next_session_at: datetime | None = None
    last_nudged_at: datetime | None = None

    @property
    def people(self) -> list[User]:
        return ([self.mentor] if self.mentor else []) + self.mentees

    @property
    def names(self) -> str:
        return " & ".join(person.name for person in self.people) or f"Mentorship {self.mentorship_id}"

    def nudged_within(self, now: datetime, interval: timedelta = NUDGE_INTERVAL) -> bool:
        return self.last_nudged_at is not None and self.last_nudged_at > now - interval


@dataclass
class RiskSummary:
    """How many active pairs are at risk, and how many have each reason (a pair may have several)."""

    pairs: int = 0
    by_kind: dict[RiskKind, int] = field(default_factory=dict)

    def reason_counts(self) -> list[tuple[str, int]]:
        """Return (reason label, pairs with it), the most common first."""
        return [(kind.label, count) for kind, count in sorted(self.by_kind.items(),
                                                              key=lambda item: (-item[1], item[0].value)) if count]


def _days(delta: timedelta) -> int:
    return max(0, delta.days)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _window(cadence_days: int) -> timedelta:
    return timedelta(days=CADENCE_SLACK * cadence_days)


def _at(value: datetime):
    return literal(value, UTCDateTime())


def _cadences(program_id: int | None) -> dict[int, int]:
    """Return {program id: expected days between sessions} for the programs in view."""
    query = select(Program.id, Program.session_cadence_days)
    if program_id is not None:
        query = query.where(Program.id == program_id)
    return {program: cadence or DEFAULT_CADENCE_DAYS for program, cadence in db.session.execute(query)}


def _per_program(times: dict[int, datetime]):
    """The pair's program's own time (each program has its own cadence), exact on both databases."""
    return case({program: _at(moment) for program, moment in times.items()}, value=Mentorship.program_id)


def _newest_message(column):
    """The pair's newest message's `column` (ties: the later id)."""
    return (select(column).where(Message.mentorship_id == Mentorship.id)
            .order_by(Message.created_at.desc(), Message.id.desc()).limit(1).correlate(Mentorship).scalar_subquery())


def _last_rating(given_at=None, *correlated):
    """The rating most recently given for any of the pair's sessions (ties: the later id); with
    `given_at`, the last of those given at that very time."""
    query = select(SessionFeedback.rating).where(SessionFeedback.mentorship_id == Mentorship.id)
    if given_at is not None:
        query = query.where(SessionFeedback.created_at == given_at)
    return (query.order_by(SessionFeedback.created_at.desc(), SessionFeedback.id.desc()).limit(1)
            .correlate(Mentorship, *correlated).scalar_subquery())


def _held(pick, *conditions):
    return (select(pick(Meeting.starts_at)).where(Meeting.mentorship_id == Mentorship.id,
                                                  Meeting.status.in_(HELD), *conditions)
            .correlate(Mentorship).scalar_subquery())


def _risk_flags(conditions: list, cadences: dict[int, int], now: datetime, rate_all: bool = False):
    """Select (mentorship id, no recent session, low last rating, unanswered message) per chosen pair.

    Each flag is one expression evaluated by the database; a caller that uses each once (in a
    GROUP BY, or OR-ed in a WHERE) has it evaluated once per pair. With `rate_all`, the last
    ratings are worked out for every pair in scope, not only the chosen ones: cheaper when the
    chosen pairs are most of them (no pair needs looking up).
    """
    late_before = _per_program({program: now - _window(days) for program, days in cadences.items()})
    due_by = _per_program({program: now + _window(days) for program, days in cadences.items()})
    # On track: a completed or confirmed session from a window ago to a window ahead (the last
    # one held recently enough, or the next one booked soon enough); a new pair gets a window.
    met = exists().where(Meeting.mentorship_id == Mentorship.id, Meeting.status.in_(HELD),
                         Meeting.starts_at >= late_before, Meeting.starts_at <= due_by)
    no_session = and_(Mentorship.started_at < late_before, ~met)

    # The last rating, without ranking every rating: the newest low one is newer than the newest
    # other one. Only a tie in time needs the ratings' ids, asked for that pair alone.
    chosen = select(Mentorship.id).where(*conditions)
    rated = (select(SessionFeedback.mentorship_id.label("pair"),
                    func.max(case((SessionFeedback.rating <= LOW_RATING, SessionFeedback.created_at))).label("low"),
                    func.max(case((SessionFeedback.rating > LOW_RATING, SessionFeedback.created_at))).label("other"))
             .where(*([] if rate_all else [SessionFeedback.mentorship_id.in_(chosen)]))
             .group_by(SessionFeedback.mentorship_id).subquery("rated"))
    low_rating = case((rated.c.low.is_(None), false()), (rated.c.other.is_(None), true()),
                      (rated.c.low > rated.c.other, true()), (rated.c.low < rated.c.other, false()),
                      else_=_last_rating(rated.c.low, rated) <= LOW_RATING)

    newest_sender = _newest_message(Message.sender_id)
    from_participant = exists().where(MentorshipParticipant.mentorship_id == Mentorship.id,
                                      MentorshipParticipant.user_id == newest_sender)
    unanswered = case((_newest_message(Message.created_at) <= _at(now - UNANSWERED_AFTER), from_participant),
                      else_=false())
    return (select(Mentorship.id.label("id"), no_session.label("no_session"), low_rating.label("low_rating"),
                   unanswered.label("unanswered"))
            .select_from(Mentorship).outerjoin(rated, rated.c.pair == Mentorship.id).where(*conditions))


def _conditions(program_id: int | None, mentorship_ids) -> list:
    conditions = [Mentorship.status == MentorshipStatus.ACTIVE]
    if program_id is not None:
        conditions.append(Mentorship.program_id == program_id)
    if mentorship_ids is not None:
        conditions.append(Mentorship.id.in_(mentorship_ids))
    return conditions


def risk_summary(program_id: int | None = None, now: datetime | None = None) -> RiskSummary:
    """Count the active pairs at risk (of one program, or all) and the pairs with each reason, in one query."""
    now = now or utcnow()
    cadences = _cadences(program_id)
    if not cadences:
        return RiskSummary()
    tune_for_reports(db.session)
    # The whole institution, or a program holding all its pairs (the tenant scope limits this to
    # the institution): rate every pair, with no lookup of which pairs are chosen.
    rate_all = program_id is None or not db.session.scalar(
        select(exists().where(Mentorship.program_id != program_id)))
    flags = _risk_flags(_conditions(program_id, None), cadences, now, rate_all).subquery("flags")
    summary = RiskSummary(by_kind=dict.fromkeys(RiskKind, 0))
    for no_session, low_rating, unanswered, count in db.session.execute(
            select(flags.c.no_session, flags.c.low_rating, flags.c.unanswered, func.count())
            .group_by(flags.c.no_session, flags.c.low_rating, flags.c.unanswered)):
        marks = {RiskKind.NO_SESSION: no_session, RiskKind.LOW_RATING: low_rating, RiskKind.UNANSWERED: unanswered}
        if any(marks.values()):
            summary.pairs += count
        for kind, marked in marks.items():
            summary.by_kind[kind] += count if marked else 0
    return summary


def assess_pairs(mentorship_ids: list[int], now: datetime | None = None) -> dict[int, AtRiskPair]:
    """Return {mentorship id: pair} for these pairs, those still active, each with its reasons (maybe none)."""
    now = now or utcnow()
    cadences = _cadences(None)
    if not cadences:
        return {}
    tune_for_reports(db.session)
    flags = _risk_flags(_conditions(None, mentorship_ids), cadences, now).subquery("flags")
    return _pairs_of(db.session.execute(_facts(flags, now)), now)


def _at_risk(flags):
    """True for a pair with at least one reason."""
    return or_(flags.c.no_session, flags.c.low_rating, flags.c.unanswered)


def _facts(flags, now: datetime):
    """Select what the sentences about each flagged pair need: its program, start, sessions, last rating,
    newest message and last nudge (`flags` holds the pairs' ids and flags)."""
    return (select(Mentorship.id, Mentorship.program_id, Program.name, Program.session_cadence_days,
                   Mentorship.started_at, flags.c.no_session, flags.c.low_rating, flags.c.unanswered,
                   _last_held(now), _held(func.min, Meeting.starts_at > _at(now)),
                   _last_rating(), _newest_message(Message.sender_id), _newest_message(Message.created_at),
                   select(func.max(Nudge.created_at)).where(Nudge.mentorship_id == Mentorship.id)
                   .correlate(Mentorship).scalar_subquery())
            .join(flags, flags.c.id == Mentorship.id).join(Program, Program.id == Mentorship.program_id))


def _last_held(now: datetime):
    """The start of the pair's last completed or confirmed session up to now."""
    return _held(func.max, Meeting.starts_at <= _at(now))


def _pairs_of(facts, now: datetime) -> dict[int, AtRiskPair]:
    """Make a pair of each row of `_facts`, in the rows' order, with its people and its reasons."""
    pairs: dict[int, AtRiskPair] = {}
    found = []
    for (mentorship_id, program, name, cadence, started, no_session, low_rating, unanswered, last_held,
         next_held, rating, sender_id, written_at, nudged) in facts:
        pairs[mentorship_id] = AtRiskPair(mentorship_id, program, name, cadence or DEFAULT_CADENCE_DAYS, started,
                                          last_session_at=last_held, next_session_at=next_held,
                                          last_nudged_at=nudged)
        found.append((mentorship_id, no_session, low_rating, unanswered, rating, sender_id, written_at))
    if not pairs:
        return pairs
    _load_people(pairs)

    for mentorship_id, no_session, low_rating, unanswered, rating, sender_id, written_at in found:
        pair = pairs[mentorship_id]
        if no_session:
            pair.reasons.append(_session_reason(pair, now))
        if low_rating:
            pair.reasons.append(RiskReason(RiskKind.LOW_RATING, f"Last session rated {rating} out of 5",
                                           rating=rating))
        sender = next((person for person in pair.people if person.id == sender_id), None)
        if unanswered and sender is not None:
            days = _days(now - written_at)
            pair.reasons.append(RiskReason(RiskKind.UNANSWERED, f"{sender.name}'s message has waited "
                                           f"{_plural(days, 'day')} for a reply", days=days, sender_id=sender_id))
    return pairs


def _load_people(pairs: dict[int, AtRiskPair]) -> None:
    """Give each pair its mentor and mentees (as users, by name)."""
    ids = list(pairs)
    for start in range(0, len(ids), 5000):  # a bounded IN list on both databases
        for mentorship_id, role, user in db.session.execute(
                select(MentorshipParticipant.mentorship_id, MentorshipParticipant.role, User)
                .join(User, User.id == MentorshipParticipant.user_id)
                .where(MentorshipParticipant.mentorship_id.in_(ids[start:start + 5000]))
                .order_by(User.last_name, User.first_name)):
            if role == ParticipantRole.MENTOR:
                pairs[mentorship_id].mentor = user
            else:
                pairs[mentorship_id].mentees.append(user)


def _session_reason(pair: AtRiskPair, now: datetime) -> RiskReason:
    """Say how long the pair has gone without a session (the database found it behind its cadence)."""
    cadence = f"expected every {_plural(pair.cadence_days, 'day')}"
    if pair.last_session_at is None:
        days = _days(now - pair.started_at)
        return RiskReason(RiskKind.NO_SESSION, f"No session yet, {_plural(days, 'day')} after the start ({cadence})",
                          days=days)
    days = _days(now - pair.last_session_at)
    return RiskReason(RiskKind.NO_SESSION, f"No session for {_plural(days, 'day')} ({cadence})", days=days)


def _worst_first(columns) -> tuple:
    """Order pairs with more reasons first, then the one whose reason has stood longest, then by program
    and pair (ids keep the pages apart when all else ties)."""
    return columns.reasons.desc(), columns.since, columns.program_name, columns.id


def _most_worrying(program_id: int | None, now: datetime, limit: int | None = None,
                   offset: int = 0) -> list[AtRiskPair]:
    """Return the active pairs at risk (of one program, or all), the most worrying first, `limit` of them
    from `offset` on: the database orders them, and only those are loaded.

    A reason stands since the last session held up to now (or the start) for no recent session, and
    since the newest message for an unanswered one; a low rating has no such time, so counts from now.
    """
    cadences = _cadences(program_id)
    if not cadences:
        return []
    tune_for_reports(db.session)
    # The whole institution: rate every pair, with no lookup of which pairs are chosen (as risk_summary).
    # Materialized: each flag is worked out once per pair, not again in the filter and in each sort key.
    flags = (_risk_flags(_conditions(program_id, None), cadences, now, rate_all=program_id is None)
             .cte("flags").prefix_with("MATERIALIZED"))
    quiet_since = case((flags.c.no_session, func.coalesce(_last_held(now), Mentorship.started_at)), else_=_at(now))
    waiting_since = case((flags.c.unanswered, _newest_message(Message.created_at)), else_=_at(now))
    flagged = [case((flag, 1), else_=0) for flag in (flags.c.no_session, flags.c.low_rating, flags.c.unanswered)]
    ranked = (select(flags.c.id, flags.c.no_session, flags.c.low_rating, flags.c.unanswered,
                     (flagged[0] + flagged[1] + flagged[2]).label("reasons"),
                     # The earlier of the two, spelt as a CASE: LEAST differs between SQLite and PostgreSQL.
                     case((quiet_since <= waiting_since, quiet_since), else_=waiting_since).label("since"),
                     Program.name.label("program_name"))
              .join(Mentorship, Mentorship.id == flags.c.id).join(Program, Program.id == Mentorship.program_id)
              .where(_at_risk(flags)))
    ranked = ranked.order_by(*_worst_first(ranked.selected_columns)).limit(limit).offset(offset).subquery("ranked")
    facts = _facts(ranked, now).order_by(*_worst_first(ranked.c))
    return list(_pairs_of(db.session.execute(facts), now).values())


def at_risk_pairs(program_id: int | None = None, now: datetime | None = None) -> list[AtRiskPair]:
    """Return the active pairs at risk (of one program, or all), the most worrying first."""
    return _most_worrying(program_id, now or utcnow())


def at_risk_page(program_id: int | None, number: int, now: datetime | None = None) -> tuple[Page, RiskSummary]:
    """Return page `number` of the active pairs at risk, the most worrying first, and the count of them all
    by reason; a number past either end gives the first or the last page.

    The count (`risk_summary`) is worked out on a connection of its own while the page is read.
    """
    now = now or utcnow()
    number = min(max(number, 1), MAX_PAGE)
    with begun(risk_summary, program_id, now) as counting:
        pairs = _most_worrying(program_id, now, PAIRS_PER_PAGE, (number - 1) * PAIRS_PER_PAGE)
        summary = answer(counting)
    last = Page([], summary.pairs, 1, PAIRS_PER_PAGE).pages
    if number > last:  # past the end: the last page
        number = last
        pairs = _most_worrying(program_id, now, PAIRS_PER_PAGE, (number - 1) * PAIRS_PER_PAGE)
    return Page(pairs, summary.pairs, number, PAIRS_PER_PAGE), summary


def reason_counts(pairs: list[AtRiskPair]) -> list[tuple[str, int]]:
    """Return (reason label, pairs with it), the most common first."""
    summary = RiskSummary(len(pairs), {})
    for pair in pairs:
        for kind in {reason.kind for reason in pair.reasons}:
            summary.by_kind[kind] = summary.by_kind.get(kind, 0) + 1
    return summary.reason_counts()
