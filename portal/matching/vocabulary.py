"""The canonical tag vocabulary and canonicalisation: what people type -> one canonical tag.

Lookup order for a tag (after `text.normalise`): the exact alias index, then the same with
spaces ignored ("frontend"), then with plurals, filler words and word order ignored, then a
fuzzy match (rapidfuzz OSA edit distance on the word-sorted text, so a typo or a swapped pair
of letters is forgiven but a subset of words is not a match: "Java" never becomes
"JavaScript"). A tag that matches nothing is kept as its own normalised text, so two people
who typed the same unknown tag still share it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from portal.matching.text import STOP_WORDS, compact_key, loose_key, normalise

# Bump when vocabulary.txt or the rules change: cached canonical tags older than this are redone.
VOCABULARY_VERSION = 1
CATEGORIES = ("skill", "field", "topic", "industry", "major", "language")
DISTINCT = "distinct"  # the section of real words that are not typos of a tag
MIN_FUZZY_LENGTH = 4
_LINE = re.compile(r"^(?P<label>[^:<]+?)\s*(?:<\s*(?P<parent>[^:]+?))?\s*:\s*(?P<aliases>.*)$")
# Leading words of a job title that say how senior, not what ("Senior Data Scientist II").
_SENIORITY = frozenset({
    "senior", "sr", "junior", "jr", "lead", "principal", "staff", "chief", "head", "director", "vp", "vice",
    "president", "associate", "assistant", "intern", "trainee", "graduate", "apprentice", "deputy", "executive",
    "global", "regional", "acting", "interim", "i", "ii", "iii", "iv", "v", "1", "2", "3", "4", "level", "of",
})


@dataclass(frozen=True, slots=True)
class Tag:
    label: str
    category: str
    parent: str | None
    aliases: tuple[str, ...]


def allowed_edits(length: int) -> int:
    """Return how many typos a fuzzy match may forgive in a query of `length` characters."""
    if length < MIN_FUZZY_LENGTH:
        return 0
    if length <= 9:
        return 1
    if length <= 15:
        return 2
    return 3 if length <= 24 else 4


class Vocabulary:
    """Canonical tags with an alias index on three levels and a fuzzy fallback."""

    def __init__(self, tags: list[Tag], distinct: set[str] | frozenset[str] = frozenset()):
        self.tags = tags
        self.distinct = {normalise(word) for word in distinct}
        self.by_label = {tag.label: tag for tag in tags}
        self.ambiguous: dict[str, set[str]] = {}
        self._levels: list[dict[str, str]] = []
        for make_key in (lambda n: n, compact_key, loose_key):
            index: dict[str, set[str]] = defaultdict(set)
            for tag in tags:
                for name in (tag.label, *tag.aliases):
                    key = make_key(normalise(name))
                    if key:
                        index[key].add(tag.label)
            if not self._levels:
                self.ambiguous = {key: labels for key, labels in index.items() if len(labels) > 1}
            self._levels.append({key: next(iter(labels)) for key, labels in index.items() if len(labels) == 1})
        exact = self._levels[0]
        self._choices = [key for key in exact if len(key) >= MIN_FUZZY_LENGTH]
        self._choice_labels = [exact[key] for key in self._choices]
        # Two forms per choice: word order/plurals/fillers ignored, and spaces ignored (word order kept,
        # so a typo in a first letter cannot reorder the words and hide the match).
        self._loose_choices = [loose_key(key) for key in self._choices]
        self._compact_choices = [compact_key(key) for key in self._choices]
        self._choice_limits = np.array([allowed_edits(len(key)) for key in self._choices])
        self._cache: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.tags)

    def category(self, label: str) -> str | None:
        """Return the category of a canonical tag, or None for an unknown tag."""
        tag = self.by_label.get(label)
        return tag.category if tag else None

    def parent(self, label: str) -> str | None:
        """Return the broader tag of a canonical tag, if it has one."""
        tag = self.by_label.get(label)
        return tag.parent if tag else None

    def root(self, label: str) -> str:
        """Return the broadest ancestor of `label` (itself when it has no parent)."""
        seen = {label}
        while (parent := self.parent(label)) and parent not in seen:
            seen.add(parent)
            label = parent
        return label

    def lookup(self, normalised: str) -> str | None:
        """Return the canonical label for a normalised text through the alias index, without fuzzing."""
        for level, make_key in zip(self._levels, (lambda n: n, compact_key, loose_key)):
            label = level.get(make_key(normalised))
            if label:
                return label
        return None

    def canonicalise(self, tag: str) -> str:
        """Return the canonical label for `tag`, or its normalised text when nothing matches."""
        return self.canonicalise_many([tag])[0] if tag else ""

    def canonicalise_many(self, tags: list[str] | tuple[str, ...]) -> list[str]:
        """Return the canonical form of every tag, position for position ("" for a blank tag)."""
        results: list[str | None] = []
        misses: dict[str, list[int]] = defaultdict(list)
        for position, raw in enumerate(tags):
            cached = self._cache.get(raw)
            if cached is None:
                normalised = normalise(raw or "")
                cached = self.lookup(normalised) if normalised else ""
                if cached is None and normalised in self.distinct:
                    cached = normalised
                if cached is None:
                    misses[normalised].append(position)
                elif len(self._cache) < 500_000:
                    self._cache[raw] = cached
            results.append(cached)
        if misses:
            for normalised, label in zip(misses, self._fuzzy(list(misses))):
                for position in misses[normalised]:
                    results[position] = label
                    if len(self._cache) < 500_000:
                        self._cache[tags[position]] = label
        return results  # type: ignore[return-value]

    def _fuzzy(self, queries: list[str]) -> list[str]:
        """Return the fuzzy canonical label for each normalised query, or the query itself."""
        answers = list(queries)
        for start in range(0, len(queries), 2000):
            chunk = queries[start:start + 2000]
            distances = np.minimum(
                process.cdist([loose_key(q) for q in chunk], self._loose_choices, scorer=OSA.distance,
                              score_cutoff=4, dtype=np.int8, workers=-1),
                process.cdist([compact_key(q) for q in chunk], self._compact_choices, scorer=OSA.distance,
                              score_cutoff=4, dtype=np.int8, workers=-1))
            # A choice may absorb only as many edits as its own length allows ("c" + typo is not "language").
            distances[distances > self._choice_limits[None, :]] = 127
            for row, query in enumerate(chunk):
                limit = allowed_edits(len(query))
                best = int(distances[row].min())
                if not limit or best > limit:
                    continue
                label = self._pick(query, np.flatnonzero(distances[row] == best))
                if label:
                    answers[start + row] = label
        return answers

    def _pick(self, query: str, candidates: np.ndarray) -> str | None:
        """Choose among equally close choices: the closest by ratio, if that names a single tag."""
        scored = sorted(((fuzz.ratio(query, self._choices[i]), self._choice_labels[i]) for i in candidates),
                        reverse=True)
        top = scored[0][0]
        labels = {label for score, label in scored if score == top}
        if len(labels) != 1:
            return None
        label = labels.pop()
        if len(query) <= 5 and not any(self._choices[i][0] == query[0] for i in candidates
                                       if self._choice_labels[i] == label):
            return None  # short words: a typo in the first letter is more likely another word
        return label

    def canonicalise_job_title(self, title: str) -> str:
        """Return the career field a job title names ("Senior Data Scientist II" -> "Data science")."""
        normalised = normalise(title)
        if not normalised:
            return ""
        label = self.canonicalise(normalised)
        if label != normalised:
            return label
        words = normalised.split()
        while words and words[0] in _SENIORITY:
            words.pop(0)
        while words and words[-1] in _SENIORITY:
            words.pop()
        core = " ".join(words)
        if core and core != normalised:
            label = self.canonicalise(core)
            if label != core:
                return label
        for size in range(len(words) - 1, 0, -1):  # the longest known phrase inside the title
            for start in range(len(words) - size + 1):
                phrase = words[start:start + size]
                if all(word in STOP_WORDS or word in _SENIORITY for word in phrase):
                    continue
                label = self.lookup(" ".join(phrase))
                if label:
                    return label
        return core or normalised


def parse_vocabulary(text: str) -> tuple[list[Tag], set[str]]:
    """Parse the vocabulary file (see data/vocabulary.txt) into tags and distinct words; raise ValueError."""
    tags, distinct, category = [], set(), None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            category = line[1:-1]
            if category not in (*CATEGORIES, DISTINCT):
                raise ValueError(f"line {number}: unknown category {category!r}")
            continue
        if category == DISTINCT:
            distinct.update(word.strip() for word in line.split(";") if word.strip())
            continue
        match = _LINE.match(line)
        if not match or category is None:
            raise ValueError(f"line {number}: expected 'Label [< Parent]: alias; alias' under a [category]")
        aliases = tuple(alias.strip() for alias in match["aliases"].split(";") if alias.strip())
        tags.append(Tag(match["label"].strip(), category, (match["parent"] or "").strip() or None, aliases))
    labels = [tag.label for tag in tags]
    duplicates = {label for label in labels if labels.count(label) > 1}
    if duplicates:
        raise ValueError(f"labels listed twice: {sorted(duplicates)}")
    missing = {tag.parent for tag in tags if tag.parent and tag.parent not in set(labels)}
    if missing:
        raise ValueError(f"unknown parents: {sorted(missing)}")
    return tags, distinct


@lru_cache(maxsize=1)
def get_vocabulary() -> Vocabulary:
    """Return the shipped vocabulary (loaded once per process)."""
    text = resources.files("portal.matching").joinpath("data/vocabulary.txt").read_text(encoding="utf-8")
    return Vocabulary(*parse_vocabulary(text))


def canonicalise(tag: str) -> str:
    """Return the canonical form of one tag with the shipped vocabulary."""
    return get_vocabulary().canonicalise(tag)


def canonicalise_many(tags: list[str] | tuple[str, ...]) -> list[str]:
    """Return the canonical forms of a profile's tags, in order, without blanks or repeats."""
    seen, result = set(), []
    for label in get_vocabulary().canonicalise_many(list(tags)):
        if label and label not in seen:
            seen.add(label)
            result.append(label)
    return result
