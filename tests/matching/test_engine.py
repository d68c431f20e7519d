"""Running the engine as the match-run job will: statistics, progress, JSON-ready results."""

import json
import random

from portal.matching import DEFAULT_WEIGHTS, MatchInput, Person, Question, run_matching
from portal.models.programs import DEFAULT_MATCHING_WEIGHTS

SKILLS = ["Python", "SQL", "Excel", "Machine learning", "Financial modeling", "Public speaking", "Law", "Nursing"]


def cohort(mentees=60, mentors=15, capacity=3, seed=0):
    rng = random.Random(seed)

    def person(pid, free=0):
        return Person(pid, skills=rng.sample(SKILLS, 3), interests=rng.sample(["Data science", "Finance", "Law"], 1),
                      industry=rng.choice(["Fintech", "Healthcare", "Law"]), languages=["English"],
                      location=rng.choice(["Boston, MA", "Austin, TX"]), timezone="America/New_York",
                      answers={"1": rng.choice(["Calls", "Chat"])}, capacity=free)

    return [person(i + 1) for i in range(mentees)], [person(1000 + j, capacity) for j in range(mentors)]


def test_default_weights_are_the_programs_defaults():
    assert DEFAULT_WEIGHTS == DEFAULT_MATCHING_WEIGHTS


def test_a_run_reports_progress_statistics_and_json_ready_pairs():
    mentees, mentors = cohort()
    phases = []
    questions = [Question(1, "single_choice", options=("Calls", "Chat"))]
    result = run_matching(MatchInput(mentees, mentors, questions=questions),
                          progress=lambda phase, fraction: phases.append((phase, fraction)))
    assert [p for p, _ in phases][-2:] == ["assigning", "explaining"] and ("scoring", 1.0) in phases
    stats = result.statistics
    assert stats.matched == len(result.pairs) == 45 and stats.matched_share == 0.75
    assert sum(stats.histogram) == stats.matched and stats.unmatched_by_reason == {"no_capacity": 15}
    assert 0 < stats.mean_score <= 100 and stats.exact_over_all_pairs
    json.dumps(stats.as_dict())
    json.dumps([pair.breakdown for pair in result.pairs])
    assert all(0 <= pair.score <= 100 for pair in result.pairs)


def test_most_matched_matches_at_least_as_many_as_highest_total():
    mentees, mentors = cohort(40, 10, capacity=3, seed=3)
    by_score = run_matching(MatchInput(mentees, mentors, min_score=30))
    by_count = run_matching(MatchInput(mentees, mentors, min_score=30, objective="most_matched"))
    assert by_count.statistics.matched >= by_score.statistics.matched
    assert by_score.statistics.total_score >= by_count.statistics.total_score


def test_a_larger_candidate_pool_never_lowers_the_total():
    mentees, mentors = cohort(80, 20, capacity=4, seed=5)
    totals = [run_matching(MatchInput(mentees, mentors, candidates_per_mentee=k)).statistics.total_score
              for k in (2, 5, 20)]
    proved = run_matching(MatchInput(mentees, mentors, candidates_per_mentee=2, prove_optimal=True))
    assert totals[0] <= totals[1] <= totals[2] == proved.statistics.total_score
