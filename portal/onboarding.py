"""The first sign-in walk-through: password, profile, program questions, orientation.

Each step's state is read from the records themselves (a profile with its essentials, answered
questionnaires, the orientation read), so a person who leaves comes back where they stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.extensions import db
from portal.models import Role, User, utcnow


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool


def onboarding_steps(user: User) -> list[Step]:
    """Return the walk-through's steps for `user` (none for admins)."""
    if user.role == Role.ADMIN:
        return []
    from portal.profiles.completeness import profile_completeness
    from portal.programs.operations import open_questionnaires

    return [
        Step("password", "Set your password", user.password_hash is not None),
        Step("profile", "Complete your profile", not profile_completeness(user).missing),
        Step("questionnaire", "Answer your program's questions", not open_questionnaires(user.id)),
        Step("orientation", "Read the orientation", user.orientation_read_at is not None),
    ]


def needs_onboarding(user: User) -> bool:
    """Return whether `user` has not finished the walk-through yet."""
    return user.role != Role.ADMIN and user.onboarded_at is None


def next_step(user: User) -> Step | None:
    """Return the first unfinished step, or None when every step is done."""
    return next((step for step in onboarding_steps(user) if not step.done), None)


def mark_orientation_read(user: User) -> None:
    """Record that the person has read the orientation."""
    user.orientation_read_at = user.orientation_read_at or utcnow()
    db.session.flush()


def finish_onboarding(user: User) -> bool:
    """Mark the walk-through finished when every step is done; return whether it is."""
    if next_step(user) is not None:
        return False
    user.onboarded_at = user.onboarded_at or utcnow()
    db.session.flush()
    return True
