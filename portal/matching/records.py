"""The engine's plain data: who is matched (Person), on what (Question, weights), and the results."""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# The criteria a program weighs (0-100 each, as in Program.matching_weights), plus "affinity",
# which counts only where the program asks for affinity fields.
CRITERIA = ("skills", "interests", "industry", "major", "location", "languages", "questionnaire", "affinity")
DEFAULT_WEIGHTS = {"skills": 30, "interests": 25, "industry": 10, "major": 10, "location": 5, "languages": 10,
                   "questionnaire": 10}
AFFINITY_DEFAULT_WEIGHT = 10


class Objective(enum.StrEnum):
    TOTAL_SCORE = "total_score"  # the highest total score
    MOST_MATCHED = "most_matched"  # as many mentees matched as possible, then the highest total score


class UnmatchedReason(enum.StrEnum):
    NO_CAPACITY = "no_capacity"
    BELOW_THRESHOLD = "below_threshold"
    LANGUAGE = "language"
    EXCLUDED = "excluded"

    def message(self, min_score: float | None = None) -> str:
        """Return the reason as an admin reads it."""
        return {
            "no_capacity": "Every suitable mentor is already at capacity.",
            "below_threshold": f"No available mentor reaches the minimum score of {min_score or 0:g}.",
            "language": "No available mentor shares a language with this mentee.",
            "excluded": "Every available mentor is excluded for this mentee (a past or banned pair).",
        }[self.value]


@dataclass(slots=True)
class Person:
    """A mentee or mentor as the engine sees them: an int id and canonical fields only.

    Tags (skills, interests, topics, languages, industry, job_field, major) are canonical labels
    from `canonical_profile`; `degree` is a level from `canonical_degree`. `timezone` is an IANA
    name ("" if unknown). `answers` maps question id -> answer (str, list of str, or int 1-5).
    `capacity` is a mentor's FREE capacity (capacity minus active mentorships).
    """

    id: int
    skills: Sequence[str] = ()
    interests: Sequence[str] = ()
    topics: Sequence[str] = ()
    industry: str = ""
    job_field: str = ""
    major: str = ""
    degree: str = ""
    location: str = ""
    timezone: str = ""
    languages: Sequence[str] = ()
    answers: Mapping[Any, Any] = field(default_factory=dict)
    affinity: Mapping[str, Any] = field(default_factory=dict)
    capacity: int = 0

    @classmethod
    def from_profile(cls, id: int, canonical: Mapping[str, Any], *, location: str = "", timezone: str = "",
                     answers: Mapping[Any, Any] | None = None, affinity: Mapping[str, Any] | None = None,
                     capacity: int = 0) -> Person:
        """Build a person from the dict `canonical_profile` returned (as cached with the profile)."""
        return cls(id=id, skills=tuple(canonical.get("skills", ())),
                   interests=tuple(canonical.get("career_interests", ())),
                   topics=tuple(canonical.get("mentoring_topics", ())), industry=canonical.get("industry", ""),
                   job_field=canonical.get("job_title", ""), major=canonical.get("major", ""),
                   degree=canonical.get("degree", ""), languages=tuple(canonical.get("languages", ())),
                   location=location, timezone=timezone, answers=dict(answers or {}),
                   affinity=dict(affinity or {}), capacity=capacity)


@dataclass(frozen=True, slots=True)
class Question:
    """A questionnaire question used in matching (Question rows with used_in_matching)."""

    id: Any
    kind: str  # "single_choice" | "multiple_choice" | "scale" (1-5)
    rule: str = "same"  # "same" | "complementary"
    weight: float = 1.0
    options: Sequence[str] = ()
    prompt: str = ""


@dataclass(slots=True)
class MatchInput:
    """Everything one match run needs; pairs are (mentee_id, mentor_id)."""

    mentees: Sequence[Person]
    mentors: Sequence[Person]
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    questions: Sequence[Question] = ()
    affinity_fields: Sequence[str] = ()
    excluded_pairs: Collection[tuple[int, int]] = ()  # existing or past mentorships
    banned_pairs: Collection[tuple[int, int]] = ()
    pinned_pairs: Collection[tuple[int, int]] = ()
    min_score: float | None = None  # 0-100
    require_shared_language: bool = False
    objective: Objective | str = Objective.TOTAL_SCORE
    candidates_per_mentee: int = 40  # K; K >= number of mentors means the exact optimum over all pairs
    # Prove the optimum over the top-K candidates global (adding any left-out pair that beats it);
    # costs a few seconds at 10,000 x 2,000, nothing when K >= the number of mentors.
    prove_optimal: bool = False


@dataclass(slots=True)
class Pair:
    mentee_id: int
    mentor_id: int
    score: float  # 0-100, two decimals
    breakdown: dict[str, dict[str, Any]]
    pinned: bool = False


@dataclass(slots=True)
class Unmatched:
    mentee_id: int
    reason: UnmatchedReason
    message: str


@dataclass(slots=True)
class Statistics:
    mentees: int
    mentors: int
    matched: int
    matched_share: float
    mean_score: float
    median_score: float
    total_score: float
    histogram: list[int]  # pairs per 10-point band: 0-10, 10-20, ..., 90-100
    pinned: int
    unmatched_by_reason: dict[str, int]
    candidates_per_mentee: int
    exact_over_all_pairs: bool  # the optimum over ALL pairs: no pair was left out, or the proof succeeded
    seconds: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        """Return the statistics as JSON-ready data (for MatchRun.statistics)."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(slots=True)
class MatchResult:
    pairs: list[Pair]
    unmatched: list[Unmatched]
    statistics: Statistics
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Recommendation:
    mentor_id: int
    score: float
    breakdown: dict[str, dict[str, Any]]
    reasons: list[str]
