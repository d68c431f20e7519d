"""Scores, breakdowns and reasons: each criterion behaves as an admin would expect."""

import json

import numpy as np
import pytest

from portal.matching import DEFAULT_WEIGHTS, Person, Question, Scorer, explain, normalise_weights, recommend


def only(criterion, **extra):
    return {criterion: 100, **extra}


def scores(mentee, mentors, weights, **options):
    return [round(float(value), 2) for value in Scorer([mentee], mentors, weights, **options).block(np.array([0]))[0]]


def test_weights_are_normalised_over_the_criteria_in_use():
    assert normalise_weights({"skills": 30, "interests": 10}) == {"skills": 0.75, "interests": 0.25}
    shares = normalise_weights(DEFAULT_WEIGHTS)
    assert "questionnaire" not in shares and sum(shares.values()) == pytest.approx(1)
    with_questions = normalise_weights(DEFAULT_WEIGHTS, questions=[Question(1, "scale")])
    assert with_questions["questionnaire"] == pytest.approx(0.1)
    assert normalise_weights({"skills": 50}, affinity_fields=["first_generation"])["affinity"] == pytest.approx(10 / 60)


@pytest.mark.parametrize(("weights", "message"), [
    ({"skills": 0, "interests": 0}, "at least one"), ({"charisma": 10}, "Unknown matching criteria: charisma"),
    ({"skills": -5, "interests": 10}, "negative"),
])
def test_bad_weights_are_refused_with_a_clear_message(weights, message):
    with pytest.raises(ValueError, match=message):
        normalise_weights(weights)


def test_rare_shared_skills_count_more_than_common_ones():
    mentee = Person(1, skills=["Python", "Haskell"])
    common = Person(10, skills=["Python", "SQL"])
    rare = Person(11, skills=["Haskell", "SQL"])
    crowd = [Person(20 + n, skills=["Python", "Excel"]) for n in range(8)]
    result = scores(mentee, [common, rare, *crowd], only("skills"))
    assert result[1] > result[0] > 0


def test_interests_meet_the_mentors_industry_job_and_topics_and_broader_tags_count_half():
    mentee = Person(1, interests=["Data science", "Finance", "Interview preparation"])
    full = Person(10, industry="Finance", job_field="Data science", topics=["Interview preparation"])
    related = Person(11, industry="Fintech")
    none = Person(12, industry="Healthcare", job_field="Nursing")
    full_score, related_score, no_score = scores(mentee, [full, related, none], only("interests"))
    assert full_score == 100 and 0 < related_score < 50 and no_score == 0


def test_industry_same_then_family_then_nothing():
    mentee = Person(1, industry="Fintech")
    result = scores(mentee, [Person(10, industry="Fintech"), Person(11, industry="Banking"),
                             Person(12, industry="Healthcare")], only("industry"))
    assert result == [100, 50, 0]


def test_location_prefers_same_city_then_region_then_close_time_zones():
    mentee = Person(1, location="Boston, MA", timezone="America/New_York")
    mentors = [Person(10, location="Boston, Massachusetts", timezone="America/New_York"),
               Person(11, location="Worcester, MA", timezone="America/New_York"),
               Person(12, location="Chicago, IL", timezone="America/Chicago"),
               Person(13, location="Tokyo, Japan", timezone="Asia/Tokyo"), Person(14, location="Remote")]
    result = scores(mentee, mentors, only("location"))
    assert result[0] == 100 and result[0] > result[1] > result[2] > result[3] == result[4] == 0


def test_languages_count_what_the_mentor_speaks_of_the_mentees_rarer_languages_most():
    mentee = Person(1, languages=["English", "Spanish"])
    crowd = [Person(20 + n, languages=["English"]) for n in range(6)]
    spanish, english = Person(10, languages=["Spanish"]), Person(11, languages=["English"])
    result = scores(mentee, [spanish, english, *crowd], only("languages"))
    assert result[0] > result[1] > 0


def test_questionnaire_same_complementary_scale_and_multiple_choice():
    questions = [Question(1, "single_choice", "same", 2, ("Calls", "Chat")),
                 Question(2, "single_choice", "complementary", 1, ("Talker", "Listener")),
                 Question(3, "scale", "same", 1), Question(4, "multiple_choice", "same", 1, ("A", "B", "C"))]
    mentee = Person(1, answers={"1": "Calls", "2": "Talker", "3": 5, "4": ["A", "B"]})
    perfect = Person(10, answers={1: "calls", 2: "Listener", 3: 5, 4: ["A", "B"]})
    opposite = Person(11, answers={1: "Chat", 2: "Talker", 3: 1, 4: ["C"]})
    silent = Person(12)
    result = scores(mentee, [perfect, opposite, silent], only("questionnaire"), questions=questions)
    assert result == [100, 0, 0]


def test_affinity_counts_only_where_the_program_asks_for_it():
    mentee = Person(1, affinity={"first_generation": True})
    mentor = Person(10, affinity={"first_generation": True})
    assert scores(mentee, [mentor], {"skills": 100, "affinity": 50}) == [0]
    assert scores(mentee, [mentor], {"skills": 100, "affinity": 50}, affinity_fields=["first_generation"]) == [33.33]


def test_breakdown_points_add_up_to_the_score_and_explain_the_pair():
    questions = [Question(7, "single_choice", "same", 1, ("Calls", "Chat"), "How do you like to meet?")]
    mentee = Person(1, skills=["Python", "Product management", "SQL"], interests=["Fintech"], industry="Fintech",
                    major="Economics", degree="bachelor", location="Austin, TX", timezone="America/Chicago",
                    languages=["English", "Spanish"], answers={"7": "Calls"}, affinity={"first_generation": True})
    mentor = Person(10, skills=["Python", "Product management", "Go"], industry="Fintech", job_field="Data science",
                    major="Economics", degree="master", location="Austin, Texas", timezone="America/Chicago",
                    languages=["Spanish", "English"], answers={"7": "Calls"}, affinity={"first_generation": True})
    others = [Person(20 + n, skills=["Excel"], languages=["English"]) for n in range(5)]
    scorer = Scorer([mentee], [mentor, *others], DEFAULT_WEIGHTS, questions=questions,
                    affinity_fields=["first_generation"])
    block = scorer.block(np.array([0]))[0]
    breakdowns = scorer.breakdowns([0] * 6, list(range(6)))
    for score, breakdown in zip(block, breakdowns):
        assert sum(entry["points"] for entry in breakdown.values()) == pytest.approx(score, abs=0.05)
    json.dumps(breakdowns)  # stored as JSON with the suggestion
    reasons = explain(breakdowns[0])
    assert "Both in Fintech" in reasons
    assert "Shared skills: Python and Product management" in reasons
    assert "Same city (Austin)" in reasons and "Both speak English and Spanish" in reasons
    assert "Same major: Economics" in reasons and "Both first-generation students" in reasons
    assert "Questionnaire answers fit: How do you like to meet?" in reasons
    assert explain(breakdowns[0], viewer="mentee")[0:1] != [] and "Works in" not in " ".join(reasons[:1])


def test_reasons_come_weightiest_first_and_skip_what_is_not_shared():
    breakdown = {"skills": {"score": 0.2, "weight": 0.3, "points": 6.0, "shared": ["SQL"]},
                 "industry": {"score": 1, "weight": 0.2, "points": 20.0, "industry": "Fintech", "relation": "interest"},
                 "location": {"score": 0, "weight": 0.1, "points": 0.0}}
    assert explain(breakdown) == ["Works in Fintech, an interest of the mentee", "Shared skills: SQL"]
    assert explain(breakdown, viewer="mentee")[0] == "Works in Fintech, which interests you"


def test_recommend_gives_the_best_mentors_first_with_reasons():
    mentee = Person(1, skills=["Python", "Machine learning"], interests=["Data science"])
    mentors = [Person(10, skills=["Excel"]),
               Person(11, skills=["Python", "Machine learning"], job_field="Data science"),
               Person(12, skills=["Python"], capacity=1), Person(13, skills=["Python", "Machine learning"])]
    top = recommend(mentee, mentors, k=2)
    assert [r.mentor_id for r in top] == [11, 13]
    assert top[0].score > top[1].score and "Can speak to your interests: Data science" in top[0].reasons
    assert [r.mentor_id for r in recommend(mentee, mentors, k=2, exclude={11})] == [13, 12]
    assert [r.mentor_id for r in recommend(mentee, mentors, k=5, only_available=True)] == [12]
    assert recommend(mentee, [], k=3) == []
