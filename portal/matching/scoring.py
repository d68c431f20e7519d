"""Scores 0-100 for blocks of mentees against all mentors, and the breakdown of one pair.

The score is sum_c weight_c * 100 * A_c[i] . B_c[j] (see features.py), so the weighted
criteria are stacked into one feature matrix per side. Columns that most pairs share (a
language nearly everyone speaks, a degree level, time zone closeness) go into a small dense
matrix multiplied with BLAS; the rest (tags, cities, options) stay sparse, where a product
only touches pairs that actually share something.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from portal.matching import features
from portal.matching.canonical import place
from portal.matching.records import AFFINITY_DEFAULT_WEIGHT, CRITERIA, Person, Question
from portal.matching.vocabulary import Vocabulary, get_vocabulary

# A column shared by more than this share of pairs is cheaper in the dense (BLAS) product: a
# sparse product term costs a few hundred times a dense multiply-add.
DENSE_FILL = 0.001
MAX_DENSE_COLUMNS = 512


def normalise_weights(weights: Mapping[str, float], questions: Sequence[Question] = (),
                      affinity_fields: Sequence[str] = ()) -> dict[str, float]:
    """Return the active criteria's weights as shares summing to 1; raise ValueError if none is positive.

    The questionnaire counts only when questions are used in matching, affinity only when the
    program asks for affinity fields (weight AFFINITY_DEFAULT_WEIGHT unless given).
    """
    unknown = set(weights) - set(CRITERIA)
    if unknown:
        raise ValueError(f"Unknown matching criteria: {', '.join(sorted(unknown))}.")
    active = {c: float(weights.get(c, 0) or 0) for c in CRITERIA if c not in ("questionnaire", "affinity")}
    if questions:
        active["questionnaire"] = float(weights.get("questionnaire", 0) or 0)
    if affinity_fields:
        active["affinity"] = float(weights.get("affinity", AFFINITY_DEFAULT_WEIGHT) or 0)
    if any(value < 0 for value in active.values()):
        raise ValueError("Matching weights cannot be negative.")
    total = sum(active.values())
    if total <= 0:
        raise ValueError("Give at least one matching criterion a weight above 0.")
    return {criterion: value / total for criterion, value in active.items() if value > 0}


class Scorer:
    """Scores mentees (rows) against mentors (columns) of one program."""

    def __init__(self, mentees: Sequence[Person], mentors: Sequence[Person], weights: Mapping[str, float],
                 questions: Sequence[Question] = (), affinity_fields: Sequence[str] = (),
                 vocabulary: Vocabulary | None = None):
        self.mentees, self.mentors = list(mentees), list(mentors)
        self.questions, self.affinity_fields = list(questions), list(affinity_fields)
        self.vocabulary = vocabulary or get_vocabulary()
        self.weights = normalise_weights(weights, self.questions, self.affinity_fields)
        self.criteria: dict[str, tuple[sp.csr_matrix, sp.csr_matrix]] = {}
        for criterion in self.weights:
            builder = features.BUILDERS[criterion](self.mentees, self.mentors, vocabulary=self.vocabulary,
                                                   questions=self.questions, affinity_fields=self.affinity_fields)
            self.criteria[criterion] = builder.matrices()
        a = sp.hstack([self.criteria[c][0] * (100 * w) for c, w in self.weights.items()], format="csc")
        b = sp.hstack([self.criteria[c][1] for c in self.weights], format="csc")
        self._split(a, b)
        self._languages: tuple[sp.csr_matrix, sp.csr_matrix] | None = None
        self._detail_cache: dict = {}
        self.use_mentors(np.arange(len(self.mentors)))

    def _split(self, a: sp.csc_matrix, b: sp.csc_matrix) -> None:
        fill = (np.diff(a.indptr) / max(a.shape[0], 1)) * (np.diff(b.indptr) / max(b.shape[0], 1))
        order = np.argsort(-fill, kind="stable")
        dense = np.sort(order[:MAX_DENSE_COLUMNS][fill[order[:MAX_DENSE_COLUMNS]] > DENSE_FILL])
        sparse = np.setdiff1d(np.arange(a.shape[1]), dense)
        self._a_dense = np.ascontiguousarray(a[:, dense].toarray(), dtype=np.float32)
        self._b_dense_all = b[:, dense].toarray().astype(np.float32)
        self._a_sparse = a[:, sparse].tocsr()
        self._b_sparse_all = b[:, sparse].tocsr()

    def use_mentors(self, columns: np.ndarray) -> None:
        """Restrict block scoring to these mentor indices (e.g. those with free capacity)."""
        self.columns = np.asarray(columns, dtype=np.int64)
        self._v = np.ascontiguousarray(self._b_dense_all[self.columns].T)
        self._bt = self._b_sparse_all[self.columns].T.tocsr()

    def block(self, rows: np.ndarray | slice, out: np.ndarray | None = None) -> np.ndarray:
        """Return the scores (float32, 0-100) of mentees `rows` against the mentors in use.

        `out`, a reusable float32 buffer of at least that many cells, saves allocating (and page
        faulting) a fresh block for every chunk of a large run.
        """
        a_dense = self._a_dense[rows]
        shape = (a_dense.shape[0], self._v.shape[1])
        if out is None or out.size < 2 * shape[0] * shape[1]:
            out = np.empty(2 * shape[0] * shape[1], np.float32)
        cells = shape[0] * shape[1]
        result, scratch = out[:cells].reshape(shape), out[cells:2 * cells].reshape(shape)
        np.matmul(a_dense, self._v, out=result)
        product = self._a_sparse[rows] @ self._bt
        if product.nnz:
            if product.nnz > result.size // 64:
                product.toarray(out=scratch)
                result += scratch
            else:
                product.sum_duplicates()
                flat = np.repeat(np.arange(shape[0]) * shape[1], np.diff(product.indptr)) + product.indices
                result.reshape(-1)[flat] += product.data
        np.clip(result, 0, 100, out=result)
        return result

    def shares_language(self, rows: np.ndarray | slice) -> np.ndarray:
        """Return a bool matrix: does mentee i share at least one language with mentor j (in use)?"""
        if self._languages is None:
            self._languages = features.languages(self.mentees, self.mentors).matrices()
        a, b = self._languages
        return (a[rows] @ b[self.columns].T).toarray() > 0

    def criterion_scores(self, mentee_rows: np.ndarray, mentor_rows: np.ndarray) -> dict[str, np.ndarray]:
        """Return each criterion's 0..1 score for the pairs (mentee_rows[k], mentor_rows[k])."""
        scores = {}
        for criterion, (a, b) in self.criteria.items():
            values = np.asarray(a[mentee_rows].multiply(b[mentor_rows]).sum(axis=1)).ravel()
            scores[criterion] = np.clip(values.astype(np.float64), 0, 1)
        return scores

    def breakdowns(self, mentee_rows: Sequence[int], mentor_rows: Sequence[int]) -> list[dict]:
        """Return the per-criterion breakdown of each pair, with what the reasons need."""
        mentee_rows, mentor_rows = np.asarray(mentee_rows, np.int64), np.asarray(mentor_rows, np.int64)
        if not len(mentee_rows):
            return []
        scores = self.criterion_scores(mentee_rows, mentor_rows)
        rounded = {c: np.round(values, 4).tolist() for c, values in scores.items()}
        points = {c: np.round(100 * self.weights[c] * values, 2).tolist() for c, values in scores.items()}
        weights = {c: round(w, 4) for c, w in self.weights.items()}
        result = []
        for k, (i, j) in enumerate(zip(mentee_rows.tolist(), mentor_rows.tolist())):
            breakdown = {}
            for criterion in self.weights:
                entry = {"score": rounded[criterion][k], "weight": weights[criterion], "points": points[criterion][k]}
                if entry["score"] > 0:
                    entry.update(self._details(criterion, i, j))
                breakdown[criterion] = entry
            result.append(breakdown)
        return result

    def _cached(self, name: str, side: int, row: int, compute):
        cache = self._detail_cache.setdefault((name, side), {})
        if row not in cache:
            cache[row] = compute((self.mentees, self.mentors)[side][row])
        return cache[row]

    def _details(self, criterion: str, i: int, j: int) -> dict:
        """Return what mentee row i and mentor row j have in common on one criterion, for the reasons."""
        mentee, mentor = self.mentees[i], self.mentors[j]
        if criterion == "skills":
            theirs = self._cached("skills", 1, j, lambda p: set(p.skills))
            return {"shared": [tag for tag in mentee.skills if tag in theirs]}
        if criterion == "interests":
            offered = self._cached("offers", 1, j, lambda p: features.offers(p, self.vocabulary))
            return {"shared": [tag for tag in mentee.interests if offered.get(tag) == 1.0],
                    "related": [tag for tag in mentee.interests if offered.get(tag) == 0.5]}
        if criterion == "industry":
            same = mentor.industry in features.industry_targets(mentee)
            return {"industry": mentor.industry, "relation": ("same" if mentor.industry == mentee.industry else
                                                              "interest" if same else "related")}
        if criterion == "major":
            return {"major": mentor.major if mentor.major == mentee.major else "",
                    "degree": mentor.degree if mentor.degree == mentee.degree else ""}
        if criterion == "location":
            (city, region), (other_city, other_region) = place(mentee.location), place(mentor.location)
            a, b = features.timezone_bucket(mentee), features.timezone_bucket(mentor)
            hours = None if a is None or b is None else min(abs(a - b), 24 - abs(a - b))
            return {"city": mentor.location.split(",")[0].strip() if city and city == other_city else "",
                    "region": region if region and region == other_region else "", "hours_apart": hours}
        if criterion == "languages":
            theirs = self._cached("languages", 1, j, lambda p: set(p.languages))
            return {"shared": [tag for tag in mentee.languages if tag in theirs]}
        if criterion == "questionnaire":
            mine = self._cached("answers", 0, i, lambda p: [features.answer_of(p, q) for q in self.questions])
            theirs = self._cached("answers", 1, j, lambda p: [features.answer_of(p, q) for q in self.questions])
            fitting = []
            for question, a, b in zip(self.questions, mine, theirs):
                if a is not None and b is not None:
                    agree = a == b if question.kind != "scale" else abs(a - b) <= 1
                    if agree != (question.rule == "complementary"):
                        fitting.append(question.prompt or str(question.id))
            return {"questions": fitting}
        if criterion == "affinity":
            return {"fields": [name for name in self.affinity_fields
                               if features.affinity_value(mentee, name)
                               and features.affinity_value(mentee, name) == features.affinity_value(mentor, name)]}
        return {}
