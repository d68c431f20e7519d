"""What a student types into the directory, read through the canonical vocabulary.

"pyhton" and "ML" are not in anyone's profile, but "Python" and "Machine learning" are: each
phrase of the query that names a vocabulary tag (through an alias, a spelling or a typo) is
searched as that tag as well as the text typed. A broad industry also finds its narrower ones
("Technology" finds mentors in Software and SaaS).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from portal.matching import canonicalise, canonicalise_many, get_vocabulary

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
MAX_PHRASE_WORDS = 3  # "financial modelling", "natural language processing"
_SEPARATORS = re.compile(r"[,;]+")


@dataclass(frozen=True, slots=True)
class Term:
    """One phrase of the query: a mentor matches it by the text or by the tag it names."""

    text: str  # lower case: matched as a substring of names, employer, headline, tags
    label: str | None = None  # the canonical tag it names, if any
    labels: tuple[str, ...] = ()  # that tag and its narrower tags
    typed: str = ""  # as the student typed it

    @property
    def reinterpreted(self) -> bool:
        """Say whether the tag reads differently from what was typed ("pyhton" -> "Python")."""
        return bool(self.label) and self.label.casefold() != self.text.casefold()


@lru_cache(maxsize=1)
def _narrower_index() -> dict[str, tuple[str, ...]]:
    vocabulary = get_vocabulary()
    children: dict[str, list[str]] = defaultdict(list)
    for tag in vocabulary.tags:
        if tag.parent:
            children[tag.parent].append(tag.label)
    index = {}
    for label in children:
        found, pending = [], list(children[label])
        while pending:
            child = pending.pop(0)
            if child not in found and child != label:
                found.append(child)
                pending.extend(children.get(child, ()))
        index[label] = tuple(found)
    return index


def with_narrower(label: str) -> tuple[str, ...]:
    """Return the tag followed by every tag under it ("Finance", "Banking", "Fintech"...)."""
    return (label, *_narrower_index().get(label, ()))


def known_tag(phrase: str) -> str | None:
    """Return the vocabulary tag a phrase names (alias, spelling or typo forgiven), or None."""
    label = canonicalise(phrase)
    return label if label in get_vocabulary().by_label else None


def read_query(query: str) -> list[Term]:
    """Split a query into terms, longest known phrases first; every term must match."""
    terms: list[Term] = []
    words_left = MAX_WORDS
    for chunk in _SEPARATORS.split((query or "")[:MAX_QUERY_LENGTH]):
        words = chunk.split()[:words_left]
        words_left -= len(words)
        start = 0
        while start < len(words):
            for size in range(min(MAX_PHRASE_WORDS, len(words) - start), 0, -1):
                phrase = " ".join(words[start:start + size])
                label = known_tag(phrase)
                if label or size == 1:
                    break
            text = phrase.casefold()
            if text not in {term.text for term in terms}:
                terms.append(Term(text, label, with_narrower(label) if label else (), phrase))
            start += size
    return terms


def read_tags(values: Iterable[str]) -> list[str]:
    """Return the canonical forms of tags given as a filter ("pyhton, sql" -> ["Python", "SQL"])."""
    typed = [part.strip() for value in values for part in _SEPARATORS.split(value or "") if part.strip()]
    return canonicalise_many(typed[:MAX_WORDS])
