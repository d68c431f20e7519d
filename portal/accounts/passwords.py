"""Password policy and hashing (Argon2id)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn

from portal.accounts import AccountError

MIN_LENGTH = 8
MAX_LENGTH = 1024
# zxcvbn refuses input over 72 characters; the first 72 say enough about guessability.
_STRENGTH_PREFIX = 72


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["PASSWORD_HASH_TIME_COST"], memory_cost=config["PASSWORD_HASH_MEMORY_COST"]
    )


def password_problem(password: str, personal: tuple[str, ...] = ()) -> str | None:
    """Return why `password` is not acceptable, or None when it is."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters; a few words together make a strong passphrase."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    verdict = zxcvbn(password[:_STRENGTH_PREFIX], user_inputs=[p for p in personal if p])
    if verdict["score"] < 2:
        warning = verdict["feedback"].get("warning") or "This password is too easy to guess."
        return f"{warning.rstrip('.')}. Try a longer passphrase of unrelated words."
    return None


def check_password_policy(password: str, personal: tuple[str, ...] = ()) -> None:
    """Raise AccountError when `password` breaks the policy."""
    problem = password_problem(password, personal)
    if problem:
        raise AccountError(problem)


def hash_password(password: str) -> str:
    """Return a slow, salted hash of `password`."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return whether `password` matches; spend the same time when there is no hash."""
    hasher = _hasher()
    if not password_hash:
        hasher.hash(password)  # keeps unknown and invited accounts as slow as real ones
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
