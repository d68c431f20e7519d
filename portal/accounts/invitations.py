"""Invitations: where each person stands, sending links in the background, resending, revoking.

The admin's request marks `User.invited_at` at once and enqueues a mail job with ids only. The
job creates the one-time link itself (no secret ever sits in Redis) and sends it only if the
request still stands: the person is still invited, and no live link was issued since the
request. So a duplicated or retried job sends nothing twice, a later resend supersedes an
earlier one, and a revoke made before the worker got to it calls the mail off.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update

from portal.accounts import AccountError
from portal.accounts.people import invitation_link
from portal.accounts.tokens import revoke_tokens
from portal.extensions import db
from portal.jobs import enqueue_after_commit
from portal.models import AuthToken, Role, TokenPurpose, User, UserStatus, utcnow

log = logging.getLogger(__name__)

# People per mail job: small enough that a failing job retries little, large enough that
# inviting thousands enqueues tens of jobs, not thousands.
INVITE_BATCH_SIZE = 50


class InvitationError(AccountError):
    """An invitation that cannot be sent or revoked; the message is for the admin."""


class Stage(enum.StrEnum):
    """Where a person stands, from the admin's point of view."""

    NOT_INVITED = "not_invited"
    INVITED = "invited"
    JOINED = "joined"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"

    @property
    def label(self) -> str:
        return {"not_invited": "Not invited yet", "invited": "Invited", "joined": "Joined",
                "active": "Active", "deactivated": "Deactivated"}[self.value]

    @property
    def meaning(self) -> str:
        return {
            "not_invited": "has no invitation on its way",
            "invited": "was sent a link and hasn't accepted it yet",
            "joined": "accepted the invitation but hasn't finished setting up",
            "active": "finished setting up",
            "deactivated": "can't sign in",
        }[self.value]


def stage_of(user: User) -> Stage:
    """Return where `user` stands: not invited, invited, joined, active or deactivated."""
    return stage_for(user.status, user.role, invited=user.invited_at is not None,
                     onboarded=user.onboarded_at is not None)


def stage_for(status: UserStatus, role: Role, *, invited: bool, onboarded: bool) -> Stage:
    """Return the stage of a person with this status and role, invited and onboarded or not."""
    if status == UserStatus.DEACTIVATED:
        return Stage.DEACTIVATED
    if status == UserStatus.INVITED:
        return Stage.INVITED if invited else Stage.NOT_INVITED
    # Admins have no onboarding walk-through: once they are in, they are active.
    if not onboarded and role != Role.ADMIN:
        return Stage.JOINED
    return Stage.ACTIVE


def stage_condition(stage: Stage):
    """Return the SQL condition that selects the people at `stage`."""
    finished = or_(User.onboarded_at.is_not(None), User.role == Role.ADMIN)
    return {
        Stage.NOT_INVITED: and_(User.status == UserStatus.INVITED, User.invited_at.is_(None)),
        Stage.INVITED: and_(User.status == UserStatus.INVITED, User.invited_at.is_not(None)),
        Stage.JOINED: and_(User.status == UserStatus.ACTIVE, ~finished),
        Stage.ACTIVE: and_(User.status == UserStatus.ACTIVE, finished),
        Stage.DEACTIVATED: User.status == UserStatus.DEACTIVATED,
    }[stage]


def count_not_invited() -> int:
    """Return how many people in scope have never been sent an invitation."""
    return db.session.scalar(select(func.count()).select_from(User).where(stage_condition(Stage.NOT_INVITED)))


@dataclass(frozen=True)
class LinkState:
    """What became of a person's latest invitation link."""

    state: str  # queued | open | expired | revoked | used
    created_at: datetime | None = None
    expires_at: datetime | None = None
    ended_at: datetime | None = None


def link_states(people: list[User]) -> dict[int, LinkState]:
    """Return the state of each invited person's latest link, by user id (one query)."""
    ids = [person.id for person in people if person.status == UserStatus.INVITED]
    if not ids:
        return {}
    latest: dict[int, AuthToken] = {}
    tokens = db.session.scalars(
        select(AuthToken).where(AuthToken.user_id.in_(ids), AuthToken.purpose == TokenPurpose.INVITATION)
        .order_by(AuthToken.created_at, AuthToken.id)
    )
    for token in tokens:
        latest[token.user_id] = token
    now = utcnow()
    states = {}
    for person in people:
        if person.id not in ids:
            continue
        token = latest.get(person.id)
        if person.invited_at and (token is None or token.created_at < person.invited_at):
            states[person.id] = LinkState("queued")
        elif token is None:
            continue
        elif token.revoked_at:
            states[person.id] = LinkState("revoked", token.created_at, token.expires_at, token.revoked_at)
        elif token.used_at:
            states[person.id] = LinkState("used", token.created_at, token.expires_at, token.used_at)
        elif token.expires_at <= now:
            states[person.id] = LinkState("expired", token.created_at, token.expires_at, token.expires_at)
        else:
            states[person.id] = LinkState("open", token.created_at, token.expires_at)
    return states


@dataclass
class InvitationRequest:
    """What an admin's request to invite people came to."""

    queued: list[User] = field(default_factory=list)
    skipped: list[tuple[User, str]] = field(default_factory=list)


def _why_not_invitable(user: User) -> str | None:
    if user.status == UserStatus.DEACTIVATED:
        return "is deactivated; reactivate them first"
    if user.status == UserStatus.ACTIVE:
        return "has already joined"
    return None


def invite_people(institution_id: int, user_ids: list[int]) -> InvitationRequest:
    """Queue a fresh invitation for each invitable person among `user_ids` (the caller commits)."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return InvitationRequest()
    # The tenant scope hides other institutions' people: their ids simply find no one.
    return _queue_invitations(institution_id, select(User).where(User.id.in_(wanted)))


def invite_everyone_not_invited(institution_id: int) -> InvitationRequest:
    """Queue an invitation for everyone in scope who has never been sent one."""
    return _queue_invitations(institution_id, select(User).where(stage_condition(Stage.NOT_INVITED)))


def _queue_invitations(institution_id: int, query) -> InvitationRequest:
    result = InvitationRequest()
    now = utcnow()
    for person in db.session.scalars(query.order_by(User.last_name, User.first_name, User.id)):
        reason = _why_not_invitable(person)
        if reason:
            result.skipped.append((person, reason))
            continue
        person.invited_at = now
        result.queued.append(person)
    ids = [person.id for person in result.queued]
    for start in range(0, len(ids), 500):  # an earlier link stops working now, not when the mail goes
        db.session.execute(
            update(AuthToken)
            .where(AuthToken.user_id.in_(ids[start:start + 500]), AuthToken.purpose == TokenPurpose.INVITATION)
            .where(AuthToken.used_at.is_(None), AuthToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    db.session.flush()
    for start in range(0, len(ids), INVITE_BATCH_SIZE):
        enqueue_after_commit("mail", send_invitations, institution_id, ids[start:start + INVITE_BATCH_SIZE])
    return result


def resend_invitation(institution_id: int, user: User) -> None:
    """Revoke the person's current link and queue a new one."""
    reason = _why_not_invitable(user)
    if reason:
        raise InvitationError(f"{user.name} {reason}.")
    invite_people(institution_id, [user.id])


def revoke_invitation(user: User) -> None:
    """Make the person's invitation link stop working; they stay in the list, not invited."""
    if user.status != UserStatus.INVITED or user.invited_at is None:
        raise InvitationError(f"{user.name} has no invitation to revoke.")
    revoke_tokens(user.id, TokenPurpose.INVITATION)
    user.invited_at = None  # also calls off a mail the worker hasn't sent yet
    db.session.flush()


def _request_still_stands(user: User | None) -> bool:
    if user is None or user.status != UserStatus.INVITED or user.invited_at is None:
        return False
    issued_since = db.session.scalar(
        select(func.count()).select_from(AuthToken).where(
            AuthToken.user_id == user.id, AuthToken.purpose == TokenPurpose.INVITATION,
            AuthToken.created_at >= user.invited_at, AuthToken.revoked_at.is_(None),
        )
    )
    return not issued_since


def send_invitations(institution_id: int, user_ids: list[int]) -> int:
    """Mail each person a fresh invitation link unless it went out already; return how many were sent."""
    from portal.extensions import mail
    from portal.mail import send_templated_mail
    from portal.tenancy import tenant_scope

    sent, failed = 0, []
    with tenant_scope(institution_id), mail.get_connection() as connection:
        for user_id in user_ids:
            user = db.session.get(User, user_id)
            if not _request_still_stands(user):
                continue
            link = invitation_link(user)
            db.session.commit()  # the link must work before the mail can arrive
            try:
                send_templated_mail(user.email, f"You're invited to {user.institution.name}'s mentoring program",
                                    "invitation", user=user, link=link, connection=connection)
            except Exception:
                log.exception("invitation mail to user %s failed", user_id)
                db.session.rollback()
                revoke_tokens(user_id, TokenPurpose.INVITATION)  # a retry of the job sends a new one
                db.session.commit()
                failed.append(user_id)
                continue
            db.session.commit()
            sent += 1
    if failed:
        raise RuntimeError(f"{len(failed)} invitation mail(s) could not be sent: users {failed}")
    return sent
