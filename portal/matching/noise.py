"""Seeded noisy variants of canonical tags, as people really type them: to measure canonicalisation.

A variant starts from the tag's label or one of its aliases (so abbreviations such as "ML" are
part of the test), then gets one or two kinds of noise: case, punctuation and spacing, '&' for
'and', British spelling, word order, a plural, or one typo (a dropped, doubled, swapped or
neighbouring-key letter; two typos in long tags). Typos are only made in texts of 4+ letters:
nobody can tell what a mistyped "ML" meant.
"""

from __future__ import annotations

import random

from portal.matching.vocabulary import MIN_FUZZY_LENGTH, Vocabulary

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {}
for _row_index, _row in enumerate(_KEYBOARD_ROWS):
    for _col, _char in enumerate(_row):
        near = {_row[c] for c in (_col - 1, _col + 1) if 0 <= c < len(_row)}
        for other in (_row_index - 1, _row_index + 1):
            if 0 <= other < len(_KEYBOARD_ROWS):
                near |= {_KEYBOARD_ROWS[other][c] for c in (_col - 1, _col) if 0 <= c < len(_KEYBOARD_ROWS[other])}
        _NEIGHBOURS[_char] = "".join(sorted(near))
_TO_BRITISH = {"modeling": "modelling", "modeler": "modeller", "analyze": "analyse", "analyzing": "analysing",
               "behavior": "behaviour", "behavioral": "behavioural", "labor": "labour", "center": "centre",
               "theater": "theatre", "defense": "defence", "license": "licence", "program": "programme",
               "catalog": "catalogue", "counseling": "counselling", "counselor": "counsellor", "color": "colour",
               "pediatrics": "paediatrics", "judgment": "judgement", "traveling": "travelling", "math": "maths"}


def _british(text: str) -> str:
    words = []
    for word in text.split(" "):
        lowered = word.lower()
        if lowered in _TO_BRITISH:
            word = _TO_BRITISH[lowered]
        elif "ization" in lowered:
            word = word.replace("ization", "isation")
        elif lowered.endswith(("ize", "ized", "izing")):
            word = word.replace("iz", "is")
        words.append(word)
    return " ".join(words)


def _typo(text: str, rng: random.Random) -> str:
    letters = [i for i, char in enumerate(text) if char.isalpha()]
    if len(letters) < MIN_FUZZY_LENGTH:
        return text
    at = rng.choice(letters)
    kind = rng.choice(("drop", "double", "swap", "neighbour", "insert"))
    char = text[at]
    if kind == "drop":
        return text[:at] + text[at + 1:]
    if kind == "double":
        return text[:at] + char + text[at:]
    if kind == "swap" and at + 1 < len(text) and text[at + 1].isalpha() and text[at + 1] != char:
        return text[:at] + text[at + 1] + char + text[at + 2:]
    near = _NEIGHBOURS.get(char.lower())
    if not near:
        return text[:at] + text[at + 1:]
    other = rng.choice(near)
    if kind == "insert":
        return text[:at] + other + text[at:]
    return text[:at] + other + text[at + 1:]


def _shuffle_words(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) < 2:
        return text
    for _ in range(5):
        rng.shuffle(words)
        if " ".join(words) != text:
            break
    return " ".join(words)


def _case(text: str, rng: random.Random) -> str:
    style = rng.choice(("lower", "upper", "title", "swap", "random"))
    if style == "random":
        return "".join(char.upper() if rng.random() < 0.5 else char.lower() for char in text)
    return getattr(text, style if style != "swap" else "swapcase")()


def _punctuation(text: str, rng: random.Random) -> str:
    style = rng.choice(("hyphen", "underscore", "slash", "spaces", "trailing", "nospace"))
    if style == "hyphen":
        return text.replace(" ", "-")
    if style == "underscore":
        return text.replace(" ", "_")
    if style == "slash":
        return text.replace(" ", " / ", 1)
    if style == "spaces":
        return f"  {text.replace(' ', '  ')} "
    if style == "nospace" and text.count(" ") == 1 and len(text) > 6:
        return text.replace(" ", "")
    return text + rng.choice((".", "!", ",", ";", ")"))


def _ampersand(text: str, rng: random.Random) -> str:
    if " and " in text:
        return text.replace(" and ", rng.choice((" & ", "&", " + ")), 1)
    return text.replace("&", " and ") if "&" in text else text


def _plural(text: str, rng: random.Random) -> str:
    return text + "s" if text[-1:].isalpha() and not text.endswith("s") and len(text) > 4 else text


_NOISES = {"case": _case, "punctuation": _punctuation, "ampersand": _ampersand, "british": lambda t, r: _british(t),
           "order": _shuffle_words, "typo": _typo, "plural": _plural}


def noisy_variant(text: str, rng: random.Random, kinds: tuple[str, ...] | None = None) -> str:
    """Return `text` with one or two kinds of noise (or the given `kinds`) applied."""
    if kinds is None:
        count = 1 if rng.random() < 0.6 else 2
        kinds = tuple(rng.sample(sorted(_NOISES), count))
    for kind in kinds:
        text = _NOISES[kind](text, rng)
        if kind == "typo" and len(text) > 14 and rng.random() < 0.3:
            text = _typo(text, rng)
    return text


def noisy_variants(vocabulary: Vocabulary, per_tag: int = 5, seed: int = 0) -> list[tuple[str, str]]:
    """Return `per_tag` (variant, expected canonical label) pairs for every tag of the vocabulary."""
    rng = random.Random(seed)
    pairs = []
    for tag in vocabulary.tags:
        names = (tag.label, *tag.aliases)
        for _ in range(per_tag):
            base = tag.label if rng.random() < 0.5 else rng.choice(names)
            pairs.append((noisy_variant(base, rng), tag.label))
    return pairs


def accuracy(vocabulary: Vocabulary, pairs: list[tuple[str, str]]) -> tuple[float, list[tuple[str, str, str]]]:
    """Return the share of variants canonicalised to their expected tag, and the misses."""
    got = vocabulary.canonicalise_many([variant for variant, _ in pairs])
    misses = [(variant, expected, label) for (variant, expected), label in zip(pairs, got) if label != expected]
    return 1 - len(misses) / max(len(pairs), 1), misses
