"""The assignment is the exact optimum (not greedy), under every constraint, in both objectives."""

import itertools
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.matching import MatchInput, MatchInputError, Objective, Person, Scorer, UnmatchedReason, run_matching
from portal.matching.assignment import solve

SKILLS = ["Python", "SQL", "Excel", "Haskell", "Law", "Nursing"]
LANGUAGES = ["English", "Spanish", "French"]
CITIES = ["Boston, MA", "Austin, TX", "London, UK"]
WEIGHTS = {"skills": 60, "languages": 20, "location": 20}


@st.composite
def instances(draw):
    n, m = draw(st.integers(1, 5)), draw(st.integers(1, 4))

    def person(pid, capacity=0):
        return Person(pid, skills=draw(st.lists(st.sampled_from(SKILLS), max_size=3, unique=True)),
                      languages=draw(st.lists(st.sampled_from(LANGUAGES), max_size=2, unique=True)),
                      location=draw(st.sampled_from(CITIES)), capacity=capacity)

    mentees = [person(100 + i) for i in range(n)]
    mentors = [person(200 + j, draw(st.integers(0, 2))) for j in range(m)]
    pairs = [(a.id, b.id) for a in mentees for b in mentors]
    pinned = {}
    for mentee in mentees:
        if draw(st.integers(0, 5)) == 0:
            pinned[mentee.id] = draw(st.sampled_from(mentors)).id
    return MatchInput(
        mentees, mentors, weights=WEIGHTS,
        excluded_pairs=set(draw(st.lists(st.sampled_from(pairs), max_size=2))),
        banned_pairs=set(draw(st.lists(st.sampled_from(pairs), max_size=2))),
        pinned_pairs=set(pinned.items()),
        min_score=draw(st.sampled_from([None, 0, 20, 45])),
        require_shared_language=draw(st.booleans()),
        objective=draw(st.sampled_from(list(Objective))),
        candidates_per_mentee=draw(st.integers(1, m + 1)),  # K < m too: then the proof must make it exact
        prove_optimal=draw(st.booleans()),
    )


def brute_force(data: MatchInput):
    """Return the best (count, total points) of the open mentees by trying every assignment."""
    mentee_row = {p.id: i for i, p in enumerate(data.mentees)}
    mentor_row = {p.id: j for j, p in enumerate(data.mentors)}
    forbidden = {(mentee_row[a], mentor_row[b]) for a, b in {*data.excluded_pairs, *data.banned_pairs}}
    pins = {mentee_row[a]: mentor_row[b] for a, b in data.pinned_pairs
            if (mentee_row[a], mentor_row[b]) not in forbidden}
    capacity = [p.capacity for p in data.mentors]
    for j in pins.values():
        capacity[j] = max(capacity[j] - 1, 0)
    in_use = np.flatnonzero(np.array(capacity) > 0)
    open_rows = np.array([i for i in range(len(data.mentees)) if i not in pins])
    scorer = Scorer(data.mentees, data.mentors, data.weights)
    scorer.use_mentors(in_use)
    points = np.rint(scorer.block(open_rows).astype(np.float64) * 100).astype(int) if len(open_rows) else None
    options = []
    for r, i in enumerate(open_rows):
        allowed = [None]
        for c, j in enumerate(in_use):
            speaks = set(data.mentees[i].languages) & set(data.mentors[j].languages)
            if (i, j) in forbidden or (data.require_shared_language and not speaks):
                continue
            if data.min_score is not None and points[r, c] < round(data.min_score * 100):
                continue
            allowed.append((c, points[r, c]))
        options.append(allowed)
    best = None
    for choice in itertools.product(*options):
        used = Counter(c for c, _ in filter(None, choice))
        if any(used[c] > capacity[in_use[c]] for c in used):
            continue
        count, total = len(used and [x for x in choice if x]), sum(p for _, p in filter(None, choice))
        key = (total, count) if Objective(data.objective) == Objective.TOTAL_SCORE else (count, total)
        best = key if best is None or key > best else best
    return best, pins, forbidden


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_assignment_equals_the_brute_force_optimum_and_keeps_every_constraint(data):
    result = run_matching(data)
    best, pins, forbidden = brute_force(data)
    mentee_row = {p.id: i for i, p in enumerate(data.mentees)}
    mentor_row = {p.id: j for j, p in enumerate(data.mentors)}
    made = {(mentee_row[p.mentee_id], mentor_row[p.mentor_id]) for p in result.pairs}
    assert {(i, j) for i, j in pins.items()} <= made  # pins are always made
    assert not made & forbidden  # banned and past pairs never are
    assert len({p.mentee_id for p in result.pairs}) == len(result.pairs)  # one mentor per mentee
    load = Counter(p.mentor_id for p in result.pairs if not p.pinned)
    pinned_load = Counter(p.mentor_id for p in result.pairs if p.pinned)
    for mentor in data.mentors:  # pins consume capacity; the rest fits what is left
        assert load[mentor.id] <= max(mentor.capacity - pinned_load[mentor.id], 0)
    open_pairs = [p for p in result.pairs if not p.pinned]
    for pair in open_pairs:
        if data.min_score is not None:
            assert pair.score >= data.min_score
        if data.require_shared_language:
            mentee, mentor = data.mentees[mentee_row[pair.mentee_id]], data.mentors[mentor_row[pair.mentor_id]]
            assert set(mentee.languages) & set(mentor.languages)
    total, count = round(sum(p.score for p in open_pairs) * 100), len(open_pairs)
    key = (total, count) if Objective(data.objective) == Objective.TOTAL_SCORE else (count, total)
    assert len(result.pairs) + len(result.unmatched) == len(data.mentees)
    if data.prove_optimal or data.candidates_per_mentee >= len(data.mentors):
        assert result.statistics.exact_over_all_pairs
    if result.statistics.exact_over_all_pairs:
        assert key == best
    else:  # optimal over each mentee's top K only: never better than the true optimum
        assert key <= best


def test_greedy_is_not_the_answer():
    # Greedy gives the best pair (mentee 1 - mentor A) first and leaves mentee 2 with nothing good;
    # the optimum gives mentee 1 its second choice.
    scores = [[90, 80], [85, 0]]
    rows, cols = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    points = np.array([s * 100 for row in scores for s in row])
    assigned, assigned_points = solve(2, np.array([1, 1]), rows, cols, points, Objective.TOTAL_SCORE)
    assert assigned.tolist() == [1, 0] and assigned_points.sum() == 16500


def test_most_matched_trades_score_for_coverage():
    # One mentor slot each; mentee 0 is the only one who can use mentor B.
    rows, cols, points = np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([9000, 100, 8000])
    by_score, _ = solve(2, np.array([1, 1]), rows, cols, points, Objective.TOTAL_SCORE)
    by_count, _ = solve(2, np.array([1, 1]), rows, cols, points, Objective.MOST_MATCHED)
    assert by_score.tolist() == [0, -1] or by_score.tolist() == [1, 0]
    assert by_count.tolist() == [1, 0]
    rows, cols, points = np.array([0, 1]), np.array([0, 0]), np.array([9000, 1000])
    assert solve(2, np.array([1]), rows, cols, points, Objective.MOST_MATCHED)[0].tolist() == [0, -1]


def person(pid, capacity=0, **fields):
    return Person(pid, capacity=capacity, **fields)


def test_unmatched_mentees_say_why():
    mentees = [person(1, skills=["Python"], languages=["French"]), person(2, skills=["Law"], languages=["English"]),
               person(3, skills=["Python"], languages=["English"]), person(4, skills=["Python"], languages=["English"]),
               person(5, skills=["Python"], languages=["English"])]
    mentors = [person(10, 1, skills=["Python"], languages=["English"]),
               person(11, 1, skills=["Python"], languages=["English"])]
    data = MatchInput(mentees, mentors, weights={"skills": 100}, min_score=50, require_shared_language=True,
                      banned_pairs={(5, 10), (5, 11)})
    result = run_matching(data)
    reasons = {item.mentee_id: item.reason for item in result.unmatched}
    assert reasons[1] == UnmatchedReason.LANGUAGE
    assert reasons[2] == UnmatchedReason.BELOW_THRESHOLD
    assert reasons[5] == UnmatchedReason.EXCLUDED
    assert sorted(p.mentee_id for p in result.pairs) == [3, 4]
    assert "minimum score of 50" in next(i.message for i in result.unmatched if i.mentee_id == 2)
    full = run_matching(MatchInput(mentees, [person(10, 0, skills=["Python"])], weights={"skills": 100}))
    assert {item.reason for item in full.unmatched} == {UnmatchedReason.NO_CAPACITY}


def test_pins_are_made_even_above_capacity_and_conflicts_are_reported():
    mentees = [person(1, skills=["Python"]), person(2, skills=["Python"]), person(3, skills=["Python"])]
    mentors = [person(10, 1, skills=["Law"]), person(11, 1, skills=["Python"])]
    data = MatchInput(mentees, mentors, weights={"skills": 100}, pinned_pairs={(1, 10), (2, 10), (3, 11), (9, 10)},
                      banned_pairs={(3, 11)})
    result = run_matching(data)
    pairs = {(p.mentee_id, p.mentor_id): p for p in result.pairs}
    assert pairs[(1, 10)].pinned and pairs[(2, 10)].pinned and (3, 11) not in pairs
    assert pairs[(1, 10)].score == 0
    assert any("banned" in w for w in result.warnings) and any("not in this program" in w for w in result.warnings)
    assert any("more than their free capacity of 1" in w for w in result.warnings)
    assert result.statistics.pinned == 2


def test_duplicate_people_are_refused():
    with pytest.raises(MatchInputError, match="listed twice"):
        run_matching(MatchInput([person(1), person(1)], [person(10, 1)]))
    with pytest.raises(MatchInputError, match="at least one"):
        run_matching(MatchInput([person(1)], [person(10, 1)], weights={"skills": 0}))


def test_the_proof_repairs_what_the_top_k_candidates_missed():
    mentees = [person(1, skills=["Python", "SQL"]), person(2, skills=["Python"])]
    mentors = [person(10, 1, skills=["Python", "SQL"]), person(11, 1, skills=["Excel"])]
    pruned = run_matching(MatchInput(mentees, mentors, weights={"skills": 100}, candidates_per_mentee=1))
    assert not pruned.statistics.exact_over_all_pairs and len(pruned.pairs) == 1
    proved = run_matching(MatchInput(mentees, mentors, weights={"skills": 100}, candidates_per_mentee=1,
                                     prove_optimal=True))
    assert proved.statistics.exact_over_all_pairs and len(proved.pairs) == 2
