"""Normalising what people type, so that spelling, case and punctuation never split a tag.

`normalise("Financial Modelling & Analysis")` -> "financial modeling and analysis": accents and
case folded, '&' spelt out, punctuation and hyphens turned into spaces ('+' and '#' kept, for
C++ and C#), British spellings mapped to American ones. The lookup keys built on it
(`compact_key`, `loose_key`) catch what is left: spacing ("front end" / "frontend") and
plurals, filler words and word order ("modeling of data" / "data models").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Words whose British spelling is not covered by the -isation/-ise rules below.
_BRITISH_WORDS = {
    "modelling": "modeling", "modelled": "modeled", "modeller": "modeler", "modellers": "modelers",
    "labelling": "labeling", "labelled": "labeled", "travelling": "traveling", "traveller": "traveler",
    "cancelled": "canceled", "cancelling": "canceling", "counselling": "counseling", "counsellor": "counselor",
    "counsellors": "counselors", "levelling": "leveling", "fuelling": "fueling", "signalling": "signaling",
    "channelling": "channeling", "tunnelling": "tunneling", "jewellery": "jewelry",
    "analyse": "analyze", "analysed": "analyzed", "analysing": "analyzing", "analyser": "analyzer",
    "catalyse": "catalyze", "paralyse": "paralyze",
    "behaviour": "behavior", "behaviours": "behaviors", "behavioural": "behavioral", "labour": "labor",
    "colour": "color", "colours": "colors", "favour": "favor", "favourite": "favorite", "honour": "honor",
    "humour": "humor", "neighbour": "neighbor", "rumour": "rumor", "savoury": "savory", "endeavour": "endeavor",
    "centre": "center", "centres": "centers", "theatre": "theater", "metre": "meter", "litre": "liter",
    "fibre": "fiber", "calibre": "caliber", "defence": "defense", "licence": "license", "offence": "offense",
    "pretence": "pretense", "programme": "program", "programmes": "programs", "catalogue": "catalog",
    "dialogue": "dialog", "judgement": "judgment", "ageing": "aging", "aluminium": "aluminum", "grey": "gray",
    "paediatrics": "pediatrics", "paediatric": "pediatric", "anaesthesia": "anesthesia",
    "anaesthesiology": "anesthesiology", "orthopaedics": "orthopedics", "haematology": "hematology",
    "gynaecology": "gynecology", "oesophagus": "esophagus",
    "fulfilment": "fulfillment", "enrolment": "enrollment", "instalment": "installment", "skilful": "skillful",
    "practise": "practice", "tyre": "tire", "cheque": "check", "mould": "mold", "plough": "plow",
    "maths": "math", "learnt": "learned", "whilst": "while", "sceptical": "skeptical",
}

# Stems whose -ise/-ised/-ising/-iser spelling is British for -ize (not "enterprise", "expertise"...).
_IZE_STEMS = {
    "organ", "optim", "visual", "special", "standard", "digital", "digit", "global", "local", "monet", "priorit",
    "categor", "custom", "util", "real", "recogn", "summar", "synthes", "emphas", "minim", "maxim", "capital",
    "commercial", "industrial", "urban", "social", "mobil", "random", "normal", "token", "container", "virtual",
    "author", "final", "modern", "central", "decentral", "personal", "memor", "apolog", "critic", "character",
    "energ", "familiar", "harmon", "ideal", "special", "conceptual", "contextual", "hospital", "institutional",
    "internation", "legal", "liberal", "material", "national", "neutral", "operational", "penal", "polar",
    "privat", "productiv", "public", "rational", "serial", "stabil", "steril", "subsid", "symbol", "theor",
    "util", "vandal", "vocal", "weapon", "western", "computer", "agon", "fantas", "econom", "item", "patron",
}
_IZE_RE = re.compile(r"^(\w+?)is(e|ed|es|ing|er|ers|ation|ations|ational)$")
_KEEP_CHARS = re.compile(r"[^\w+#]+")
# Filler words dropped from the loose key ("head of marketing" ~ "marketing head").
STOP_WORDS = frozenset({"and", "of", "the", "in", "for", "to", "a", "an", "with", "on", "at"})


def _american(word: str) -> str:
    """Return the American spelling of one normalised word."""
    if word in _BRITISH_WORDS:
        return _BRITISH_WORDS[word]
    if word.endswith(("isation", "isations", "isational")):
        return word.replace("isation", "ization")
    match = _IZE_RE.match(word)
    if match and match.group(1) in _IZE_STEMS:
        return f"{match.group(1)}iz{match.group(2)}"
    return word


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """Return `text` folded for comparison: lower case, no accents or punctuation, American spelling."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = text.replace("&", " and ").replace("_", " ")
    words = []
    for word in _KEEP_CHARS.sub(" ", text).split():
        word = word.lstrip("#")  # hashtags; a trailing '#' (C#, F#) stays
        if word.strip("+#"):
            words.append(_american(word))
    return " ".join(words)


def singular(word: str) -> str:
    """Return a crude singular of a normalised word (both sides of a lookup use the same rule)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-3] + "y" if word.endswith("ies") and len(word) > 4 else word[:-1]
    return word


def compact_key(normalised: str) -> str:
    """Return the key that ignores spaces: "front end", "front-end" and "frontend" agree."""
    return normalised.replace(" ", "")


def loose_key(normalised: str) -> str:
    """Return the key that ignores plurals, filler words and word order."""
    words = sorted(singular(word) for word in normalised.split() if word not in STOP_WORDS)
    return " ".join(words)
