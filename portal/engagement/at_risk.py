"""At-risk pairs: active mentorships drifting apart, each with the reasons an admin can act on.

DESIGN.md: a pair is at risk when it is active and has had no completed or confirmed session
within 1.5x the program's cadence, or its last rating was 2 or lower, or a message has waited
more than 7 days for a reply. "Unanswered" means the newest message of the thread is older than
7 days and came from one participant: nobody on the other side has written since.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from portal.extensions import db
from portal.models import (
    Meeting, MeetingStatus, Mentorship, MentorshipParticipant, MentorshipStatus, Message, Nudge, ParticipantRole,
    Program, SessionFeedback, User, utcnow,
)

CADENCE_SLACK = 1.5  # a pair is late once 1.5x the program's expected gap has passed
UNANSWERED_AFTER = timedelta(days=7)
LOW_RATING = 2
NUDGE_INTERVAL = timedelta(days=7)  # a pair is nudged at most once in this time


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


def _days(delta: timedelta) -> int:
    return max(0, delta.days)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def assess_pairs(program_id: int | None = None, mentorship_ids: list[int] | None = None,
                 now: datetime | None = None) -> dict[int, AtRiskPair]:
    """Return {mentorship id: pair} for the active pairs asked for, each with its reasons (maybe none)."""
    now = now or utcnow()
    conditions = [Mentorship.status == MentorshipStatus.ACTIVE]
    if program_id is not None:
        conditions.append(Mentorship.program_id == program_id)
    if mentorship_ids is not None:
        conditions.append(Mentorship.id.in_(mentorship_ids))
    chosen = select(Mentorship.id).where(*conditions).scalar_subquery()

    pairs: dict[int, AtRiskPair] = {}
    rows = db.session.execute(
        select(Mentorship.id, Mentorship.program_id, Program.name, Program.session_cadence_days, Mentorship.started_at)
        .join(Program, Program.id == Mentorship.program_id).where(*conditions))
    for mentorship_id, program, name, cadence, started in rows:
        pairs[mentorship_id] = AtRiskPair(mentorship_id, program, name, cadence or 14, started)
    if not pairs:
        return pairs

    for mentorship_id, role, user in db.session.execute(
            select(MentorshipParticipant.mentorship_id, MentorshipParticipant.role, User)
            .join(User, User.id == MentorshipParticipant.user_id)
            .where(MentorshipParticipant.mentorship_id.in_(chosen))
            .order_by(User.last_name, User.first_name)):
        if role == ParticipantRole.MENTOR:
            pairs[mentorship_id].mentor = user
        else:
            pairs[mentorship_id].mentees.append(user)

    # A confirmed session still ahead keeps a pair on track as long as it is not too far away.
    for mentorship_id, last_held, next_confirmed in db.session.execute(
            select(Meeting.mentorship_id,
                   func.max(case((Meeting.starts_at <= now, Meeting.starts_at))),
                   func.min(case((Meeting.starts_at > now, Meeting.starts_at))))
            .where(Meeting.mentorship_id.in_(chosen),
                   Meeting.status.in_([MeetingStatus.COMPLETED, MeetingStatus.CONFIRMED]))
            .group_by(Meeting.mentorship_id)):
        pairs[mentorship_id].last_session_at = last_held
        pairs[mentorship_id].next_session_at = next_confirmed

    for mentorship_id, last_nudged in db.session.execute(
            select(Nudge.mentorship_id, func.max(Nudge.created_at))
            .where(Nudge.mentorship_id.in_(chosen)).group_by(Nudge.mentorship_id)):
        pairs[mentorship_id].last_nudged_at = last_nudged

    for pair in pairs.values():
        reason = _session_reason(pair, now)
        if reason:
            pair.reasons.append(reason)
    for mentorship_id, rating in _last_ratings(chosen):
        if rating <= LOW_RATING:
            pairs[mentorship_id].reasons.append(
                RiskReason(RiskKind.LOW_RATING, f"Last session rated {rating} out of 5", rating=rating))
    for mentorship_id, sender_id, written_at in _newest_messages(chosen):
        pair = pairs[mentorship_id]
        sender = next((person for person in pair.people if person.id == sender_id), None)
        if sender is not None and written_at <= now - UNANSWERED_AFTER:
            days = _days(now - written_at)
            pair.reasons.append(RiskReason(RiskKind.UNANSWERED, f"{sender.name}'s message has waited "
                                           f"{_plural(days, 'day')} for a reply", days=days, sender_id=sender_id))
    return pairs


def _session_reason(pair: AtRiskPair, now: datetime) -> RiskReason | None:
    """Return why the pair is behind its cadence, or None if it is on track (or just started)."""
    window = timedelta(days=CADENCE_SLACK * pair.cadence_days)
    if pair.last_session_at is not None and pair.last_session_at >= now - window:
        return None
    if pair.next_session_at is not None and pair.next_session_at <= now + window:
        return None
    if pair.started_at >= now - window:
        return None  # a new pair gets the same time to meet as any other
    cadence = f"expected every {_plural(pair.cadence_days, 'day')}"
    if pair.last_session_at is None:
        days = _days(now - pair.started_at)
        return RiskReason(RiskKind.NO_SESSION, f"No session yet, {_plural(days, 'day')} after the start ({cadence})",
                          days=days)
    days = _days(now - pair.last_session_at)
    return RiskReason(RiskKind.NO_SESSION, f"No session for {_plural(days, 'day')} ({cadence})", days=days)


def _last_ratings(chosen) -> list[tuple[int, int]]:
    """Return (mentorship id, the most recently given rating) for the chosen pairs."""
    ranked = (select(Meeting.mentorship_id.label("mentorship_id"), SessionFeedback.rating.label("rating"),
                     func.row_number().over(partition_by=Meeting.mentorship_id,
                                            order_by=(SessionFeedback.created_at.desc(),
                                                      SessionFeedback.id.desc())).label("position"))
              .join(Meeting, Meeting.id == SessionFeedback.meeting_id)
              .where(Meeting.mentorship_id.in_(chosen)).subquery())
    return db.session.execute(select(ranked.c.mentorship_id, ranked.c.rating).where(ranked.c.position == 1)).all()


def _newest_messages(chosen) -> list[tuple[int, int | None, datetime]]:
    """Return (mentorship id, sender id, when) of each chosen thread's newest message."""
    ranked = (select(Message.mentorship_id.label("mentorship_id"), Message.sender_id.label("sender_id"),
                     Message.created_at.label("created_at"),
                     func.row_number().over(partition_by=Message.mentorship_id,
                                            order_by=(Message.created_at.desc(), Message.id.desc())).label("position"))
              .where(Message.mentorship_id.in_(chosen)).subquery())
    return db.session.execute(select(ranked.c.mentorship_id, ranked.c.sender_id, ranked.c.created_at)
                              .where(ranked.c.position == 1)).all()


def at_risk_pairs(program_id: int | None = None, now: datetime | None = None) -> list[AtRiskPair]:
    """Return the active pairs at risk (of one program, or all), the most worrying first."""
    pairs = [pair for pair in assess_pairs(program_id, now=now).values() if pair.reasons]
    return sorted(pairs, key=lambda pair: (-len(pair.reasons), -max(r.days for r in pair.reasons),
                                           pair.program_name, pair.names))


def reason_counts(pairs: list[AtRiskPair]) -> list[tuple[str, int]]:
    """Return (reason label, pairs with it), the most common first."""
    counts = Counter(reason.kind for pair in pairs for reason in pair.reasons)
    return [(kind.label, count) for kind, count in sorted(counts.items(), key=lambda item: (-item[1], item[0].value))]
