"""Proof that an assignment found on each mentee's top-K candidates is optimal over ALL pairs.

A min-cost flow is optimal exactly when its residual graph has no negative cycle, which is the
case when node potentials d exist with d(v) <= d(u) + cost(u, v) on every residual arc. We
compute d (shortest distances from a virtual root, Bellman-Ford vectorised with numpy) on the
candidate graph; a left-out pair (i, j) with weight w would add the arc i -> j of cost -w, which
keeps d valid iff w <= d(i) - d(j). Checking that for every left-out pair proves the optimum
global. The check is cheap for most mentees (their best left-out pair is below d(i) - max d(j));
only the others are scored again, and any pair that breaks the proof joins the candidates.
"""

from __future__ import annotations

import numpy as np

from portal.matching.assignment import EXCLUDED, Candidates, MaskedScores, arc_weights
from portal.matching.records import Objective


def potentials(n_rows: int, capacities: np.ndarray, candidates: Candidates, assigned: np.ndarray,
               objective: Objective | str) -> np.ndarray | None:
    """Return shortest-path potentials of the residual graph (nodes: S, T, mentees, mentors), or None."""
    n_cols = len(capacities)
    mentee, mentor = 2 + np.arange(n_rows), 2 + n_rows + np.arange(n_cols)
    rows, cols = candidates.rows, candidates.cols
    weights = arc_weights(candidates.points, n_rows, objective)
    used = assigned[rows] == cols
    matched = assigned >= 0
    load = np.bincount(assigned[matched], minlength=n_cols)
    unmatched = int((~matched).sum())
    tails = [np.where(used, mentor[cols], mentee[rows]), np.where(matched, mentee, 0),
             mentor[load < capacities], np.ones(int((load > 0).sum()), np.int64)]
    heads = [np.where(used, mentee[rows], mentor[cols]), np.where(matched, 0, mentee),
             np.ones(int((load < capacities).sum()), np.int64), mentor[load > 0]]
    costs = [np.where(used, weights, -weights), np.zeros(n_rows, np.int64),
             np.zeros(int((load < capacities).sum()), np.int64), np.zeros(int((load > 0).sum()), np.int64)]
    if unmatched < n_rows:
        tails.append(np.array([0])), heads.append(np.array([1])), costs.append(np.array([0]))
    if unmatched > 0:
        tails.append(np.array([1])), heads.append(np.array([0])), costs.append(np.array([0]))
    tails, heads, costs = (np.concatenate(parts).astype(np.int64) for parts in (tails, heads, costs))
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    targets, starts = np.unique(heads, return_index=True)
    distance = np.zeros(2 + n_rows + n_cols, np.int64)
    for _ in range(len(distance) + 1):
        relaxed = np.minimum.reduceat(distance[tails] + costs, starts)
        better = relaxed < distance[targets]
        if not better.any():
            return distance
        distance[targets[better]] = relaxed[better]
    return None  # a negative cycle: the flow was not optimal (never expected)


def violations(scores: MaskedScores, candidates: Candidates, distance: np.ndarray, n_rows: int,
               objective: Objective | str, per_row: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Return left-out pairs that break the optimality proof (rows, cols, points); None if there are none."""
    mentee_d, mentor_d = distance[2:2 + n_rows], distance[2 + n_rows:]
    has_next = candidates.next_points >= 0
    bound = np.where(has_next, arc_weights(np.maximum(candidates.next_points, 0), n_rows, objective), 0)
    suspects = np.flatnonzero(has_next & (bound + (mentor_d.max() if len(mentor_d) else 0) > mentee_d))
    found_rows, found_cols, found_points = [], [], []
    starts = np.searchsorted(candidates.rows, np.arange(n_rows + 1))
    for first in range(0, len(suspects), scores.chunk_rows):
        rows = suspects[first:first + scores.chunk_rows]
        block = scores.block(rows)
        spans = [np.arange(starts[r], starts[r + 1]) for r in rows.tolist()]
        local = np.repeat(np.arange(len(rows)), [len(span) for span in spans])
        block[local, candidates.cols[np.concatenate(spans)] if spans else []] = EXCLUDED
        points = np.rint(block.astype(np.float64) * 100).astype(np.int64)
        allowed = block > EXCLUDED
        if scores.min_points is not None:
            allowed &= points >= scores.min_points
        slack = np.where(allowed, arc_weights(points, n_rows, objective) + mentor_d[None, :] - mentee_d[rows, None],
                         np.iinfo(np.int64).min)
        for local_row in np.flatnonzero((slack > 0).any(axis=1)).tolist():
            bad = np.flatnonzero(slack[local_row] > 0)
            bad = bad[np.argsort(-slack[local_row, bad])[:per_row]]
            found_rows.append(np.full(len(bad), rows[local_row]))
            found_cols.append(bad)
            found_points.append(points[local_row, bad])
    if not found_rows:
        return None
    return np.concatenate(found_rows), np.concatenate(found_cols), np.concatenate(found_points)
