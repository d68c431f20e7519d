"""The industries offered as a filter: those the visible mentors work in, with how many of them."""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import func

from portal.directory.query import mentor_select, visible_mentors
from portal.extensions import db
from portal.jobs import redis_connection
from portal.matching import get_vocabulary
from portal.models.user import PROFILE_CANONICAL_INDUSTRY

CACHE_SECONDS = 600
_KEY = "portal:directory:industries:{programs}"


def _count(program_ids: list[int]) -> list[tuple[str, int]]:
    visible, _program = visible_mentors(program_ids)
    industry = PROFILE_CANONICAL_INDUSTRY
    counts = Counter()
    vocabulary = get_vocabulary()
    rows = db.session.execute(mentor_select(industry, func.count()).where(*visible).group_by(industry))
    for label, count in rows:
        if not label:
            continue
        seen = set()
        while label and label not in seen:  # a mentor in Fintech counts under Finance too
            seen.add(label)
            counts[label] += count
            label = vocabulary.parent(label)
    return sorted(counts.items(), key=lambda item: item[0].casefold())


def industry_choices(program_ids: list[int]) -> list[tuple[str, str]]:
    """Return (value, label) pairs, e.g. ("Finance", "Finance (120)"), cached for a few minutes."""
    if not program_ids:
        return []
    key = _KEY.format(programs=",".join(str(i) for i in sorted(program_ids)))
    redis = redis_connection()
    cached = redis.get(key)
    if cached:
        counts = json.loads(cached)
    else:
        counts = _count(program_ids)
        redis.set(key, json.dumps(counts), ex=CACHE_SECONDS)
    return [(label, f"{label[:1].upper()}{label[1:]} ({count:,})") for label, count in counts]
