"""Signing in, invitations, password changes and account status."""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import func, select

from portal.accounts import AccountError
from portal.accounts.passwords import check_password_policy, hash_password, verify_password
from portal.accounts.sessions import end_all_sessions
from portal.accounts.tokens import issue_token, revoke_tokens, use_token
from portal.extensions import db
from portal.models import Institution, Profile, Role, TokenPurpose, User, UserStatus

SIGN_IN_FAILED = "That email and password don't match an active account. Check both and try again."
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def normalise_email(email: str) -> str:
    """Return the form emails are stored and compared in."""
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    """Return the user with this email in any institution (the caller chooses the scope)."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User:
    """Return the active user with these credentials, or raise the same error for any miss."""
    user = find_user_by_email(email)
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is None or not password_ok or user.status != UserStatus.ACTIVE:
        raise AccountError(SIGN_IN_FAILED)
    return user


def _personal_words(user: User) -> tuple[str, ...]:
    return (user.email, user.email.split("@")[0], user.first_name, user.last_name, user.institution.name)


def set_password(user: User, password: str) -> None:
    """Check the policy, store the new hash, and end every session of the user."""
    check_password_policy(password, _personal_words(user))
    user.password_hash = hash_password(password)
    end_all_sessions(user.id)
    revoke_tokens(user.id, TokenPurpose.PASSWORD_RESET)


def accept_invitation(secret: str, password: str) -> User:
    """Activate an invited user with their chosen password; the link works once."""
    token = use_token(secret, TokenPurpose.INVITATION)
    user = token.user
    if user.status == UserStatus.DEACTIVATED:
        raise AccountError("This account has been deactivated. Please contact your program team.")
    set_password(user, password)
    user.status = UserStatus.ACTIVE
    db.session.flush()
    return user


def reset_password(secret: str, password: str) -> User:
    """Set a new password from a reset link; the link works once."""
    token = use_token(secret, TokenPurpose.PASSWORD_RESET)
    set_password(token.user, password)
    db.session.flush()
    return token.user


class WrongPassword(AccountError):
    """The current password given for a change was not the right one."""


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change a signed-in user's password; every session ends (the caller starts a new one)."""
    if not verify_password(user.password_hash, current_password):
        raise WrongPassword("Your current password is not correct.")
    set_password(user, new_password)
    db.session.flush()


def invitation_link(user: User) -> str:
    """Issue a fresh invitation for `user` and return its full link."""
    secret = issue_token(user, TokenPurpose.INVITATION, current_app.config["INVITATION_VALID_FOR"])
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/invitation/{secret}"


def password_reset_link(user: User) -> str:
    """Issue a fresh password-reset link for `user` and return it."""
    secret = issue_token(user, TokenPurpose.PASSWORD_RESET, current_app.config["PASSWORD_RESET_VALID_FOR"])
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/reset-password/{secret}"


def deactivate_user(user: User, acting_user_id: int) -> None:
    """Stop a person from signing in and end their sessions."""
    if user.id == acting_user_id:
        raise AccountError("You can't deactivate your own account.")
    user.status = UserStatus.DEACTIVATED
    end_all_sessions(user.id)
    revoke_tokens(user.id, TokenPurpose.INVITATION)
    revoke_tokens(user.id, TokenPurpose.PASSWORD_RESET)
    db.session.flush()


def reactivate_user(user: User) -> None:
    """Let a deactivated person sign in again (or accept their invitation, if they never did)."""
    user.status = UserStatus.ACTIVE if user.password_hash else UserStatus.INVITED
    db.session.flush()


def create_user(institution: Institution, email: str, first_name: str, last_name: str, role: Role) -> User:
    """Add a person to an institution, invited, with an empty profile."""
    email = normalise_email(email)
    if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise AccountError(f"{email} already has an account.")
    user = User(
        institution_id=institution.id, email=email, first_name=first_name, last_name=last_name, role=role,
        timezone=institution.timezone,
    )
    user.institution = institution
    user.profile = Profile(institution_id=institution.id)
    db.session.add(user)
    db.session.flush()
    return user


def create_institution(name: str, slug: str, timezone: str = "UTC") -> Institution:
    """Create a tenant; slugs are lowercase letters, digits and dashes."""
    slug = slug.strip().lower()
    if not SLUG_PATTERN.match(slug):
        raise AccountError("The slug may use lowercase letters, digits and dashes (e.g. 'northbridge').")
    if db.session.scalar(select(func.count()).select_from(Institution).where(Institution.slug == slug)):
        raise AccountError(f"An institution with the slug '{slug}' already exists.")
    institution = Institution(name=name.strip(), slug=slug, timezone=timezone)
    db.session.add(institution)
    db.session.flush()
    return institution
