"""A program's participants as the engine sees them: canonical tags, answers, free capacity, rules.

Reads only the current institution's rows (the tenant scope filters every query), and only
cached canonical tags: nothing is canonicalised at match time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.match_runs.parameters import CANDIDATES_PER_MENTEE, PROVE_OPTIMAL_UP_TO_PAIRS
from portal.matching import MatchInput, Person, Question
from portal.mentorships.queries import active_mentee_ids, capacity_of, pairs_ever, places_taken
from portal.models import (
    Enrollment, EnrollmentRole, EnrollmentStatus, PairRule, PairRuleKind, Profile, Program, User, UserStatus,
)
from portal.models import Question as QuestionRow

Pair = tuple[int, int]  # (mentee id, mentor id)


@dataclass
class Cohort:
    program: Program
    mentees: list[Person]
    mentors: list[Person]
    questions: list[Question]
    names: dict[int, str]
    excluded: set[Pair] = field(default_factory=set)
    banned: set[Pair] = field(default_factory=set)
    pinned: set[Pair] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    already_matched: int = 0

    def match_input(self, parameters: Mapping[str, Any]) -> MatchInput:
        """Return the engine's input for these people under the run's parameters."""
        k = int(parameters.get("candidates_per_mentee") or CANDIDATES_PER_MENTEE)
        return MatchInput(
            mentees=self.mentees, mentors=self.mentors, weights=parameters["weights"], questions=self.questions,
            affinity_fields=list(self.program.affinity_fields or ()), excluded_pairs=self.excluded,
            banned_pairs=self.banned, pinned_pairs=self.pinned, min_score=parameters.get("min_score"),
            require_shared_language=bool(parameters.get("require_shared_language")),
            objective=parameters.get("objective") or "total_score", candidates_per_mentee=k,
            prove_optimal=len(self.mentees) * len(self.mentors) <= PROVE_OPTIMAL_UP_TO_PAIRS)


def matching_questions(program_id: int) -> list[Question]:
    """Return the program's questions used in matching, as the engine takes them."""
    rows = db.session.scalars(select(QuestionRow).where(QuestionRow.program_id == program_id,
                                                         QuestionRow.used_in_matching.is_(True))
                              .order_by(QuestionRow.position))
    return [Question(id=q.id, kind=q.kind.value, rule=q.match_rule.value, weight=q.matching_weight,
                     options=tuple(q.options or ()), prompt=q.prompt) for q in rows]


def load_people(program: Program, role: EnrollmentRole, user_ids: Iterable[int] | None = None,
                skip: set[int] = frozenset()) -> tuple[list[Person], dict[int, str]]:
    """Return the program's active participants in one role as engine people, and their names.

    Mentors carry their free capacity: their capacity (or the program's default) minus the
    mentees of their active mentorships in this program.
    """
    query = (select(Enrollment.user_id, Enrollment.answers, User.first_name, User.last_name, User.timezone,
                    Profile.canonical_tags, Profile.location, Profile.affinity, Profile.capacity)
             .join(User, User.id == Enrollment.user_id)
             .outerjoin(Profile, Profile.user_id == Enrollment.user_id)
             .where(Enrollment.program_id == program.id, Enrollment.role == role,
                    Enrollment.status == EnrollmentStatus.ACTIVE, User.status != UserStatus.DEACTIVATED)
             .order_by(Enrollment.user_id))
    if user_ids is not None:
        query = query.where(Enrollment.user_id.in_(sorted(set(user_ids))))
    load = places_taken() if role == EnrollmentRole.MENTOR else {}
    affinity_fields = list(program.affinity_fields or ())
    people, names = [], {}
    for row in db.session.execute(query):
        if row.user_id in skip:
            continue
        names[row.user_id] = f"{row.first_name} {row.last_name}".strip()
        affinity = {key: (row.affinity or {}).get(key) for key in affinity_fields} if affinity_fields else None
        capacity = 0
        if role == EnrollmentRole.MENTOR:
            capacity = max(capacity_of(row.capacity, program) - load.get(row.user_id, 0), 0)
        people.append(Person.from_profile(
            row.user_id, row.canonical_tags or {}, location=row.location or "",
            # "UTC" is the default nobody chose, so it says nothing about where someone is.
            timezone="" if (row.timezone or "UTC") == "UTC" else row.timezone,
            answers=row.answers or {}, affinity=affinity, capacity=capacity))
    return people, names


def names_of(user_ids: Iterable[int]) -> dict[int, str]:
    """Return {user id: name} for these people."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    return {user.id: user.name for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _rules(program_id: int) -> tuple[set[Pair], set[Pair]]:
    rows = db.session.execute(select(PairRule.mentee_id, PairRule.mentor_id, PairRule.kind)
                              .where(PairRule.program_id == program_id))
    pins, bans = set(), set()
    for mentee_id, mentor_id, kind in rows:
        (pins if kind == PairRuleKind.PIN else bans).add((mentee_id, mentor_id))
    return pins, bans


def _usable_pins(cohort: Cohort, pins: set[Pair]) -> set[Pair]:
    """Keep the pins the engine can make; say in `cohort.warnings` why any other is left out."""
    mentees = {person.id for person in cohort.mentees}
    capacity = {person.id: person.capacity for person in cohort.mentors}
    everyone = names_of({person for pair in pins for person in pair})
    name = lambda user_id: everyone.get(user_id, "someone who left")  # noqa: E731
    usable, taken, per_mentor = set(), set(), Counter()
    for mentee_id, mentor_id in sorted(pins):
        label = f"{name(mentee_id)} with {name(mentor_id)}"
        if mentee_id not in mentees:
            continue  # already in a mentorship, or no longer in the program: the pin has nothing to do
        if mentor_id not in capacity:
            cohort.warnings.append(f"Pinned pair {label} left out: {name(mentor_id)} is no longer a mentor here.")
        elif (mentee_id, mentor_id) in cohort.banned:
            cohort.warnings.append(f"Pinned pair {label} left out: the pair is also banned.")
        elif (mentee_id, mentor_id) in cohort.excluded:
            cohort.warnings.append(f"Pinned pair {label} left out: they were paired before.")
        elif mentee_id in taken:
            cohort.warnings.append(f"Pinned pair {label} left out: {name(mentee_id)} is pinned to another mentor.")
        elif per_mentor[mentor_id] >= capacity[mentor_id]:
            cohort.warnings.append(f"Pinned pair {label} left out: {name(mentor_id)} has no free place left.")
        else:
            usable.add((mentee_id, mentor_id))
            taken.add(mentee_id)
            per_mentor[mentor_id] += 1
    return usable


def load_cohort(program: Program, parameters: Mapping[str, Any]) -> Cohort:
    """Load everything a run of this program needs, under the run's parameters."""
    matched = active_mentee_ids(program.id)
    mentees, mentee_names = load_people(program, EnrollmentRole.MENTEE, skip=matched)
    mentors, mentor_names = load_people(program, EnrollmentRole.MENTOR)
    cohort = Cohort(program, mentees, mentors, matching_questions(program.id), {**mentee_names, **mentor_names},
                    already_matched=len(matched))
    pins, bans = _rules(program.id)
    pins |= {(mentee, mentor) for mentee, mentor, *_ in parameters.get("keep") or ()}
    cohort.banned = bans | {(mentee, mentor) for mentee, mentor in parameters.get("avoid") or ()}
    cohort.excluded = pairs_ever([person.id for person in mentees])
    cohort.pinned = _usable_pins(cohort, pins)
    return cohort


def score_pairs(program: Program, parameters: Mapping[str, Any], mentee_id: int, mentors: list[Person],
                k: int, exclude: Iterable[int] = (), only_available: bool = False,
                viewer: str = "admin") -> list:
    """Return the mentee's best `k` of these mentors with scores and reasons (engine.recommend)."""
    from portal.matching import recommend

    mentee, _ = load_people(program, EnrollmentRole.MENTEE, user_ids=[mentee_id])
    if not mentee:
        return []
    return recommend(mentee[0], mentors, k=k, weights=parameters.get("weights") or program.matching_weights,
                     questions=matching_questions(program.id), affinity_fields=list(program.affinity_fields or ()),
                     exclude=set(exclude), only_available=only_available, viewer=viewer)
