"""SMART and REAL goals: what each letter asks of a goal, and which of it a draft already meets.

The portal checks what a machine can (a target date, a measurable outcome, enough words to be
specific); the rest is for the pair to judge, and the checklist says so rather than pretend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from portal.models.goals import GoalKind

KIND_SUMMARIES = {
    GoalKind.SMART: "Best for a clear outcome you can count: a skill, an application, a certificate.",
    GoalKind.REAL: "Best for soft skills and career exploration, where progress is something you notice "
                   "rather than count.",
}

# (letter, word, what it asks), in the order of the acronym.
LETTERS = {
    GoalKind.SMART: [
        ("S", "Specific", "Say exactly what you will do, not a wish: “Apply to 10 fintech internships”, "
                          "not “Get a job”."),
        ("M", "Measurable", "Name the outcome you can count or see, so you both know when it's done."),
        ("A", "Achievable", "Within reach with the time and help you have during the program."),
        ("R", "Relevant", "It matters for where you want to go; say why in the description."),
        ("T", "Time-bound", "A target date, so you can plan the steps back from it."),
    ],
    GoalKind.REAL: [
        ("R", "Relevant", "It matters to you now; say why in the description."),
        ("E", "Experimental", "You'll try something new: a conversation, a project, a course, a role."),
        ("A", "Aspirational", "Aim a little beyond what feels safe; reaching only part of it is fine."),
        ("L", "Learning-based", "Success is what you learn on the way; note it at each session."),
    ],
}

MET, MISSING, ADVICE, YOURS = "met", "missing", "advice", "yours"
SPECIFIC_WORDS = 3
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class Check:
    letter: str
    word: str
    meaning: str
    state: str  # met | missing (needed before saving) | advice (worth another look) | yours (only the pair can judge)
    message: str


def _words(text: str) -> int:
    return len((text or "").split())


def _due_phrase(target: date, today: date) -> str:
    days = (target - today).days
    if days == 0:
        return "today"
    if days < 14:
        return f"in {days} day{'s' if days != 1 else ''}"
    if days < 70:
        return f"in {days // 7} weeks"
    return f"in about {round(days / 30.4)} months"


def _time_check(target: date | None, today: date, required: bool, program_ends_on: date | None) -> tuple[str, str]:
    if target is None:
        if required:
            return MISSING, "Choose a target date."
        return YOURS, "Optional for a REAL goal; a date can still help you review it together."
    if target < today:
        return MISSING, "The target date has passed: choose a date from today on."
    message = f"Due {target:%b} {target.day}, {target.year} ({_due_phrase(target, today)})."
    if program_ends_on and target > program_ends_on:
        return ADVICE, (message + f" The program ends on {program_ends_on:%b} {program_ends_on.day}, "
                        f"{program_ends_on.year}: a date before then lets you review it together.")
    return MET, message


def check_goal(kind: GoalKind | str, *, title: str = "", description: str = "", measurable_outcome: str = "",
               target_date: date | None = None, today: date, program_ends_on: date | None = None) -> list[Check]:
    """Return one check per letter of the goal's kind, saying what the draft meets and what it lacks."""
    kind = GoalKind(kind)
    title, description, outcome = (title or "").strip(), (description or "").strip(), (measurable_outcome or "").strip()
    found: dict[str, tuple[str, str]] = {}
    if kind == GoalKind.SMART:
        found["S"] = ((MET, "Your title says what you'll do.") if _words(title) >= SPECIFIC_WORDS else
                      (ADVICE, "Add detail to the title: what, where, how many."))
        if not outcome:
            found["M"] = (MISSING, "Say how you'll know you've reached it, e.g. “3 informational interviews done”.")
        elif _NUMBER.search(outcome):
            found["M"] = (MET, "You can count it.")
        else:
            found["M"] = (ADVICE, "Could you count it? A number makes progress easy to see.")
        time_state = _time_check(target_date, today, True, program_ends_on)
        found["A"] = ((ADVICE, "The target date is after the program ends; is it within reach before then?")
                      if time_state[0] == ADVICE else
                      (YOURS, "Talk it through with your mentor: is it within reach with the time you have?"))
        found["R"] = ((MET, "You've said why it matters.") if description else
                      (ADVICE, "Say in the description why this matters for where you want to go."))
        found["T"] = time_state
    else:
        found["R"] = ((MET, "You've said why it matters.") if description else
                      (ADVICE, "Say in the description why this matters to you now."))
        found["E"] = ((MET, "You've named what you'll try.") if outcome else
                      (ADVICE, "Name something new you'll try, in “What you'll try or measure”."))
        found["A"] = (YOURS, "Only you can judge: does it stretch you?")
        found["L"] = (YOURS, "Add a note of what you learned each time you update progress.")
    return [Check(letter, word, meaning, *found[letter]) for letter, word, meaning in LETTERS[kind]]


def target_date_note(kind: GoalKind | str, target_date: date | None, today: date,
                     program_ends_on: date | None = None) -> tuple[str, str]:
    """Return (state, message) about the target date alone, for a REAL goal's optional date too."""
    return _time_check(target_date, today, GoalKind(kind) == GoalKind.SMART, program_ends_on)
