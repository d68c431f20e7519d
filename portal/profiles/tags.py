"""Tags on profiles (skills, interests, topics, languages): cleaning what people type, and suggestions.

`suggest_tags` is the one seam for suggestions: it draws on the tags already used in the
institution's profiles and on the canonical vocabulary of the matching engine.
"""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import select

from portal.extensions import db
from portal.matching import canonicalise, get_vocabulary
from portal.models import Profile
from portal.profiles import ProfileError

MAX_TAGS = 20
MAX_TAG_LENGTH = 60
SEPARATORS = re.compile(r"[;,\n]")

# The profile attribute behind each tag field, and what people call it.
TAG_FIELDS = {
    "skills": "Skills",
    "career_interests": "Career interests",
    "mentoring_topics": "Mentoring topics",
    "languages": "Languages",
}

# Which categories of the canonical vocabulary (portal/matching) each field suggests from.
VOCABULARY_CATEGORIES = {
    "skills": ("skill",),
    "career_interests": ("field", "industry"),
    "mentoring_topics": ("topic",),
    "languages": ("language",),
}


def _vocabulary_labels(field: str) -> list[str]:
    categories = VOCABULARY_CATEGORIES[field]
    return [tag.label for tag in get_vocabulary().tags if tag.category in categories]


def split_tags(values: str | list[str] | None) -> list[str]:
    """Return the raw tags in what was typed: a ';'/','-separated text or a list of such texts."""
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    return [part for value in values for part in SEPARATORS.split(value or "")]


def clean_tags(values: str | list[str] | None, label: str = "Tags") -> list[str]:
    """Trim, collapse spaces and drop case-insensitive repeats; raise ProfileError past the limits."""
    tags, seen = [], set()
    for raw in split_tags(values):
        tag = " ".join(raw.split())
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ProfileError(f"Keep each tag to {MAX_TAG_LENGTH} characters or fewer "
                               f"(“{tag[:24]}…” has {len(tag)}).")
        seen.add(tag.casefold())
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ProfileError(f"{label}: choose up to {MAX_TAGS} tags (you have {len(tags)}); keep the ones that "
                           f"matter most.")
    return tags


def _used_tags(field: str) -> Counter:
    """Count the tags the institution's profiles use in `field` (reads go through the tenant scope)."""
    counts: Counter = Counter()
    spelling: dict[str, str] = {}
    for tags in db.session.scalars(select(getattr(Profile, field))):
        for tag in tags or []:
            key = tag.casefold()
            spelling.setdefault(key, tag)
            counts[spelling[key]] += 1
    return counts


def suggest_tags(field: str, prefix: str, limit: int = 8) -> list[str]:
    """Return up to `limit` tags for `field` that start with (or have a word starting with) `prefix`."""
    if field not in TAG_FIELDS:
        return []
    prefix = " ".join((prefix or "").split()).casefold()
    if not prefix:
        return []
    counts = _used_tags(field)
    known = {tag.casefold() for tag in counts}
    for tag in _vocabulary_labels(field):
        if tag.casefold() not in known:
            counts[tag] += 0
            known.add(tag.casefold())
    # An abbreviation or alias ("ML", "SWE") suggests its canonical tag first.
    canonical = canonicalise(prefix)
    alias_hit = canonical if canonical in counts and canonical.casefold() != prefix else None

    def rank(tag: str):
        lowered = tag.casefold()
        if lowered.startswith(prefix):
            return 0
        if any(word.startswith(prefix) for word in re.split(r"[\s/&()-]+", lowered)):
            return 1
        return None

    matches = [(-1 if tag == alias_hit else rank(tag), -count, tag.casefold(), tag) for tag, count in counts.items()]
    matches = sorted(match for match in matches if match[0] is not None)
    return [tag for *_, tag in matches[:limit]]
