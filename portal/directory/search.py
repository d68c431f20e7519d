"""Searching the directory: filter, sort and page the visible mentors, then describe one page of them."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload

from portal.directory.query import (
    Search, active_mentee_count, mentor_select, search_conditions, sort_name, sort_recent, visible_mentors,
)
from portal.directory.scores import reasons, score_table
from portal.directory.terms import Term
from portal.directory.viewer import ProgramView, Viewer
from portal.extensions import db
from portal.matching import get_vocabulary
from portal.models import Profile, User
from portal.paging import Page
from portal.requests.queries import AnswerTime, answer_time_columns, answer_time_from, median_answer_times

PAGE_SIZE = 12
CARD_TAGS = 6
RECOMMENDED, RECENT, NAME, RESPONSIVE = "recommended", "recent", "name", "responsive"
SORT_LABELS = {RECOMMENDED: "Recommended for me", RECENT: "Recently active", NAME: "Name (A to Z)"}
# "Most responsive" orders by the median time each mentor takes to answer requests; it is
# offered once some mentor of the viewer's programs has answered one. Until then a link asking
# for it gets the recommended order, and says so.
RESPONSIVENESS_KNOWN = True


def sorts_for(viewer: Viewer) -> dict[str, str]:
    """Return the sort orders this viewer can choose (admins have no recommendations)."""
    labels = dict(SORT_LABELS)
    if RESPONSIVENESS_KNOWN and viewer.responsiveness_known:
        labels[RESPONSIVE] = "Most responsive"
    if not viewer.is_student:
        labels.pop(RECOMMENDED)
    return labels


@dataclass
class MentorCard:
    """What a card and a profile page show about one mentor, for one viewer."""

    user: User
    profile: Profile
    program: ProgramView
    capacity: int
    taken: int
    tags: list[str] = field(default_factory=list)
    matched_tags: set[str] = field(default_factory=set)
    score: float | None = None
    reasons: list[str] = field(default_factory=list)
    answer_time: AnswerTime | None = None  # how quickly they answer requests, once they have answered some

    @property
    def spots_open(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def last_active(self) -> datetime | None:
        return self.user.last_login_at


@dataclass
class Results(Page):
    """One page of mentor cards, with the order and what was read from the query."""

    sort: str = RECOMMENDED
    terms: list[Term] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)

    @property
    def cards(self) -> list[MentorCard]:
        return self.items


def _programs(viewer: Viewer, search: Search) -> list[int]:
    chosen = viewer.program(search.program_id)
    return [chosen.id] if chosen else viewer.program_ids


def _page_bounds(total: int, page: int) -> int:
    """Return `page` kept between the first and the last page of `total` mentors."""
    return min(max(page, 1), max(1, math.ceil(total / PAGE_SIZE)))


def _ranked(viewer: Viewer, rows: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], dict[int, float]]:
    """Order (mentor id, program id) rows by the student's match score, best first."""
    by_program: dict[int, list[int]] = defaultdict(list)
    for mentor_id, program_id in rows:
        by_program[program_id].append(mentor_id)
    scores: dict[int, float] = {}
    for program_id, mentor_ids in by_program.items():
        table = score_table(viewer, viewer.program(program_id), mentor_ids)
        scores.update(zip(mentor_ids, table.lookup(mentor_ids).tolist()))
    ids = np.fromiter((mentor_id for mentor_id, _program in rows), np.int64, len(rows))
    values = np.fromiter((scores[mentor_id] for mentor_id, _program in rows), np.float64, len(rows))
    order = np.lexsort((ids, -np.round(values, 2)))  # best score first; ties by id, so pages are stable
    return [rows[i] for i in order.tolist()], scores


def _by_answer_time(rows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Order (mentor id, program id) rows by the median time to answer requests, quickest first;
    mentors who have answered none come last; ties by id, so pages are stable."""
    ids = [mentor_id for mentor_id, _program in rows]
    # Past one IN list, reading every mentor's median at once is cheaper than many lists.
    times = median_answer_times(ids if len(ids) <= 900 else None)
    return sorted(rows, key=lambda row: (row[0] not in times,
                                         times[row[0]].median if row[0] in times else timedelta(0), row[0]))


def matching(viewer: Viewer, search: Search) -> tuple[list, object, list[Term], list[str]] | None:
    """Return (the conditions of "a visible mentor matching the search", the column naming each one's
    program, the terms read from the query, the skills asked for), or None for a viewer in no program."""
    program_ids = _programs(viewer, search)
    if not program_ids:
        return None
    visible, program_column = visible_mentors(program_ids)
    conditions, terms, skills = search_conditions(search, viewer, program_column)
    return [*visible, *conditions], program_column, terms, skills


def search_mentors(viewer: Viewer, search: Search, sort: str = RECOMMENDED, page: int = 1) -> Results:
    """Return one page of the mentors this viewer may see that match the search, in the chosen order."""
    if sort not in sorts_for(viewer):
        sort = RECOMMENDED if viewer.is_student else RECENT
    found = matching(viewer, search)
    if found is None:
        return Results([], 0, 1, PAGE_SIZE, sort)
    conditions, program_column, terms, skills = found
    scores: dict[int, float] = {}
    if sort in (RECOMMENDED, RESPONSIVE):
        rows = db.session.execute(mentor_select(Profile.user_id, program_column).where(*conditions)).all()
        total = len(rows)
        page = _page_bounds(total, page)
        if sort == RECOMMENDED:
            ranked, scores = _ranked(viewer, [tuple(row) for row in rows])
        else:
            ranked = _by_answer_time([tuple(row) for row in rows])
        shown = ranked[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    else:
        order = sort_recent() if sort == RECENT else sort_name()
        query = (mentor_select(Profile.user_id, program_column, func.count().over())
                 .where(*conditions).order_by(*order))
        rows = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
        if not rows and page > 1:
            total = db.session.scalar(mentor_select(func.count()).where(*conditions)) or 0
            page = _page_bounds(total, page)
            rows = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all() if total else []
        total = rows[0][2] if rows else 0
        page = _page_bounds(total, page)
        shown = [(row[0], row[1]) for row in rows]
    highlight = {label for term in terms for label in term.labels} | set(skills)
    cards = describe(viewer, shown, scores, highlight)
    return Results(cards, total, page, PAGE_SIZE, sort, terms, skills)


def _shown(tag: str) -> str:
    """Return a tag as a card shows it: vocabulary tags as spelt there, others with a capital."""
    return tag if tag in get_vocabulary().by_label else tag[:1].upper() + tag[1:]


def _tags(profile: Profile, highlight: set[str]) -> tuple[list[str], set[str]]:
    """Return the card's tags (canonical skills and topics, searched-for ones first) and which matched."""
    canonical = profile.canonical_tags or {}
    tags = list(dict.fromkeys([*canonical.get("skills", []), *canonical.get("mentoring_topics", [])]))
    matched = [tag for tag in tags if tag in highlight]
    shown = [_shown(tag) for tag in matched + [tag for tag in tags if tag not in highlight]][:CARD_TAGS]
    return shown, {_shown(tag) for tag in matched}


def _version(user: User | None) -> str:
    """Return what changes when a mentor's profile changes (for the cached reasons)."""
    profile = user.profile if user else None
    return f"{profile.updated_at.timestamp():.6f}" if profile and profile.updated_at else "0"


def describe(viewer: Viewer, shown: list[tuple[int, int]], scores: dict[int, float] | None = None,
             highlight: set[str] = frozenset(), all_reasons: bool = False) -> list[MentorCard]:
    """Return cards for these (mentor id, program id) rows, in their order, with reasons for a student."""
    if not shown:
        return []
    ids = [mentor_id for mentor_id, _program in shown]
    # The places taken and (on PostgreSQL) the answer times come with the mentors: one query. Their
    # institution is the viewer's, already loaded, so it is not joined in again for every mentor.
    timed = answer_time_columns(User.id)
    rows = db.session.execute(select(User, active_mentee_count(User.id), *(timed or ())).where(User.id.in_(ids))
                              .options(joinedload(User.profile), lazyload(User.institution))).all()
    users = {row[0].id: row[0] for row in rows}
    taken = {row[0].id: row[1] for row in rows}
    if timed:
        answer_times = {row[0].id: answer_time_from(row[2], row[3]) for row in rows if row[3]}
    else:
        answer_times = median_answer_times(ids)
    why: dict[int, list[str]] = {}
    if viewer.is_student:
        by_program: dict[int, list[int]] = defaultdict(list)
        for mentor_id, program_id in shown:
            by_program[program_id].append(mentor_id)
        for program_id, mentor_ids in by_program.items():
            versions = {mentor_id: _version(users.get(mentor_id)) for mentor_id in mentor_ids}
            why.update(reasons(viewer, viewer.program(program_id), versions))
    cards = []
    for mentor_id, program_id in shown:
        user = users.get(mentor_id)
        if user is None or user.profile is None:
            continue
        program = viewer.program(program_id)
        tags, matched = _tags(user.profile, set(highlight))
        reasons_shown = why.get(mentor_id, [])
        cards.append(MentorCard(
            user=user, profile=user.profile, program=program,
            capacity=user.profile.capacity or program.default_capacity, taken=taken.get(mentor_id, 0),
            tags=tags, matched_tags=matched, score=(scores or {}).get(mentor_id),
            reasons=reasons_shown if all_reasons else reasons_shown[:2], answer_time=answer_times.get(mentor_id)))
    return cards


def mentor_card(viewer: Viewer, mentor_id: int) -> MentorCard | None:
    """Return the profile page's view of one mentor, or None if this viewer may not see them."""
    if not viewer.program_ids:
        return None
    visible, program_column = visible_mentors(viewer.program_ids)
    program_id = db.session.scalar(mentor_select(program_column).where(*visible, Profile.user_id == mentor_id))
    if program_id is None:
        return None
    scores = {}
    if viewer.is_student:
        table = score_table(viewer, viewer.program(program_id), [mentor_id])
        scores[mentor_id] = float(table.lookup([mentor_id])[0])
    cards = describe(viewer, [(mentor_id, program_id)], scores, all_reasons=True)
    return cards[0] if cards else None
