"""Private calendar feeds: a secret in the URL is the credential; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import CalendarFeed, utcnow

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(user_id: int) -> CalendarFeed | None:
    """Return the person's feed record, if they made one."""
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id))


def reset_feed(institution_id: int, user_id: int) -> str:
    """Make a new secret feed address for the person and return its token; the old address stops working."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id).with_for_update())
    if feed is None:
        try:
            with db.session.begin_nested():
                db.session.add(CalendarFeed(institution_id=institution_id, user_id=user_id,
                                            token_hash=token_hash(token)))
            return token
        except IntegrityError:  # made at the same moment by another request: replace that one
            feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id).with_for_update())
    feed.token_hash, feed.created_at = token_hash(token), utcnow()
    db.session.flush()
    return token


def feed_by_token(token: str) -> CalendarFeed | None:
    """Return the feed whose secret is `token` (read across institutions: the token is the credential)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token)))
