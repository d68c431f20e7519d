"""Nudging pairs: a kind, specific message to everyone in the pair, at most once a week per pair."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from portal.engagement import EngagementError
from portal.engagement.at_risk import NUDGE_INTERVAL, AtRiskPair, RiskKind, RiskReason, _plural, assess_pairs
from portal.engagement.mailing import path_for, send_engagement_mail
from portal.extensions import db
from portal.jobs import enqueue_after_commit
from portal.models import Institution, Mentorship, Nudge, User, UserStatus, utcnow
from portal.notifications import notify

NOTE_LIMIT = 1000
MAX_PAIRS = 500  # per click; the at-risk page lists 50 at once
NAMES_SHOWN = 5  # pairs named in what a nudge says it did; the rest are counted


@dataclass
class NudgeOutcome:
    nudged: list[AtRiskPair] = field(default_factory=list)
    recently_nudged: list[AtRiskPair] = field(default_factory=list)
    ended: int = 0  # pairs no longer active
    not_found: int = 0

    def sentences(self) -> list[str]:
        """Return what happened, one sentence per kind of outcome."""
        said = []
        if self.nudged:
            said.append(f"Nudged {_plural(len(self.nudged), 'pair')}: {_some(self.nudged)}. "
                        "Both sides got a message and an email.")
        if self.recently_nudged:
            said.append(f"Skipped {_plural(len(self.recently_nudged), 'pair')} already nudged in the last 7 days, "
                        "so nobody gets two nudges in a week: "
                        f"{_some(self.recently_nudged)}.")
        if self.ended:
            said.append(f"Skipped {_plural(self.ended, 'pair')} whose mentorship has ended.")
        if self.not_found:
            said.append(f"{_plural(self.not_found, 'pair')} could not be found.")
        return said


def _some(pairs, shown: int = NAMES_SHOWN) -> str:
    """Name the pairs, or the first few of many and how many more ("...; and 41 more")."""
    names = "; ".join(pair.names for pair in pairs[:shown])
    return names if len(pairs) <= shown else f"{names}; and {len(pairs) - shown} more"


def nudge_pairs(mentorship_ids, sent_by_id: int | None, note: str = "", now: datetime | None = None) -> NudgeOutcome:
    """Nudge each active pair not nudged in the last 7 days; record it and tell both sides (flushes)."""
    try:
        ids = sorted({int(value) for value in mentorship_ids})
    except (TypeError, ValueError):
        raise EngagementError("Choose the pairs to nudge from the list.") from None
    note = (note or "").strip()
    if not ids:
        raise EngagementError("Choose at least one pair to nudge.")
    if len(ids) > MAX_PAIRS:
        raise EngagementError(f"Nudge at most {MAX_PAIRS} pairs at once.")
    if len(note) > NOTE_LIMIT:
        raise EngagementError(f"Keep the personal note to {NOTE_LIMIT} characters.")
    now = now or utcnow()
    # The pair's row stays locked until commit: a second nudge of the same pair, sent at the same
    # moment, waits here and then sees the first one's Nudge row.
    found = db.session.scalars(select(Mentorship.id).where(Mentorship.id.in_(ids))
                               .order_by(Mentorship.id).with_for_update()).all()
    pairs = assess_pairs(list(found), now=now)
    outcome = NudgeOutcome(ended=len(found) - len(pairs), not_found=len(ids) - len(found))
    sender = db.session.get(User, sent_by_id) if sent_by_id else None
    for pair in sorted(pairs.values(), key=lambda pair: pair.names):
        if pair.nudged_within(now, NUDGE_INTERVAL):
            outcome.recently_nudged.append(pair)
            continue
        _nudge(pair, sender, note, now)
        outcome.nudged.append(pair)
    db.session.flush()
    return outcome


def _nudge(pair: AtRiskPair, sender: User | None, note: str, now: datetime) -> None:
    mentorship = db.session.get(Mentorship, pair.mentorship_id)
    institution = db.session.get(Institution, mentorship.institution_id)
    db.session.add(Nudge(institution_id=mentorship.institution_id, mentorship_id=pair.mentorship_id,
                         sent_by_id=sender.id if sender else None, created_at=now, message=note,
                         reason="; ".join(reason.text for reason in pair.reasons)[:300]))
    pair.last_nudged_at = now
    link = path_for("workspace.show_workspace", f"/mentorships/{pair.mentorship_id}",
                    mentorship_id=pair.mentorship_id)
    for person in pair.people:
        if person.status == UserStatus.DEACTIVATED:
            continue
        others = [other for other in pair.people if other.id != person.id]
        title = f"Checking in on your mentorship with {' and '.join(o.name for o in others) or 'your pair'}"
        body = nudge_body(pair, person, others, sender, note, institution.name)
        for made in notify(person.id, "nudge", title, body, link, institution_id=mentorship.institution_id,
                           email=False):
            enqueue_after_commit("mail", send_engagement_mail, mentorship.institution_id, made.id, "nudge")


def nudge_body(pair: AtRiskPair, person: User, others: list[User], sender: User | None, note: str,
               institution_name: str) -> str:
    """Return the nudge for one person: what we noticed, said kindly, and one thing to do next."""
    paragraphs = [f"We hope mentoring in {pair.program_name} is going well. We noticed something that may be "
                  "worth a moment of your time:"]
    for reason in pair.reasons:
        paragraphs.append(_reason_paragraph(reason, pair, person, others))
    if not pair.reasons:
        paragraphs.append("A quick check-in from your program team: how is it going? A short message or a "
                          "session in the next couple of weeks keeps things moving.")
    if note:
        paragraphs.append(f"A note from {sender.name if sender else 'your program team'}: {note}")
    paragraphs.append(f"Thank you for taking part. If anything is getting in the way, reply to your program team "
                      f"at {institution_name}: we are happy to help.")
    return "\n\n".join(paragraphs)


def _reason_paragraph(reason: RiskReason, pair: AtRiskPair, person: User, others: list[User]) -> str:
    other = " and ".join(o.first_name for o in others) or "your partner"
    if reason.kind == RiskKind.NO_SESSION and pair.last_session_at is None:
        return (f"You haven't had a session yet, {_plural(reason.days, 'day')} after you were paired. The first "
                f"conversation is often the hardest to schedule: suggest two or three times that suit you to {other}, "
                "and keep it short and simple.")
    if reason.kind == RiskKind.NO_SESSION:
        return (f"It has been {_plural(reason.days, 'day')} since your last session, and {pair.program_name} suggests "
                f"meeting about every {_plural(pair.cadence_days, 'day')}. A short check-in keeps the momentum going: "
                f"why not suggest a time for your next conversation with {other} this week?")
    if reason.kind == RiskKind.LOW_RATING:
        return (f"Your last session was rated {reason.rating} out of 5. That happens to every pair now and then. "
                "Agreeing on one clear topic for the next session, or looking at your goals together, often helps. "
                "If something isn't working, your program team is glad to talk it through.")
    if reason.sender_id == person.id:
        return (f"Your message to {other} has been waiting {_plural(reason.days, 'day')} for a reply. They may just "
                "be busy: a friendly follow-up, or a suggested time to talk, can help.")
    sender = next((o.first_name for o in others if o.id == reason.sender_id), other)
    return (f"{sender} wrote to you {_plural(reason.days, 'day')} ago and is waiting for your reply. Even a short "
            "answer, or a time that suits you to talk, helps.")
