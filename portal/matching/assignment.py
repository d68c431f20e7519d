"""Candidate selection (each mentee's top K mentors) and the exact capacitated assignment.

The assignment is a min-cost flow (OR-tools): source -> mentee (capacity 1) -> mentor
(capacity 1, cost -score) -> sink (capacity = free capacity), plus a source -> sink arc that
leaves mentees unmatched at no cost. Scores are integers in hundredths of a point, so the
optimum is exact, not approximate. Two objectives, both lexicographic:

- TOTAL_SCORE: the highest total score; among equal totals, the most mentees matched.
- MOST_MATCHED: the most mentees matched; among those, the highest total score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from portal.matching.records import Objective

EXCLUDED = -1.0  # score given to a pair that may not be made
MAX_POINTS = 10_000  # 100 points in hundredths


@dataclass(slots=True)
class Candidates:
    rows: np.ndarray  # mentee index (sorted)
    cols: np.ndarray  # mentor index among the mentors in use
    points: np.ndarray  # score in hundredths of a point (int64)
    any_allowed: np.ndarray  # per mentee: some mentor in use is not excluded
    any_language: np.ndarray  # per mentee: some allowed mentor shares a language (all True if not required)
    best: np.ndarray  # per mentee: best allowed score (float, -1 if none)
    next_points: np.ndarray  # per mentee: best allowed points left out of the candidates (-1 if none)

    def add(self, rows: np.ndarray, cols: np.ndarray, points: np.ndarray) -> None:
        """Add candidate edges, keeping them sorted by mentee."""
        rows, cols = np.concatenate([self.rows, rows]), np.concatenate([self.cols, cols])
        points = np.concatenate([self.points, points])
        order = np.argsort(rows, kind="stable")
        self.rows, self.cols, self.points = rows[order], cols[order], points[order]


class MaskedScores:
    """Blocks of scores with the pairs that may not be made set to EXCLUDED."""

    def __init__(self, block_scores: Callable[[np.ndarray, np.ndarray], np.ndarray], n_rows: int, n_cols: int,
                 excluded: tuple[np.ndarray, np.ndarray], shares_language: Callable | None,
                 min_score: float | None):
        ex_rows, ex_cols = excluded
        order = np.argsort(ex_rows, kind="stable")
        self.ex_rows, self.ex_cols = ex_rows[order], ex_cols[order]
        self.excluded_count = np.bincount(self.ex_rows, minlength=n_rows)
        self.block_scores, self.shares_language = block_scores, shares_language
        self.n_rows, self.n_cols = n_rows, n_cols
        self.min_points = round(min_score * 100) if min_score else None
        # Keep chunks near 4M cells so a 10,000-mentor program still scores in small steps.
        self.chunk_rows = max(16, min(1024, 4_000_000 // max(n_cols, 1)))
        self.buffer = np.empty(2 * self.chunk_rows * max(n_cols, 1), np.float32)

    def block(self, rows: np.ndarray, speaks_out: list | None = None) -> np.ndarray:
        """Return the masked scores of mentees `rows` (sorted, at most chunk_rows of them)."""
        block = self.block_scores(rows, self.buffer)
        lo, hi = np.searchsorted(self.ex_rows, [rows[0], rows[-1] + 1])
        local = np.searchsorted(rows, self.ex_rows[lo:hi])
        hit = (local < len(rows)) & (rows[np.minimum(local, len(rows) - 1)] == self.ex_rows[lo:hi])
        block[local[hit], self.ex_cols[lo:hi][hit]] = EXCLUDED
        if self.shares_language is not None:
            speaks = self.shares_language(rows)
            if speaks_out is not None:
                speaks_out.append((speaks & (block > EXCLUDED)).any(axis=1))
            block[~speaks] = EXCLUDED
        return block


def top_k(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (rows, cols) of up to k highest allowed entries per row of `block`, best first per row."""
    n, m = block.shape
    if k >= m:
        flat = np.flatnonzero(block > EXCLUDED)
        return flat // m, flat % m
    # Estimate each row's k-th best from a strided sample, keep what beats it, then sort only that.
    step = max(1, m // (8 * k))
    threshold = np.full(n, EXCLUDED / 2, np.float32)
    if step > 1:
        sample = block[:, ::step]
        rank = min(sample.shape[1], -(-2 * k // step) + 1)
        estimate = np.partition(sample, sample.shape[1] - rank, axis=1)[:, sample.shape[1] - rank]
        threshold = np.maximum(estimate, threshold)
    flat = np.flatnonzero(block >= threshold[:, None])
    rows, cols = flat // m, flat % m
    counts = np.bincount(rows, minlength=n)
    short = np.flatnonzero((counts < k) & (threshold > EXCLUDED / 2))
    if len(short):  # the sample guessed too high for these rows: redo them exactly
        keep = ~np.isin(rows, short)
        part = np.argpartition(-block[short], k - 1, axis=1)[:, :k]
        extra_rows, extra_cols = np.repeat(short, k), part.ravel()
        ok = block[extra_rows, extra_cols] > EXCLUDED
        rows = np.concatenate([rows[keep], extra_rows[ok]])
        cols = np.concatenate([cols[keep], extra_cols[ok]])
    values = block[rows, cols].astype(np.float64)
    order = np.argsort(rows * 1000.0 - values, kind="stable")  # by row, then best first (scores are 0-100)
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, np.arange(n))
    keep = np.arange(len(rows)) - starts[rows] < k
    return rows[keep], cols[keep]


def select_candidates(scores: MaskedScores, k: int, progress: Callable[[float], None] | None = None) -> Candidates:
    """Score every mentee against every mentor in use, chunk by chunk, and keep the top k allowed ones."""
    n_rows, n_cols = scores.n_rows, scores.n_cols
    all_rows, all_cols, all_points = [], [], []
    any_language = np.ones(n_rows, bool)
    best = np.full(n_rows, EXCLUDED, np.float32)
    next_points = np.full(n_rows, -1, np.int64)
    for start in range(0, n_rows, scores.chunk_rows):
        rows = np.arange(start, min(start + scores.chunk_rows, n_rows))
        speaks: list = []
        block = scores.block(rows, speaks)
        if speaks:
            any_language[rows] = speaks[0]
        best[rows] = block.max(axis=1) if n_cols else EXCLUDED
        r, c = top_k(block, k + 1)  # one more than kept: the best left out, for the optimality check
        points = np.rint(block[r, c].astype(np.float64) * 100).astype(np.int64)
        rank = np.arange(len(r)) - np.searchsorted(r, r)
        left_out = rank == k
        next_points[r[left_out] + start] = points[left_out]
        keep = ~left_out
        if scores.min_points is not None:
            keep &= points >= scores.min_points
        all_rows.append(r[keep] + start)
        all_cols.append(c[keep])
        all_points.append(points[keep])
        if progress:
            progress(min(1.0, (start + len(rows)) / n_rows))
    if scores.min_points is not None:
        next_points[next_points < scores.min_points] = -1
    concat = (lambda parts: np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64))
    return Candidates(concat(all_rows), concat(all_cols), concat(all_points), scores.excluded_count < n_cols,
                      any_language, best, next_points)


def arc_weights(points: np.ndarray, n_rows: int, objective: Objective | str) -> np.ndarray:
    """Return the integer weight the flow maximises for pairs of these points (see the module docstring)."""
    points = np.asarray(points, np.int64)
    if Objective(objective) == Objective.MOST_MATCHED:
        return points + (MAX_POINTS * n_rows + 1)
    return points * (n_rows + 1) + 1  # score first; the +1 matches a mentee even at score 0


def solve(n_rows: int, capacities: np.ndarray, rows: np.ndarray, cols: np.ndarray, points: np.ndarray,
          objective: Objective | str) -> tuple[np.ndarray, np.ndarray]:
    """Return (mentor column per mentee row or -1, its points) maximising the objective exactly."""
    assigned = np.full(n_rows, -1, np.int64)
    assigned_points = np.zeros(n_rows, np.int64)
    capacities = np.maximum(np.asarray(capacities, np.int64), 0)
    usable = capacities[cols] > 0 if len(cols) else np.zeros(0, bool)
    rows, cols, points = rows[usable], cols[usable], points[usable]
    if not len(rows):
        return assigned, assigned_points
    active = np.unique(rows)
    n, m = len(active), len(capacities)
    row_node = np.full(n_rows, -1, np.int64)
    row_node[active] = 2 + np.arange(n)
    source, sink, mentor0 = 0, 1, 2 + n
    costs = -arc_weights(points, n_rows, objective)
    tails = np.concatenate([np.zeros(n, np.int64), row_node[rows], mentor0 + np.arange(m), [source]])
    heads = np.concatenate([row_node[active], mentor0 + cols, np.full(m, sink), [sink]])
    caps = np.concatenate([np.ones(n + len(rows), np.int64), capacities, [n]])
    arc_costs = np.concatenate([np.zeros(n, np.int64), costs, np.zeros(m + 1, np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32), caps, arc_costs)
    supplies = np.zeros(mentor0 + m, np.int64)
    supplies[source], supplies[sink] = n, -n
    flow.set_nodes_supplies(np.arange(mentor0 + m, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"The assignment solver failed ({status}).")
    used = flow.flows(np.arange(n, n + len(rows), dtype=np.int32)) > 0
    assigned[rows[used]] = cols[used]
    assigned_points[rows[used]] = points[used]
    return assigned, assigned_points
