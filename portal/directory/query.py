"""The directory's SQL: which mentors a viewer may see, and which of them match a search.

Visible means: an active mentor of the viewer's institution (the tenant scope), enrolled and
active as a mentor in one of the viewer's open programs. A mentor in several of them is shown
once, in the first of those programs (its default capacity applies).

On PostgreSQL the text conditions are written on the expressions that carry trigram indexes
(portal/models/user.py), so a search reads the matching profiles instead of every mentor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import (
    Select, String, and_, case, exists, func, literal, literal_column, nulls_last, or_, select, union_all,
)
from sqlalchemy.orm import aliased

from portal.directory.terms import Term, read_query, read_tags, with_narrower
from portal.directory.viewer import Viewer
from portal.extensions import db
from portal.matching.canonical import place
from portal.models import (
    Enrollment, EnrollmentRole, EnrollmentStatus, MentorRequest, Mentorship, MentorshipParticipant, MentorshipStatus,
    ParticipantRole, Profile, RequestStatus, Role, User, UserStatus,
)
from portal.models.user import (
    PROFILE_CANONICAL_INDUSTRY, PROFILE_CANONICAL_TEXT, PROFILE_LOCATION_TEXT, PROFILE_SEARCH_TEXT, USER_NAME_TEXT,
)

MAX_NAME_MATCHES = 2000
# Keys of the cached canonical tags: a tag spelt like one of them is not searched in the cached
# JSON text, where it would match the key itself.
_CANONICAL_KEYS = frozenset({"version", "skills", "career_interests", "mentoring_topics", "languages", "industry",
                             "job_title", "major", "degree"})


@dataclass(frozen=True)
class Search:
    """A directory search as the student asked for it (already checked by the form)."""

    query: str = ""
    industry: str = ""  # a canonical industry tag; its narrower industries count too
    location: str = ""
    graduated_from: int | None = None
    graduated_to: int | None = None
    skills: tuple[str, ...] = ()  # as typed; every one is required
    free_spot: bool = False
    accepting: bool = False
    program_id: int | None = None  # one of the viewer's programs, or None for all of them

    @property
    def filtered(self) -> bool:
        return bool(self.industry or self.location or self.graduated_from or self.graduated_to or self.skills
                    or self.free_spot or self.accepting)


def _like(text: str) -> str:
    """Return a LIKE pattern finding `text` anywhere ('\\' escapes the wildcards)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _has_tag(label: str):
    """Return the condition 'the mentor's canonical tags include `label`' (any field)."""
    return PROFILE_CANONICAL_TEXT.like(_like(json.dumps(label)), escape="\\")


def _in_field(field: str, label: str):
    """Return the condition 'the canonical list `field` includes `label`' (checked after `_has_tag`)."""
    listed = Profile.canonical_tags.op("->>", return_type=String)(literal_column(f"'{field}'"))
    return listed.like(_like(json.dumps(label)), escape="\\")


# Made once: building an alias's column expressions costs more than the rest of a search's SQL.
_MENTOR_SIDE = aliased(MentorshipParticipant, name="mentor_side")
_MENTEE_SIDE = aliased(MentorshipParticipant, name="mentee_side")


@lru_cache(maxsize=8)
def active_mentee_count(user_id_column):
    """Return the SQL for the places a mentor has taken: the mentees in their active mentorships (any
    program) plus their pending requests, counted as `portal.mentorships.free_capacities` counts them.

    Built once per column (building it costs more than running it for a page of mentors). Give
    it `User.id` in a search: the condition then waits for the join with the mentors' accounts,
    so it is never worked out for the students whose profiles match the same words.
    """
    mentor, mentee = _MENTOR_SIDE, _MENTEE_SIDE
    mentees = (select(func.count(mentee.id))
               .select_from(mentor)
               .join(Mentorship, and_(Mentorship.id == mentor.mentorship_id,
                                      Mentorship.status == MentorshipStatus.ACTIVE))
               .join(mentee, and_(mentee.mentorship_id == Mentorship.id, mentee.role == ParticipantRole.MENTEE))
               .where(mentor.user_id == user_id_column, mentor.role == ParticipantRole.MENTOR)
               .scalar_subquery())
    pending = (select(func.count(MentorRequest.id))
               .where(MentorRequest.mentor_id == user_id_column, MentorRequest.status == RequestStatus.PENDING)
               .scalar_subquery())
    return mentees + pending


def visible_mentors(program_ids: list[int]) -> tuple[list, object]:
    """Return (the conditions of "a visible mentor", the column naming each mentor's program).

    For a select from Profile joined to User (see `mentor_select`).
    """
    mentor_enrollment = and_(Enrollment.user_id == Profile.user_id, Enrollment.role == EnrollmentRole.MENTOR,
                             Enrollment.status == EnrollmentStatus.ACTIVE)
    if len(program_ids) == 1:
        program_column = literal(program_ids[0])
        visible = exists().where(mentor_enrollment, Enrollment.program_id == program_ids[0])
    else:
        program_column = (select(func.min(Enrollment.program_id))
                          .where(mentor_enrollment, Enrollment.program_id.in_(program_ids or [-1]))
                          .scalar_subquery())
        visible = program_column.is_not(None)
    return [User.role == Role.MENTOR, User.status == UserStatus.ACTIVE, visible], program_column


def mentor_select(*columns) -> Select:
    """Return a select of `columns` from mentors' profiles joined to their accounts."""
    return select(*columns).select_from(Profile).join(User, User.id == Profile.user_id)


def capacity_of(viewer: Viewer, program_column):
    """Return the SQL for a mentor's capacity: their own number, or their program's default."""
    defaults = {program.id: program.default_capacity for program in viewer.programs}
    if len(set(defaults.values())) <= 1:
        default = literal(next(iter(defaults.values()), 0))
    else:
        default = case(defaults, value=program_column, else_=0)
    return func.coalesce(func.nullif(Profile.capacity, 0), default)


def _by_text(term: Term) -> bool:
    """Say whether a term is searched as text too ("ML" means the tag, not "html")."""
    return len(term.text) > 2 or (not term.labels and len(term.text) == 2)


def _names_matching(terms: list[Term]) -> list[list[int]]:
    """Return, for each term, the mentors whose name contains it: one query for all of them (it uses
    the name index on PostgreSQL)."""
    if not terms:
        return []
    lookups = [select(literal(number).label("term"), User.id.label("user_id"))
               .where(User.role == Role.MENTOR, USER_NAME_TEXT.like(_like(term.text), escape="\\"))
               .limit(MAX_NAME_MATCHES) for number, term in enumerate(terms)]
    if len(lookups) > 1:
        parts = [lookup.subquery() for lookup in lookups]
        statement = union_all(*(select(part.c.term, part.c.user_id) for part in parts))
    else:
        statement = lookups[0]
    found: list[list[int]] = [[] for _term in terms]
    for number, user_id in db.session.execute(statement):
        found[number].append(user_id)
    return found


def term_condition(term: Term, names: list[int] = ()):
    """Return the condition for one term: the tag it names, or its text in the mentor's words, or
    one of `names` (the mentors whose name contains it, see `_names_matching`).

    The tags come first: PostgreSQL checks the alternatives in order on every profile the indexes
    return, and the cached tags are far cheaper to read than the words put together.
    """
    options = [_has_tag(label) for label in term.labels if label.casefold() not in _CANONICAL_KEYS]
    if _by_text(term):
        options.append(PROFILE_SEARCH_TEXT.like(_like(term.text), escape="\\"))
        if names:
            options.append(Profile.user_id.in_(names))
    return or_(*options) if options else None


@lru_cache(maxsize=256)
def industry_labels(industry: str) -> tuple[str, ...]:
    """Return the industry tag and its narrower ones."""
    return with_narrower(industry) if industry else ()


def search_conditions(search: Search, viewer: Viewer, program_column) -> tuple[list, list[Term], list[str]]:
    """Return the WHERE conditions of a search, the terms read from its query and its skills."""
    conditions, terms, skills = [], read_query(search.query), read_tags(search.skills)
    names = iter(_names_matching([term for term in terms if _by_text(term)]))
    for term in terms:
        condition = term_condition(term, next(names) if _by_text(term) else ())
        if condition is not None:
            conditions.append(condition)
    if search.industry:
        conditions.append(PROFILE_CANONICAL_INDUSTRY.in_(industry_labels(search.industry)))
    for skill in skills:
        conditions.extend([_has_tag(skill), _in_field("skills", skill)])
    if search.location:
        wanted = search.location.casefold()
        city = place(search.location)[0]
        conditions.append(or_(*{PROFILE_LOCATION_TEXT.like(_like(text), escape="\\") for text in (wanted, city)
                                if text}))
    if search.graduated_from:
        conditions.append(Profile.graduation_year >= search.graduated_from)
    if search.graduated_to:
        conditions.append(Profile.graduation_year <= search.graduated_to)
    if search.accepting:
        conditions.append(Profile.accepting_requests.is_(True))
    if search.free_spot:
        conditions.append(capacity_of(viewer, program_column) > active_mentee_count(User.id))
    return conditions, terms, skills


def sort_recent():
    """Return the order of "recently active": last sign-in first, never signed in last."""
    return [nulls_last(User.last_login_at.desc()), User.id]


def sort_name():
    return [User.last_name, User.first_name, User.id]
