"""Saving a person's own profile: the fields in DESIGN.md, tags cleaned, affinity only with consent."""

from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.models import Profile, Role, User, utcnow
from portal.profiles import ProfileError
from portal.profiles.tags import TAG_FIELDS, clean_tags

MIN_CAPACITY, MAX_CAPACITY = 1, 10
EARLIEST_GRADUATION_YEAR = 1940

TEXT_FIELDS = {  # attribute: longest value the column takes
    "headline": 200, "bio": 4000, "degree": 120, "major": 120, "employer": 200, "job_title": 200,
    "industry": 120, "location": 120, "meeting_preferences": 200,
}

# Opt-in fields a program may ask to use in matching (same keys as portal.models.programs);
# (key, what the person ticks or types, kind).
AFFINITY_QUESTIONS = [
    ("first_generation", "I am the first in my family to go to university", "yes"),
    ("international", "I studied here as an international student", "yes"),
    ("veteran", "I have served in the military", "yes"),
    ("gender", "Gender, in your own words", "text"),
]
AFFINITY_KEYS = {key for key, *_ in AFFINITY_QUESTIONS}


def latest_graduation_year() -> int:
    """Return the last graduation year a current student could give (eight years ahead)."""
    return date.today().year + 8


def update_profile(user: User, changes: dict) -> Profile:
    """Apply `changes` (attribute: value) to the user's own profile after checking every value."""
    profile = user.profile
    if profile is None:
        profile = Profile(institution_id=user.institution_id, user_id=user.id)
        user.profile = profile
        db.session.add(profile)
    for attribute, limit in TEXT_FIELDS.items():
        if attribute in changes:
            value = (changes[attribute] or "").strip()
            if len(value) > limit:
                raise ProfileError(f"{attribute.replace('_', ' ').capitalize()}: use at most {limit} characters.")
            setattr(profile, attribute, value)
    if "graduation_year" in changes:
        profile.graduation_year = _graduation_year(changes["graduation_year"])
    for attribute, label in TAG_FIELDS.items():
        if attribute in changes:
            setattr(profile, attribute, clean_tags(changes[attribute], label))
    if user.role == Role.MENTOR:
        if "capacity" in changes:
            profile.capacity = _capacity(changes["capacity"])
        if "accepting_requests" in changes:
            profile.accepting_requests = bool(changes["accepting_requests"])
    if "affinity" in changes:
        profile.affinity = _affinity(changes["affinity"], bool(changes.get("affinity_consent")), profile.affinity)
    db.session.flush()
    return profile


def _graduation_year(value) -> int | None:
    if value in (None, ""):
        return None
    latest = latest_graduation_year()
    if not isinstance(value, int) or not EARLIEST_GRADUATION_YEAR <= value <= latest:
        raise ProfileError(f"Graduation year: enter a year between {EARLIEST_GRADUATION_YEAR} and {latest}.")
    return value


def _capacity(value) -> int | None:
    if value in (None, ""):
        return None
    if not isinstance(value, int) or not MIN_CAPACITY <= value <= MAX_CAPACITY:
        raise ProfileError(f"Capacity: choose between {MIN_CAPACITY} and {MAX_CAPACITY} mentees at a time.")
    return value


def _affinity(answers: dict, consented: bool, before: dict | None) -> dict:
    """Keep the opt-in answers only with consent; without it, forget every one of them."""
    answers = {key: value for key, value in (answers or {}).items() if key in AFFINITY_KEYS and value}
    if not consented:
        if answers:
            raise ProfileError("To share the optional background details, tick the consent box; "
                               "otherwise leave them empty and we store none of them.")
        return {}
    kept = {}
    for key, value in answers.items():
        if isinstance(value, str):
            value = " ".join(value.split())
            if len(value) > 60:
                raise ProfileError("Keep the optional background details to 60 characters each.")
        kept[key] = value
    if not kept:
        return {}
    consented_at = (before or {}).get("consented_at") or utcnow().isoformat(timespec="seconds")
    return {**kept, "consented_at": consented_at}
