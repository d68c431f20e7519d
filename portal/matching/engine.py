"""Match runs and recommendations: the two entry points the rest of the portal calls."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence

import numpy as np

from portal.matching.assignment import EXCLUDED, Candidates, MaskedScores, select_candidates, solve
from portal.matching.certificate import potentials, violations
from portal.matching.explain import explain
from portal.matching.records import (
    DEFAULT_WEIGHTS, MatchInput, MatchResult, Objective, Pair, Person, Question, Recommendation, Statistics, Unmatched,
    UnmatchedReason,
)
from portal.matching.scoring import Scorer

Progress = Callable[[str, float], None]  # (phase, fraction of that phase done)


class MatchInputError(ValueError):
    """The input cannot be matched as given (a message an admin can act on)."""


def _index(people: Sequence[Person], side: str) -> dict[int, int]:
    index = {}
    for position, person in enumerate(people):
        if person.id in index:
            raise MatchInputError(f"The {side} with id {person.id} is listed twice.")
        index[person.id] = position
    return index


def _pairs_to_indices(pairs: Collection[tuple[int, int]], mentee_index: dict[int, int],
                      mentor_index: dict[int, int]) -> set[tuple[int, int]]:
    return {(mentee_index[a], mentor_index[b]) for a, b in pairs if a in mentee_index and b in mentor_index}


def _pins(data: MatchInput, mentee_index, mentor_index, forbidden: set, warnings: list[str]) -> dict[int, int]:
    """Return {mentee row: mentor row} for the pins that can be made; explain the others in `warnings`."""
    pins: dict[int, int] = {}
    for mentee_id, mentor_id in sorted(data.pinned_pairs):
        if mentee_id not in mentee_index or mentor_id not in mentor_index:
            warnings.append(f"Pinned pair {mentee_id}-{mentor_id} skipped: one of them is not in this program.")
            continue
        pair = (mentee_index[mentee_id], mentor_index[mentor_id])
        if pair in forbidden:
            warnings.append(f"Pinned pair {mentee_id}-{mentor_id} skipped: the pair is banned or already existed.")
        elif pair[0] in pins:
            warnings.append(f"Pinned pair {mentee_id}-{mentor_id} skipped: mentee {mentee_id} is already pinned.")
        else:
            pins[pair[0]] = pair[1]
    return pins


def _statistics(data: MatchInput, pairs: list[Pair], unmatched: list[Unmatched], k: int, exact: bool,
                seconds: dict[str, float]) -> Statistics:
    scores = np.array([pair.score for pair in pairs], dtype=np.float64)
    histogram = np.histogram(np.clip(scores, 0, 100), bins=10, range=(0, 100))[0] if len(scores) else np.zeros(10)
    total = len(data.mentees)
    return Statistics(
        mentees=total, mentors=len(data.mentors), matched=len(pairs),
        matched_share=round(len(pairs) / total, 4) if total else 0.0,
        mean_score=round(float(scores.mean()), 2) if len(scores) else 0.0,
        median_score=round(float(np.median(scores)), 2) if len(scores) else 0.0,
        total_score=round(float(scores.sum()), 2), histogram=[int(v) for v in histogram],
        pinned=sum(pair.pinned for pair in pairs),
        unmatched_by_reason=dict(Counter(item.reason.value for item in unmatched)),
        candidates_per_mentee=k, exact_over_all_pairs=exact, seconds={k: round(v, 3) for k, v in seconds.items()})


def _assign_with_proof(scores: MaskedScores, candidates: Candidates, capacities: np.ndarray, objective: Objective,
                       k: int, rounds: int = 4) -> tuple[np.ndarray, np.ndarray, bool]:
    """Solve on the candidates; prove the optimum global, adding left-out pairs that break the proof."""
    n_rows = scores.n_rows
    for _ in range(rounds):
        assigned, points = solve(n_rows, capacities, candidates.rows, candidates.cols, candidates.points, objective)
        if not (candidates.next_points >= 0).any():
            return assigned, points, True  # nothing was left out
        distance = potentials(n_rows, capacities, candidates, assigned, objective)
        if distance is None:
            return assigned, points, False
        missing = violations(scores, candidates, distance, n_rows, objective, per_row=k)
        if missing is None:
            return assigned, points, True
        candidates.add(*missing)
    return assigned, points, False


def run_matching(data: MatchInput, progress: Progress | None = None) -> MatchResult:
    """Score, assign and explain one match run; raise MatchInputError for input that cannot be matched."""
    clock, seconds, warnings = time.perf_counter(), {}, []
    report = progress or (lambda phase, fraction: None)
    mentee_index, mentor_index = _index(data.mentees, "mentee"), _index(data.mentors, "mentor")
    try:
        scorer = Scorer(data.mentees, data.mentors, data.weights, data.questions, data.affinity_fields)
        objective = Objective(data.objective)
    except ValueError as error:
        raise MatchInputError(str(error)) from error
    forbidden = _pairs_to_indices([*data.excluded_pairs, *data.banned_pairs], mentee_index, mentor_index)
    pins = _pins(data, mentee_index, mentor_index, forbidden, warnings)

    capacity = np.array([max(int(p.capacity or 0), 0) for p in data.mentors], np.int64)
    for mentor_row, count in Counter(pins.values()).items():
        if count > capacity[mentor_row]:
            warnings.append(f"Mentor {data.mentors[mentor_row].id} is pinned to {count} mentees, more than "
                            f"their free capacity of {capacity[mentor_row]}.")
        capacity[mentor_row] = max(capacity[mentor_row] - count, 0)
    in_use = np.flatnonzero(capacity > 0)
    scorer.use_mentors(in_use)
    column_of = np.full(len(data.mentors), -1, np.int64)
    column_of[in_use] = np.arange(len(in_use))
    open_rows = np.array([row for row in range(len(data.mentees)) if row not in pins], np.int64)
    seconds["prepare"] = time.perf_counter() - clock

    clock = time.perf_counter()
    forbidden_open = [(row, column_of[col]) for row, col in forbidden if column_of[col] >= 0 and row not in pins]
    position = np.full(len(data.mentees), -1, np.int64)
    position[open_rows] = np.arange(len(open_rows))
    ex = np.array([(position[r], c) for r, c in forbidden_open], np.int64).reshape(-1, 2)
    k = max(1, int(data.candidates_per_mentee))
    scores = MaskedScores(
        lambda rows, buffer: scorer.block(open_rows[rows], buffer), len(open_rows), len(in_use), (ex[:, 0], ex[:, 1]),
        (lambda rows: scorer.shares_language(open_rows[rows])) if data.require_shared_language else None,
        data.min_score)
    candidates = select_candidates(scores, k, progress=lambda fraction: report("scoring", fraction))
    seconds["score"] = time.perf_counter() - clock

    clock = time.perf_counter()
    report("assigning", 0.0)
    if data.prove_optimal:
        assigned, assigned_points, exact = _assign_with_proof(scores, candidates, capacity[in_use], objective, k)
    else:
        assigned, assigned_points = solve(len(open_rows), capacity[in_use], candidates.rows, candidates.cols,
                                          candidates.points, objective)
        exact = not (candidates.next_points >= 0).any()
    seconds["assign"] = time.perf_counter() - clock

    clock = time.perf_counter()
    report("explaining", 0.0)
    matched = np.flatnonzero(assigned >= 0)
    mentee_rows = [*pins, *open_rows[matched].tolist()]
    mentor_rows = [*pins.values(), *in_use[assigned[matched]].tolist()]
    open_points = assigned_points[matched].tolist()
    breakdowns = scorer.breakdowns(mentee_rows, mentor_rows)
    pairs = []
    for number, (i, j, breakdown) in enumerate(zip(mentee_rows, mentor_rows, breakdowns)):
        pinned = number < len(pins)
        if pinned:
            score = round(min(100.0, sum(entry["points"] for entry in breakdown.values())), 2)
        else:
            score = open_points[number - len(pins)] / 100
        pairs.append(Pair(data.mentees[i].id, data.mentors[j].id, score, breakdown, pinned))
    unmatched = []
    for local in np.flatnonzero(assigned < 0).tolist():
        if not len(in_use):
            reason = UnmatchedReason.NO_CAPACITY
        elif not candidates.any_allowed[local]:
            reason = UnmatchedReason.EXCLUDED
        elif not candidates.any_language[local]:
            reason = UnmatchedReason.LANGUAGE
        elif data.min_score and np.rint(candidates.best[local] * 100) < round(data.min_score * 100):
            reason = UnmatchedReason.BELOW_THRESHOLD
        else:
            reason = UnmatchedReason.NO_CAPACITY
        unmatched.append(Unmatched(data.mentees[open_rows[local]].id, reason, reason.message(data.min_score)))
    seconds["explain"] = time.perf_counter() - clock
    return MatchResult(pairs, unmatched, _statistics(data, pairs, unmatched, k, exact, seconds), warnings)


def recommend(mentee: Person, mentors: Sequence[Person], k: int = 5, *,
              weights: Mapping[str, float] = DEFAULT_WEIGHTS, questions: Sequence[Question] = (),
              affinity_fields: Sequence[str] = (), exclude: Collection[int] = (), only_available: bool = False,
              viewer: str = "mentee") -> list[Recommendation]:
    """Return the mentee's top-k mentors, best first, with score, breakdown and reasons.

    `exclude` holds mentor ids to leave out (current or past mentors); `only_available` leaves
    out mentors without free capacity.
    """
    pool = [m for m in mentors if m.id not in set(exclude) and (not only_available or m.capacity > 0)]
    if not pool or k <= 0:
        return []
    scorer = Scorer([mentee], pool, weights, questions, affinity_fields)
    scores = scorer.block(np.array([0]))[0]
    top = np.argsort(-scores, kind="stable")[:k]
    top = top[scores[top] > EXCLUDED]
    breakdowns = scorer.breakdowns([0] * len(top), top.tolist())
    return [Recommendation(pool[j].id, round(float(scores[j]), 2), breakdown, explain(breakdown, viewer=viewer))
            for j, breakdown in zip(top.tolist(), breakdowns)]
