"""One-time links for invitations and password resets; only a hash of each secret is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from portal.accounts import AccountError
from portal.extensions import db
from portal.models import AuthToken, TokenPurpose, User, utcnow

INVALID_LINK = "This link is no longer valid. It may have expired or been used already."


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user: User, purpose: TokenPurpose, valid_for: timedelta) -> str:
    """Revoke the user's earlier links of this purpose and return a fresh secret."""
    revoke_tokens(user.id, purpose)
    secret = secrets.token_urlsafe(32)
    db.session.add(
        AuthToken(
            institution_id=user.institution_id,
            user_id=user.id,
            purpose=purpose,
            token_hash=_digest(secret),
            expires_at=utcnow() + valid_for,
        )
    )
    db.session.flush()
    return secret


def find_token(secret: str, purpose: TokenPurpose) -> AuthToken:
    """Return the unused, unexpired token for `secret`, or raise AccountError."""
    token = db.session.scalar(
        select(AuthToken).where(AuthToken.token_hash == _digest(secret), AuthToken.purpose == purpose)
    )
    if token is None or token.used_at or token.revoked_at or token.expires_at <= utcnow():
        raise AccountError(INVALID_LINK)
    return token


def use_token(secret: str, purpose: TokenPurpose) -> AuthToken:
    """Mark the token used, exactly once even when two requests race; return it."""
    token = find_token(secret, purpose)
    claimed = db.session.execute(
        update(AuthToken)
        .where(AuthToken.id == token.id, AuthToken.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    if claimed != 1:
        raise AccountError(INVALID_LINK)
    return token


def revoke_tokens(user_id: int, purpose: TokenPurpose) -> None:
    """Revoke every open link of this purpose for the user."""
    db.session.execute(
        update(AuthToken)
        .where(AuthToken.user_id == user_id, AuthToken.purpose == purpose)
        .where(AuthToken.used_at.is_(None), AuthToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
