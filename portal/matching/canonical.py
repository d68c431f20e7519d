"""Canonical profiles: computed when a profile is saved and cached with it, never at match time.

    canonical = canonical_profile(skills=[...], career_interests=[...], mentoring_topics=[...],
                                  languages=[...], industry="...", job_title="...", major="...",
                                  degree="...")
    # store `canonical` (JSON) with the profile; redo it when canonical["version"] != VOCABULARY_VERSION
    person = Person.from_profile(user_id, canonical, location=..., timezone=..., capacity=...)

Locations and time zones are normalised by the scorer itself (cheap and cached).
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from portal.matching.text import normalise
from portal.matching.vocabulary import VOCABULARY_VERSION, canonicalise_many, get_vocabulary

_DEGREE_LEVELS = {
    "associate": ("associate", "aa", "as", "aas", "associate degree", "associates", "foundation degree", "hnd"),
    "bachelor": ("bachelor", "bachelors", "ba", "bs", "bsc", "b sc", "beng", "b eng", "bfa", "bba", "bcom", "llb",
                 "ab", "bachelor of arts", "bachelor of science", "bachelor of engineering", "undergraduate",
                 "undergrad", "barch", "bsn", "bed", "b ed", "ba hons", "bsc hons", "bmus"),
    "master": ("master", "masters", "ma", "ms", "msc", "m sc", "meng", "m eng", "mfa", "mph", "msw", "mpp", "mpa",
               "med", "m ed", "mres", "mphil", "llm", "march", "mst", "master of arts", "master of science",
               "master of engineering", "postgraduate", "graduate degree"),
    "mba": ("mba", "emba", "executive mba", "master of business administration"),
    "doctorate": ("phd", "ph d", "dphil", "doctorate", "doctoral", "edd", "dba", "doctor of philosophy"),
    "professional": ("jd", "juris doctor", "md", "do", "dds", "dmd", "pharmd", "dvm", "dpt", "doctor of medicine"),
}
_DEGREES = {key: level for level, names in _DEGREE_LEVELS.items() for name in names
            for key in (normalise(name), normalise(name).replace(" ", ""))}
# Common short forms of places, so "NYC" and "New York, NY" are the same city.
_PLACE_ALIASES = {"nyc": "new york", "new york city": "new york", "sf": "san francisco", "la": "los angeles",
                  "dc": "washington", "washington dc": "washington", "uk": "united kingdom", "gb": "united kingdom",
                  "england": "united kingdom", "usa": "united states", "us": "united states",
                  "uae": "united arab emirates",
                  "bay area": "san francisco"}
_US_STATES = {
    "alabama": "al", "alaska": "ak", "arizona": "az", "arkansas": "ar", "california": "ca", "colorado": "co",
    "connecticut": "ct", "delaware": "de", "florida": "fl", "georgia": "ga", "hawaii": "hi", "idaho": "id",
    "illinois": "il", "indiana": "in", "iowa": "ia", "kansas": "ks", "kentucky": "ky", "louisiana": "la",
    "maine": "me", "maryland": "md", "massachusetts": "ma", "michigan": "mi", "minnesota": "mn",
    "mississippi": "ms", "missouri": "mo", "montana": "mt", "nebraska": "ne", "nevada": "nv", "new hampshire": "nh",
    "new jersey": "nj", "new mexico": "nm", "new york": "ny", "north carolina": "nc", "north dakota": "nd",
    "ohio": "oh", "oklahoma": "ok", "oregon": "or", "pennsylvania": "pa", "rhode island": "ri",
    "south carolina": "sc", "south dakota": "sd", "tennessee": "tn", "texas": "tx", "utah": "ut", "vermont": "vt",
    "virginia": "va", "washington state": "wa", "west virginia": "wv", "wisconsin": "wi", "wyoming": "wy",
    "ontario": "on", "quebec": "qc", "british columbia": "bc", "alberta": "ab",
}
_REMOTE = {"", "remote", "anywhere", "online", "n a", "na", "none", "various", "worldwide"}
# One fixed instant, so an offset does not change with the season the run happens in.
_REFERENCE = datetime(2026, 1, 15, 12, tzinfo=timezone.utc)


def canonical_degree(degree: str) -> str:
    """Return the degree level ("bachelor", "master", "mba", "doctorate"...) or the normalised text."""
    normalised = normalise(degree)
    for key in (normalised, normalised.replace(" ", ""), normalised.split(" ")[0] if normalised else ""):
        if key in _DEGREES:
            return _DEGREES[key]
    return normalised


@lru_cache(maxsize=20_000)
def place(location: str) -> tuple[str, str]:
    """Return (city, region) keys of a location text: "Boston, MA" -> ("boston", "ma"); remote -> ("", "")."""
    parts = [normalise(part) for part in (location or "").split(",")]
    parts = [_PLACE_ALIASES.get(part, part) for part in parts if part]
    if not parts or parts[0] in _REMOTE:
        return "", ""
    region = parts[-1] if len(parts) > 1 else ""
    return parts[0], _US_STATES.get(region, region)


@lru_cache(maxsize=1_000)
def utc_offset_hours(tz_name: str) -> float | None:
    """Return the UTC offset in hours of an IANA time zone name, or None if unknown."""
    if not tz_name:
        return None
    try:
        offset = _REFERENCE.astimezone(ZoneInfo(tz_name)).utcoffset()
    except (KeyError, ValueError, OSError):
        return None
    return offset.total_seconds() / 3600 if offset is not None else None


def canonical_profile(*, skills=(), career_interests=(), mentoring_topics=(), languages=(), industry: str = "",
                      job_title: str = "", major: str = "", degree: str = "") -> dict:
    """Return the canonical forms of a profile's matching fields, ready to cache as JSON."""
    vocabulary = get_vocabulary()
    return {
        "version": VOCABULARY_VERSION,
        "skills": canonicalise_many(list(skills or ())),
        "career_interests": canonicalise_many(list(career_interests or ())),
        "mentoring_topics": canonicalise_many(list(mentoring_topics or ())),
        "languages": canonicalise_many(list(languages or ())),
        "industry": vocabulary.canonicalise(industry or ""),
        "job_title": vocabulary.canonicalise_job_title(job_title or ""),
        "major": vocabulary.canonicalise(major or ""),
        "degree": canonical_degree(degree or ""),
    }
