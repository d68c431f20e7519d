"""What an admin chooses for a run: weights per criterion, a minimum score, languages, the objective."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.match_runs import MatchRunError
from portal.matching import DEFAULT_WEIGHTS, Objective
from portal.matching.records import AFFINITY_DEFAULT_WEIGHT
from portal.models import Program
from portal.models.programs import MATCHING_CRITERIA_LABELS

CANDIDATES_PER_MENTEE = 40
# Below this many mentee-mentor pairs the run also proves its result optimal over ALL pairs
# (certificate.py); above it the optimum over each mentee's best candidates is kept.
PROVE_OPTIMAL_UP_TO_PAIRS = 25_000_000
OBJECTIVES = {Objective.TOTAL_SCORE.value: "Highest total score",
              Objective.MOST_MATCHED.value: "Most mentees matched"}
CRITERION_HELP = {
    "skills": "Skills both have; rare shared skills count more.",
    "interests": "The mentee's career interests against the mentor's field, job and topics.",
    "industry": "The mentor works in an industry the mentee names.",
    "major": "Same major or field of study, or the same degree level.",
    "location": "Same city or region, or close time zones.",
    "languages": "The mentee's languages the mentor speaks; rarer languages count more.",
    "questionnaire": "Answers to the questions marked for matching.",
    "affinity": "Opt-in background both share, such as first-generation student.",
}


def criteria_of(program: Program, uses_questions: bool) -> dict[str, str]:
    """Return {criterion: label} for the criteria this program can weigh."""
    labels = dict(MATCHING_CRITERIA_LABELS)
    if not uses_questions:
        labels.pop("questionnaire", None)
    if program.affinity_fields:
        labels["affinity"] = "Shared background"
    return labels


def default_parameters(program: Program, previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the parameters a new run starts from: the last run's, or the program's weights."""
    weights = {**DEFAULT_WEIGHTS, **(program.matching_weights or {})}
    if program.affinity_fields:
        weights.setdefault("affinity", AFFINITY_DEFAULT_WEIGHT)
    base = {"weights": weights, "min_score": None, "require_shared_language": False,
            "objective": Objective.TOTAL_SCORE.value}
    if previous:
        base.update({key: previous[key] for key in base if key in previous})
        base["weights"] = {**weights, **(previous.get("weights") or {})}
    return base


def clean_parameters(data: Mapping[str, Any]) -> dict[str, Any]:
    """Check the parameters of a new run; raise MatchRunError with a readable message."""
    weights = {}
    for criterion, value in (data.get("weights") or {}).items():
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise MatchRunError(f"The weight of {criterion} must be a whole number from 0 to 100.") from None
        if not 0 <= number <= 100:
            raise MatchRunError(f"The weight of {criterion} must be from 0 to 100.")
        weights[criterion] = number
    if not any(weights.values()):
        raise MatchRunError("Give at least one criterion a weight above 0, or every pair would score the same.")
    min_score = data.get("min_score")
    if min_score in ("", None):
        min_score = None
    elif not (isinstance(min_score, (int, float)) and 0 <= min_score <= 100):
        raise MatchRunError("The minimum score must be a number from 0 to 100, or empty for none.")
    objective = str(data.get("objective") or Objective.TOTAL_SCORE.value)
    if objective not in OBJECTIVES:
        raise MatchRunError("Choose what the run should aim for: the highest total score, or the most mentees "
                            "matched.")
    return {"weights": weights, "min_score": min_score,
            "require_shared_language": bool(data.get("require_shared_language")), "objective": objective,
            "candidates_per_mentee": int(data.get("candidates_per_mentee") or CANDIDATES_PER_MENTEE)}


def describe(parameters: Mapping[str, Any]) -> list[str]:
    """Return the constraints of a run as short phrases for its page."""
    phrases = [OBJECTIVES.get(parameters.get("objective"), "Highest total score")]
    if parameters.get("min_score") is not None:
        phrases.append(f"minimum score {parameters['min_score']:g}")
    if parameters.get("require_shared_language"):
        phrases.append("a shared language required")
    if parameters.get("previous_run_id"):
        phrases.append(f"decisions kept from run #{parameters['previous_run_id']}")
    return phrases
