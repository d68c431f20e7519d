"""Reasons a person reads, from a pair's breakdown: "Both in Fintech", "Shared skills: Python, SQL"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Affinity fields as "Both ..." reads them (keys as in Program.affinity_fields).
AFFINITY_PHRASES = {"first_generation": "first-generation students", "international": "former international students",
                    "veteran": "served in the military", "gender": "share a gender identity"}
MAX_LISTED = 4


def _listing(items: Sequence[str]) -> str:
    """Return "A", "A and B", "A, B and C", or the first few "and N more"."""
    items = list(dict.fromkeys(items))
    if len(items) > MAX_LISTED:
        items = [*items[:MAX_LISTED - 1], f"{len(items) - MAX_LISTED + 1} more"]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _reason(criterion: str, entry: Mapping[str, Any], viewer: str) -> str | None:
    yours = viewer == "mentee"
    if criterion == "skills" and entry.get("shared"):
        return f"Shared skills: {_listing(entry['shared'])}"
    if criterion == "interests":
        if entry.get("shared"):
            whose = "your interests" if yours else "the mentee's interests"
            return f"Can speak to {whose}: {_listing(entry['shared'])}"
        if entry.get("related"):
            return f"Works close to {_listing(entry['related'])}"
    if criterion == "industry" and entry.get("industry"):
        industry, relation = entry["industry"], entry.get("relation")
        if relation == "same":
            return f"Both in {industry}"
        if relation == "interest":
            return f"Works in {industry}, " + ("which interests you" if yours else "an interest of the mentee")
        return f"Works in a related industry ({industry})"
    if criterion == "major":
        if entry.get("major"):
            return f"Same major: {entry['major']}"
        if entry.get("degree"):
            return f"Same degree level ({entry['degree']})"
    if criterion == "location":
        if entry.get("city"):
            return f"Same city ({entry['city']})"
        if entry.get("region"):
            return f"Same region ({entry['region'].upper() if len(entry['region']) <= 3 else entry['region'].title()})"
        hours = entry.get("hours_apart")
        if hours is not None:
            return "Same time zone" if hours == 0 else f"{hours:g} hour{'s' if hours != 1 else ''} apart"
    if criterion == "languages" and entry.get("shared"):
        return f"Both speak {_listing(entry['shared'])}"
    if criterion == "questionnaire" and entry.get("questions"):
        return f"Questionnaire answers fit: {_listing(entry['questions'])}"
    if criterion == "affinity" and entry.get("fields"):
        return "Both " + _listing([AFFINITY_PHRASES.get(name, name.replace("_", " ")) for name in entry["fields"]])
    return None


def explain(breakdown: Mapping[str, Mapping[str, Any]], viewer: str = "admin") -> list[str]:
    """Return the reasons behind a pair, the weightiest first; `viewer` is "admin" or "mentee"."""
    ranked = sorted(breakdown.items(), key=lambda item: -float(item[1].get("points", 0)))
    reasons = []
    for criterion, entry in ranked:
        if float(entry.get("points", 0)) > 0:
            reason = _reason(criterion, entry, viewer)
            if reason:
                reasons.append(reason)
    return reasons
