"""The shipped vocabulary and canonicalisation: what people type lands on the right tag."""

from collections import Counter
from importlib import resources

import pytest

from portal.matching import canonical_degree, canonical_profile, canonicalise, canonicalise_many, get_vocabulary
from portal.matching.noise import accuracy, noisy_variants
from portal.matching.text import normalise
from portal.matching.vocabulary import CATEGORIES, Vocabulary, parse_vocabulary


def test_vocabulary_ships_in_the_package_with_500_tags_across_categories():
    text = resources.files("portal.matching").joinpath("data/vocabulary.txt").read_text(encoding="utf-8")
    tags, _ = parse_vocabulary(text)
    assert len(tags) >= 500
    counts = Counter(tag.category for tag in tags)
    assert set(counts) == set(CATEGORIES)
    assert counts["skill"] >= 200 and counts["field"] >= 50 and counts["industry"] >= 40
    assert sum(len(tag.aliases) for tag in tags) >= 1500


def test_no_alias_names_two_tags():
    assert get_vocabulary().ambiguous == {}


def test_distinct_words_are_not_tags():
    vocabulary = get_vocabulary()
    assert all(vocabulary.lookup(word) is None for word in vocabulary.distinct)


@pytest.mark.parametrize(("typed", "label"), [
    ("ML", "Machine learning"), ("AI", "Artificial intelligence"), ("UX", "UX design"),
    ("SWE", "Software engineering"), ("PM", "Product management"), ("HR", "Human resources"),
    ("QA", "Quality assurance"), ("VC", "Venture capital"), ("devops", "DevOps"), ("Dev-Ops", "DevOps"),
    ("data sci", "Data science"), ("comp sci", "Computer science"), ("CS", "Computer science"),
    ("JS", "JavaScript"), ("k8s", "Kubernetes"), ("golang", "Go"), ("M&A", "Mergers and acquisitions"),
    ("mergers & acquisitions", "Mergers and acquisitions"), ("R&D", "Research and development"),
    ("Financial Modelling", "Financial modeling"), ("financial modeling", "Financial modeling"),
    ("Organisational development", "Organizational development"), ("data visualisation", "Data visualization"),
    ("analysing data", "Data analysis"), ("front end", "Front-end development"),
    ("Front-End", "Front-end development"), ("frontend", "Front-end development"), ("e-commerce", "E-commerce"),
    ("ecommerce", "E-commerce"), ("Oil & Gas", "Oil and gas"), ("oil and gas", "Oil and gas"),
    ("  machine   LEARNING!! ", "Machine learning"), ("learning machine", "Machine learning"),
    ("Pyhton", "Python"), ("javascrpt", "JavaScript"), ("Kubernets", "Kubernetes"), ("Español", "Spanish"),
    ("programme management", "Program management"), ("behavioural science", "Psychology"),
    ("Search Engine Optimisation", "Search engine optimization"), ("c++", "C++"), ("C#", "C#"),
])
def test_known_variants_land_on_their_tag(typed, label):
    assert canonicalise(typed) == label


@pytest.mark.parametrize(("one", "other"), [
    ("Java", "JavaScript"), ("C", "C++"), ("C", "C#"), ("R", "Ruby"), ("Go", "Rust"), ("SQL", "MySQL"),
    ("Marketing", "Digital marketing"), ("Data science", "Data engineering"), ("Law", "Corporate law"),
    ("Finance", "Fintech"), ("Banking", "Investment banking"), ("Statistics", "Biostatistics"),
])
def test_different_tags_are_not_merged(one, other):
    assert canonicalise(one) != canonicalise(other)
    assert canonicalise(one.lower()) == get_vocabulary().canonicalise(one)


@pytest.mark.parametrize("word", ["baking", "hiking", "detail", "trust", "Sass and chess"])
def test_real_words_near_a_tag_are_kept_as_typed(word):
    assert canonicalise(word) == normalise(word)


def test_unknown_tags_are_kept_as_their_normalised_text_so_equal_tags_still_match():
    first, second = canonicalise("Underwater Basket-Weaving"), canonicalise("underwater basket weaving")
    assert first == second == "underwater basket weaving"


def test_canonicalise_many_keeps_order_and_drops_blanks_and_repeats():
    assert canonicalise_many(["Python", "python ", "", "ML", "machine learning", "SQL"]) == [
        "Python", "Machine learning", "SQL"]


def test_noisy_variants_land_on_the_right_tag_at_least_97_percent():
    vocabulary = get_vocabulary()
    share, misses = accuracy(vocabulary, noisy_variants(vocabulary, per_tag=3, seed=7))
    assert share >= 0.97, misses[:20]


def test_noisy_variants_are_seeded():
    vocabulary = get_vocabulary()
    assert noisy_variants(vocabulary, 2, seed=3) == noisy_variants(vocabulary, 2, seed=3)
    assert noisy_variants(vocabulary, 2, seed=3) != noisy_variants(vocabulary, 2, seed=4)


def test_job_titles_name_their_field():
    vocabulary = get_vocabulary()
    assert vocabulary.canonicalise_job_title("Senior Data Scientist II") == "Data science"
    assert vocabulary.canonicalise_job_title("Lead Software Engineer") == "Software engineering"
    assert vocabulary.canonicalise_job_title("VP of Marketing") == "Marketing"
    assert vocabulary.canonicalise_job_title("Associate Attorney") == "Law"
    assert vocabulary.canonicalise_job_title("Chief Happiness Wrangler") == "happiness wrangler"


def test_degrees_become_levels():
    assert [canonical_degree(d) for d in ("B.Sc.", "BA", "Master of Science", "MBA", "PhD", "J.D.")] == [
        "bachelor", "bachelor", "master", "mba", "doctorate", "professional"]


def test_canonical_profile_is_json_ready_and_versioned():
    profile = canonical_profile(skills="python; SQL".split("; "), career_interests=["data sci"],
                                industry="Financial Services", job_title="Sr. Product Manager", major="Econ",
                                degree="BSc", languages=["english", "Español"])
    assert profile["version"] >= 1
    assert profile["skills"] == ["Python", "SQL"] and profile["career_interests"] == ["Data science"]
    assert profile["industry"] == "Finance" and profile["job_title"] == "Product management"
    assert profile["major"] == "Economics" and profile["degree"] == "bachelor"
    assert profile["languages"] == ["English", "Spanish"]


def test_a_broken_vocabulary_file_is_refused():
    with pytest.raises(ValueError, match="line 2"):
        parse_vocabulary("[skill]\nno colon here\n")
    with pytest.raises(ValueError, match="unknown parents"):
        parse_vocabulary("[industry]\nFintech < Money: fin tech\n")
    tags, distinct = parse_vocabulary("[skill]\nPython: py\n[distinct]\nbaking; hiking\n")
    vocabulary = Vocabulary(tags, distinct)
    assert vocabulary.canonicalise("PY") == "Python" and vocabulary.canonicalise("baking") == "baking"
