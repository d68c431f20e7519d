"""Every criterion as an inner product: score_c(mentee i, mentor j) = A_c[i] . B_c[j].

Writing each criterion as sparse feature rows (one row per person, one column per tag, option,
place...) is what makes scoring fast: the whole weighted score of a block of mentees against
all mentors is one sparse product plus one small dense one (see scoring.py), never a Python
loop over pairs. Each criterion is scaled to 0..1 here:

- skills: cosine of IDF-weighted skill sets (a rare shared skill counts more than a common one).
- interests: the share (IDF-weighted) of the mentee's career interests that the mentor's
  industry, job field and mentoring topics cover; a broader tag of the mentor's counts half
  (a mentee into "Finance" and a mentor in "Fintech").
- industry: the mentor's industry is the mentee's own industry or one of their interests (1),
  or in the same family (0.5).
- major: same major 0.8, same degree level 0.2.
- location: same city 0.5, same region 0.2, time zone closeness 0.3 (0 at 8 hours apart).
- languages: the share (IDF-weighted) of the mentee's languages the mentor speaks.
- questionnaire: per question "same" (equal answers, answer overlap, closeness on the 1-5
  scale) or "complementary" (the opposite), weighted by the question weights.
- affinity: the share of the program's affinity fields on which both gave the same answer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from portal.matching.canonical import place, utc_offset_hours
from portal.matching.records import Person, Question
from portal.matching.text import normalise
from portal.matching.vocabulary import Vocabulary

TIMEZONE_HORIZON_HOURS = 8.0


class _Builder:
    """Collects (row, key, value) entries for the mentee side (A) and mentor side (B) of one criterion."""

    def __init__(self, n_mentees: int, n_mentors: int):
        self.shape = (n_mentees, n_mentors)
        self.entries = ([], [], []), ([], [], [])

    def add(self, side: int, row: int, key, value: float) -> None:
        if value:
            rows, keys, values = self.entries[side]
            rows.append(row)
            keys.append(key)
            values.append(value)

    def add_many(self, side: int, row: int, weights: dict) -> None:
        if weights:
            rows, keys, values = self.entries[side]
            rows.extend([row] * len(weights))
            keys.extend(weights)
            values.extend(weights.values())

    def matrices(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        columns: dict = {}
        built = []
        for side, size in enumerate(self.shape):
            rows, keys, values = self.entries[side]
            cols = [columns.setdefault(key, len(columns)) for key in keys]
            built.append((size, rows, cols, values))
        width = max(len(columns), 1)
        matrices = []
        for size, rows, cols, values in built:
            matrix = sp.csr_matrix((np.asarray(values, np.float32), (np.asarray(rows, np.int64),
                                                                       np.asarray(cols, np.int64))),
                                   shape=(size, width), dtype=np.float32)
            matrix.sum_duplicates()
            matrices.append(matrix)
        return matrices[0], matrices[1]


def _idf(tag_sets: Iterable[Iterable[str]]) -> Callable[[str], float]:
    """Return idf(tag) = ln((N + 1) / (df + 1)) + 1 over the given population of tag sets."""
    counts, total = Counter(), 0
    for tags in tag_sets:
        counts.update(set(tags))
        total += 1
    values = {tag: math.log((total + 1) / (count + 1)) + 1 for tag, count in counts.items()}
    unseen = math.log(total + 1) + 1
    return lambda tag: values.get(tag, unseen)


def _weighted(tags: Iterable[str], idf: Callable[[str], float], norm: str) -> dict[str, float]:
    weights = {tag: idf(tag) for tag in dict.fromkeys(tags) if tag}
    if not weights:
        return {}
    scale = math.sqrt(sum(w * w for w in weights.values())) if norm == "l2" else sum(weights.values())
    return {tag: w / scale for tag, w in weights.items()}


def offers(person: Person, vocabulary: Vocabulary) -> dict[str, float]:
    """Return what a mentor offers a mentee's interests: industry, job field, topics (1), their parents (0.5)."""
    offered = {tag: 1.0 for tag in (person.industry, person.job_field, *person.topics) if tag}
    for tag in list(offered):
        parent = vocabulary.parent(tag)
        if parent and parent not in offered:
            offered[parent] = 0.5
    return offered


def industry_targets(person: Person) -> list[str]:
    """Return the industries a mentee is in or interested in."""
    return [tag for tag in dict.fromkeys((person.industry, *person.interests)) if tag]


def skills(mentees: Sequence[Person], mentors: Sequence[Person], **_) -> _Builder:
    idf = _idf(p.skills for p in (*mentees, *mentors))
    builder = _Builder(len(mentees), len(mentors))
    for side, people in enumerate((mentees, mentors)):
        for row, person in enumerate(people):
            builder.add_many(side, row, _weighted(person.skills, idf, "l2"))
    return builder


def interests(mentees: Sequence[Person], mentors: Sequence[Person], vocabulary: Vocabulary, **_) -> _Builder:
    mentor_offers = [offers(person, vocabulary) for person in mentors]
    idf = _idf([*(p.interests for p in mentees), *mentor_offers])
    builder = _Builder(len(mentees), len(mentors))
    for row, person in enumerate(mentees):
        builder.add_many(0, row, _weighted(person.interests, idf, "sum"))
    for row, offered in enumerate(mentor_offers):
        builder.add_many(1, row, offered)
    return builder


def industry(mentees: Sequence[Person], mentors: Sequence[Person], vocabulary: Vocabulary, **_) -> _Builder:
    builder = _Builder(len(mentees), len(mentors))
    for row, person in enumerate(mentees):
        targets = industry_targets(person)
        for tag in targets:
            builder.add(0, row, ("tag", tag), 0.5)
        for root in {vocabulary.root(tag) for tag in targets}:
            builder.add(0, row, ("root", root), 0.5)
    for row, person in enumerate(mentors):
        if person.industry:
            builder.add(1, row, ("tag", person.industry), 1.0)
            builder.add(1, row, ("root", vocabulary.root(person.industry)), 1.0)
    return builder


def major(mentees: Sequence[Person], mentors: Sequence[Person], **_) -> _Builder:
    builder = _Builder(len(mentees), len(mentors))
    for side, people in enumerate((mentees, mentors)):
        for row, person in enumerate(people):
            if person.major:
                builder.add(side, row, ("major", person.major), 0.8 if side == 0 else 1.0)
            if person.degree:
                builder.add(side, row, ("degree", person.degree), 0.2 if side == 0 else 1.0)
    return builder


def timezone_bucket(person: Person) -> float | None:
    """Return the person's UTC offset rounded to half an hour, or None when unknown."""
    offset = utc_offset_hours(person.timezone)
    return None if offset is None else round(offset * 2) / 2


def timezone_closeness(a: float | None, b: float | None) -> float:
    """Return 1 for the same UTC offset, falling to 0 at TIMEZONE_HORIZON_HOURS apart (or unknown)."""
    if a is None or b is None:
        return 0.0
    apart = min(abs(a - b), 24 - abs(a - b))
    return max(0.0, 1 - apart / TIMEZONE_HORIZON_HOURS)


def location(mentees: Sequence[Person], mentors: Sequence[Person], **_) -> _Builder:
    builder = _Builder(len(mentees), len(mentors))
    buckets = set()
    for side, people in enumerate((mentees, mentors)):
        for row, person in enumerate(people):
            city, region = place(person.location)
            builder.add(side, row, ("city", city), (0.5 if side == 0 else 1.0) if city else 0)
            builder.add(side, row, ("region", region), (0.2 if side == 0 else 1.0) if region else 0)
            bucket = timezone_bucket(person)
            if side == 0 and bucket is not None:
                buckets.add(bucket)
                builder.add(0, row, ("tz", bucket), 0.3)
    closeness: dict[float | None, dict] = {}
    for row, person in enumerate(mentors):
        mine = timezone_bucket(person)
        if mine not in closeness:
            closeness[mine] = {("tz", bucket): value for bucket in buckets
                               if (value := timezone_closeness(bucket, mine)) > 0}
        builder.add_many(1, row, closeness[mine])
    return builder


def languages(mentees: Sequence[Person], mentors: Sequence[Person], **_) -> _Builder:
    idf = _idf(p.languages for p in (*mentees, *mentors))
    builder = _Builder(len(mentees), len(mentors))
    for row, person in enumerate(mentees):
        builder.add_many(0, row, _weighted(person.languages, idf, "sum"))
    for row, person in enumerate(mentors):
        builder.add_many(1, row, dict.fromkeys(person.languages, 1.0))
    return builder


def answer_of(person: Person, question: Question):
    """Return the person's answer to a question (ids may be stored as int or str), or None."""
    answers = person.answers or {}
    answer = answers.get(question.id, answers.get(str(question.id)))
    if answer is None or answer == "" or answer == []:
        return None
    if question.kind == "scale":
        try:
            value = int(answer)
        except (TypeError, ValueError):
            return None
        return value if 1 <= value <= 5 else None
    if question.kind == "multiple_choice":
        values = [answer] if isinstance(answer, str) else list(answer)
        return sorted({normalise(str(v)) for v in values if normalise(str(v))}) or None
    return normalise(str(answer)) or None


def questionnaire(mentees: Sequence[Person], mentors: Sequence[Person], questions: Sequence[Question] = (),
                  **_) -> _Builder:
    builder = _Builder(len(mentees), len(mentors))
    total = sum(max(q.weight, 0) for q in questions) or 1.0
    for question in questions:
        share, complementary = max(question.weight, 0) / total, question.rule == "complementary"
        sign = -1.0 if complementary else 1.0
        for side, people in enumerate((mentees, mentors)):
            for row, person in enumerate(people):
                answer = answer_of(person, question)
                if answer is None:
                    continue
                weight = share if side == 0 else 1.0
                if complementary:  # complementary = answered by both, minus "same"
                    builder.add(side, row, ("answered", question.id), weight)
                if question.kind == "scale":
                    if side == 0:
                        builder.add(0, row, ("scale", question.id, answer), sign * weight)
                    else:
                        builder.add_many(1, row, {("scale", question.id, value): 1 - abs(value - answer) / 4
                                                  for value in range(1, 6) if abs(value - answer) < 4})
                elif question.kind == "multiple_choice":
                    for option in answer:
                        builder.add(side, row, ("option", question.id, option), sign * weight / math.sqrt(len(answer))
                                    if side == 0 else 1 / math.sqrt(len(answer)))
                else:
                    builder.add(side, row, ("option", question.id, answer), sign * weight if side == 0 else 1.0)
    return builder


def affinity_value(person: Person, name: str) -> str | None:
    """Return a person's normalised answer to an affinity field, or None if they did not share one."""
    value = (person.affinity or {}).get(name)
    if value is True:
        return "yes"
    if not value or value is False:
        return None
    return normalise(str(value)) or None


def affinity(mentees: Sequence[Person], mentors: Sequence[Person], affinity_fields: Sequence[str] = (),
             **_) -> _Builder:
    builder = _Builder(len(mentees), len(mentors))
    for name in affinity_fields:
        for side, people in enumerate((mentees, mentors)):
            for row, person in enumerate(people):
                value = affinity_value(person, name)
                if value:
                    builder.add(side, row, (name, value), 1 / len(affinity_fields) if side == 0 else 1.0)
    return builder


BUILDERS = {"skills": skills, "interests": interests, "industry": industry, "major": major, "location": location,
            "languages": languages, "questionnaire": questionnaire, "affinity": affinity}
