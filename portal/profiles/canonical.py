"""Canonical tags cached with each profile, so matching never canonicalises.

Every ORM save of a profile whose matching fields changed refreshes the cache (a flush hook);
bulk writers (the people import) call `refresh_canonical_tags` for the profiles they touched;
a vocabulary update is caught up by the periodic `refresh_stale_canonical_tags` job.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.matching import VOCABULARY_VERSION, canonical_profile
from portal.models import Profile
from portal.tenancy import unscoped

MATCHING_FIELDS = ("skills", "career_interests", "mentoring_topics", "languages", "industry", "job_title",
                   "major", "degree")
_CHUNK = 1000


def canonical_tags_of(values: Mapping) -> dict:
    """Return the canonical tags for a profile given as a mapping of its fields."""
    return canonical_profile(**{name: values.get(name) or ("" if name in _TEXT else ()) for name in MATCHING_FIELDS})


_TEXT = {"industry", "job_title", "major", "degree"}


def _apply(profile: Profile) -> None:
    profile.canonical_tags = canonical_tags_of({name: getattr(profile, name) for name in MATCHING_FIELDS})
    profile.canonical_version = VOCABULARY_VERSION


@event.listens_for(Session, "before_flush")
def _refresh_changed_profiles(session: Session, _context, _instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Profile):
            continue
        state = inspect(obj)
        if obj in session.new or obj.canonical_version != VOCABULARY_VERSION or any(
                state.attrs[name].history.has_changes() for name in MATCHING_FIELDS):
            _apply(obj)


def refresh_canonical_tags(user_ids: Iterable[int]) -> int:
    """Recompute the cache for these users' profiles (for bulk writers); return how many."""
    ids = sorted(set(user_ids))
    done = 0
    for start in range(0, len(ids), _CHUNK):
        rows = db.session.execute(
            select(Profile.id, *[getattr(Profile, name) for name in MATCHING_FIELDS])
            .where(Profile.user_id.in_(ids[start:start + _CHUNK]))
        ).mappings().all()
        changes = [{"id": row["id"], "canonical_tags": canonical_tags_of(row),
                    "canonical_version": VOCABULARY_VERSION} for row in rows]
        if changes:
            db.session.execute(update(Profile), changes)
        done += len(changes)
    return done


def refresh_stale_canonical_tags() -> int:
    """Bring every profile cached with an older vocabulary up to date (periodic job)."""
    with unscoped():
        stale = db.session.scalars(
            select(Profile.user_id).where(Profile.canonical_version != VOCABULARY_VERSION)).all()
        return refresh_canonical_tags(stale)
