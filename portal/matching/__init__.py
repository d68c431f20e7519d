"""The matching engine: canonical tags, scores with reasons, and the optimal assignment.

Pure Python (numpy, scipy, rapidfuzz, OR-tools); it imports nothing from Flask or the rest of
the portal, so jobs, views, the CLI and the benchmark all call the same functions.

Canonicalisation (when a profile is saved; cache the result with the profile):

    canonical_profile(skills=[...], career_interests=[...], mentoring_topics=[...], languages=[...],
                      industry="...", job_title="...", major="...", degree="...") -> dict (JSON-ready,
                      with "version" = VOCABULARY_VERSION; redo it when the version changes)
    canonicalise(tag) -> str; canonicalise_many(tags) -> list[str]   # one tag / a whole field
    get_vocabulary() -> Vocabulary  (tags with categories and parents, e.g. for tag suggestions)

Building the input (ids are ints; ORM rows -> plain data):

    Person.from_profile(user_id, profile_canonical, location=profile.location,
                        timezone=user.timezone, answers=enrollment.answers,
                        affinity={k: profile.affinity.get(k) for k in program.affinity_fields},
                        capacity=free_capacity)  # mentors: capacity minus active mentorships
    Question(id=q.id, kind=q.kind.value, rule=q.match_rule.value, weight=q.matching_weight,
             options=q.options, prompt=q.prompt)  # only questions with used_in_matching
    MatchInput(mentees, mentors, weights=program.matching_weights, questions=...,
               affinity_fields=program.affinity_fields,
               excluded_pairs={(mentee_id, mentor_id), ...},  # existing or past mentorships
               banned_pairs=..., pinned_pairs=..., min_score=None or 0-100,
               require_shared_language=False, objective="total_score" | "most_matched",
               candidates_per_mentee=40, prove_optimal=False)

Running:

    run_matching(data, progress=lambda phase, fraction: ...) -> MatchResult
        phases: "scoring" (fraction 0..1 by chunk), "assigning", "explaining".
        .pairs: [Pair(mentee_id, mentor_id, score 0-100, breakdown, pinned)]
        .unmatched: [Unmatched(mentee_id, reason: UnmatchedReason, message)]
        .statistics: Statistics(matched_share, mean_score, median_score, histogram (10 bands), ...,
                     seconds per phase); .as_dict() for MatchRun.statistics
        .warnings: pins that could not be made, pins above a mentor's free capacity
    Raises MatchInputError (a ValueError with a readable message) for a bad input.
    Bans and exclusions win over pins (a pinned pair that is banned is skipped with a warning);
    pins consume the mentor's capacity. The assignment (a min-cost flow, assignment.py) maximises
    the objective exactly over each mentee's top `candidates_per_mentee` mentors: that is the
    optimum over all pairs when K >= the number of mentors, or when prove_optimal=True, which
    checks the optimum against every left-out pair with LP potentials and adds any pair that
    beats it (certificate.py; a few seconds more at 10,000 x 2,000).
    statistics.exact_over_all_pairs says whether the result is the optimum over all pairs.

Explaining and recommending:

    explain(breakdown, viewer="admin" | "mentee") -> ["Both in Fintech", "Shared skills: Python and SQL", ...]
        (the breakdown is JSON: store it with the suggestion and explain it when showing it)
    recommend(mentee, mentors, k=5, weights=..., questions=..., affinity_fields=...,
              exclude={mentor ids}, only_available=False) -> [Recommendation(mentor_id, score,
              breakdown, reasons)]  # also gives the candidates' scores when an admin swaps a mentor

Criteria and weights: records.CRITERIA / DEFAULT_WEIGHTS (the same keys as
Program.matching_weights, each 0-100; normalised to shares). See features.py for how each
criterion is scored and scoring.py for how a block of pairs is scored at once.
"""

from portal.matching.canonical import canonical_degree, canonical_profile
from portal.matching.engine import MatchInputError, recommend, run_matching
from portal.matching.explain import explain
from portal.matching.records import (
    CRITERIA, DEFAULT_WEIGHTS, MatchInput, MatchResult, Objective, Pair, Person, Question, Recommendation, Statistics,
    Unmatched, UnmatchedReason,
)
from portal.matching.scoring import Scorer, normalise_weights
from portal.matching.vocabulary import VOCABULARY_VERSION, canonicalise, canonicalise_many, get_vocabulary

__all__ = [
    "CRITERIA", "DEFAULT_WEIGHTS", "VOCABULARY_VERSION", "MatchInput", "MatchInputError", "MatchResult", "Objective",
    "Pair", "Person", "Question", "Recommendation", "Scorer", "Statistics", "Unmatched", "UnmatchedReason",
    "canonical_degree", "canonical_profile", "canonicalise", "canonicalise_many", "explain", "get_vocabulary",
    "normalise_weights", "recommend", "run_matching",
]
