"""Signed-in sessions: one row per browser, so logout and password changes really end them."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import LoginSession, User, UserStatus, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, ip_address: str = "", user_agent: str = "") -> str:
    """Record a new signed-in session for `user`; return the secret token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            institution_id=user.institution_id,
            user_id=user.id,
            token_hash=_digest(token),
            ip_address=(ip_address or "")[:45],
            user_agent=(user_agent or "")[:300],
        )
    )
    user.last_login_at = utcnow()
    db.session.flush()
    return token


def signed_in_user(token: str | None, user_id: int) -> User | None:
    """Return the active user `user_id` if `token` is one of their sessions that has not ended (one query:
    every request asks)."""
    if not token:
        return None
    return db.session.scalar(
        select(User).join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.token_hash == _digest(token), LoginSession.ended_at.is_(None), User.id == user_id,
               User.status == UserStatus.ACTIVE))


def end_session(token: str | None) -> None:
    """End the session behind `token` (logout)."""
    if token:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == _digest(token), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_all_sessions(user_id: int, keep_token: str | None = None) -> int:
    """End every session of the user except the one behind `keep_token`; return how many."""
    statement = update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
    if keep_token:
        statement = statement.where(LoginSession.token_hash != _digest(keep_token))
    return db.session.execute(statement.values(ended_at=utcnow())).rowcount
