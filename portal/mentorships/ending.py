"""Ending a mentorship: completed, or ended early with a reason, by a participant or an admin."""

from __future__ import annotations

import enum

from sqlalchemy import select, update

from portal.extensions import db
from portal.mentorships import MentorshipError
from portal.models import Mentorship, MentorshipEvent, MentorshipStatus, Role, User, utcnow
from portal.notifications import notify

MAX_REASON_LENGTH = 2000


class EndOutcome(enum.StrEnum):
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"

    @property
    def label(self) -> str:
        return {"completed": "Completed", "ended_early": "Ended early"}[self.value]


# Why people end a mentorship early, as offered on the form; the free text adds the detail.
EARLY_END_REASONS = {
    "no_time": "We couldn't find time to meet",
    "not_a_fit": "We weren't the right fit",
    "goals_changed": "The mentee's goals changed",
    "left_program": "One of us is leaving the program",
    "unresponsive": "The other person stopped responding",
    "other": "Another reason",
}


def end_mentorship(mentorship_id: int, actor_id: int, outcome: EndOutcome | str, reason: str = "") -> Mentorship:
    """End an active mentorship, record who ended it and why, and tell the other participants."""
    try:
        outcome = EndOutcome(outcome)
    except ValueError:
        raise MentorshipError("Choose whether the mentorship was completed or ended early.") from None
    reason = (reason or "").strip()
    if outcome == EndOutcome.ENDED_EARLY and not reason:
        raise MentorshipError("Say why the mentorship is ending early; the other side will see the reason.")
    if len(reason) > MAX_REASON_LENGTH:
        raise MentorshipError(f"Keep the reason under {MAX_REASON_LENGTH} characters.")
    mentorship = db.session.scalar(select(Mentorship).where(Mentorship.id == mentorship_id))
    if mentorship is None:
        raise MentorshipError("This mentorship doesn't exist.")
    now = utcnow()
    # A conditional UPDATE: of two people ending at the same moment, exactly one succeeds.
    ended = db.session.execute(
        update(Mentorship).where(Mentorship.id == mentorship.id, Mentorship.status == MentorshipStatus.ACTIVE)
        .values(status=MentorshipStatus(outcome.value), ended_at=now, end_reason=reason, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(mentorship)
    if ended != 1:
        raise MentorshipError(f"This mentorship has already ended ({mentorship.status.label.lower()}); "
                              "nothing was changed.")
    db.session.add(MentorshipEvent(institution_id=mentorship.institution_id, mentorship_id=mentorship.id,
                                   actor_id=actor_id, kind=outcome.value, note=reason, created_at=now))
    db.session.flush()
    _tell_the_others(mentorship, actor_id, outcome, reason)
    return mentorship


def _tell_the_others(mentorship: Mentorship, actor_id: int, outcome: EndOutcome, reason: str) -> None:
    actor = db.session.get(User, actor_id)
    others = [p.user_id for p in mentorship.participants if p.user_id != actor_id]
    if not others:
        return
    who = actor.name if actor else "Someone"
    if actor is not None and actor.role == Role.ADMIN:
        who = f"{actor.name} from the program team"
    program = mentorship.program.name if mentorship.program else "the program"
    if outcome == EndOutcome.COMPLETED:
        title = f"{who} marked your mentorship in {program} as completed"
        body = (f"{who}'s closing note: {reason}\n\n" if reason else "") + \
            "Congratulations on finishing it. Please take two minutes to tell us how it went."
    else:
        title = f"{who} ended your mentorship in {program} early"
        body = f"The reason given: {reason}\n\nPlease take two minutes to tell us how it went."
    notify(others, "mentorship_ended", title, body, f"/mentorships/{mentorship.id}",
           institution_id=mentorship.institution_id)


def early_end_reason(choice: str, detail: str) -> str:
    """Return the reason to record from a choice on the form and the person's own words."""
    label = EARLY_END_REASONS.get(choice, "")
    detail = (detail or "").strip()
    if choice == "other" or not label:
        return detail
    return f"{label}: {detail}" if detail else label
