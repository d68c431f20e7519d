"""Fairness: who is left without a mentor and why; match rate and satisfaction by group.

The unit is an enrollment (a mentee in a program). Match rate (DESIGN.md): mentees with an
active or completed mentorship in the program / enrolled mentees. Satisfaction: the mean of
the session ratings the group's mentees gave. Affinity groups appear only for programs that
ask for that field, and only from answers people chose to share (with consent); a small group
shows no figures, so nobody can be picked out of it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from portal.engagement.at_risk import _plural
from portal.extensions import db
from portal.models import (
    Enrollment, EnrollmentRole, EnrollmentStatus, MatchMode, MatchRun, MatchRunStatus, MatchSuggestion,
    MentorRequest, Mentorship, MentorshipParticipant, MentorshipStatus, ParticipantRole, Profile, Program,
    RequestStatus, SessionFeedback, User,
)
from portal.models.programs import AFFINITY_FIELDS

MIN_AFFINITY_GROUP = 3  # affinity groups smaller than this show no figures
NOT_GIVEN = "Not given"
NOT_INDICATED = "Not indicated"

Key = tuple[int, int]  # (program id, mentee id)


@dataclass
class GroupRow:
    label: str
    mentees: int = 0
    matched: int = 0
    ratings: list[int] = field(default_factory=list)
    hidden: bool = False  # too few people to show figures

    @property
    def match_rate(self) -> float | None:
        return 100 * self.matched / self.mentees if self.mentees else None

    @property
    def mean_rating(self) -> float | None:
        return sum(self.ratings) / len(self.ratings) if self.ratings else None


@dataclass
class UnmatchedMentee:
    user: User
    program_id: int
    program_name: str
    reason: str  # short, e.g. "Declined by 2 mentors"
    detail: str  # a sentence saying what to do or what happened
    kind: str  # for counting: pending, ended_early, declined, expired, withdrawn, run, not_in_run, no_request


@dataclass
class FairnessReport:
    total: GroupRow
    unmatched: list[UnmatchedMentee]
    by_year: list[GroupRow]
    by_major: list[GroupRow]
    by_affinity: list[tuple[str, list[GroupRow]]]

    @property
    def reason_counts(self) -> list[tuple[str, int]]:
        labels = {"pending": "Request pending", "ended_early": "Mentorship ended early",
                  "declined": "Declined by mentors", "expired": "Requests expired", "withdrawn": "Request withdrawn",
                  "run": "Left unmatched by a match run", "suggested": "Suggested, not yet published",
                  "not_in_run": "Not in a match run", "no_request": "No request sent"}
        counts = Counter(item.kind for item in self.unmatched)
        return [(labels[kind], count) for kind, count in counts.most_common()]


def fairness_report(program_id: int | None = None) -> FairnessReport:
    """Return the fairness figures of one program, or of every program of the institution."""
    programs = {p.id: p for p in db.session.scalars(
        select(Program).where(Program.id == program_id) if program_id is not None else select(Program))}
    in_scope = [Enrollment.role == EnrollmentRole.MENTEE, Enrollment.status == EnrollmentStatus.ACTIVE]
    if program_id is not None:
        in_scope.append(Enrollment.program_id == program_id)
    enrolled = db.session.execute(
        select(Enrollment.program_id, User, Profile).join(User, User.id == Enrollment.user_id)
        .outerjoin(Profile, Profile.user_id == User.id).where(*in_scope)
        .order_by(User.last_name, User.first_name, Enrollment.program_id)).all()
    matched = _mentee_keys({MentorshipStatus.ACTIVE, MentorshipStatus.COMPLETED}, program_id)
    ratings = _ratings(program_id)

    total = GroupRow("All mentees")
    by_year: dict[str, GroupRow] = {}
    by_major: dict[str, GroupRow] = {}
    by_affinity: dict[str, dict[str, GroupRow]] = {name: {} for name in AFFINITY_FIELDS
                                                   if any(name in (p.affinity_fields or []) for p in programs.values())}
    unmatched_keys = []
    for program, user, profile in enrolled:
        key = (program, user.id)
        year = str(profile.graduation_year) if profile and profile.graduation_year else NOT_GIVEN
        major = " ".join((profile.major if profile else "").split()) or NOT_GIVEN
        groups = [total, _group(by_year, year), _group(by_major, major)]
        for name, rows in by_affinity.items():
            if name in (programs[program].affinity_fields or []):
                groups.append(_group(rows, _affinity_value(profile, name)))
        for row in groups:
            row.mentees += 1
            row.matched += key in matched
            row.ratings.extend(ratings.get(key, []))
        if key not in matched:
            unmatched_keys.append((key, user))

    affinity_tables = []
    for name, rows in by_affinity.items():
        for row in rows.values():
            row.hidden = row.label != NOT_INDICATED and row.mentees < MIN_AFFINITY_GROUP
        affinity_tables.append((AFFINITY_FIELDS[name], sorted(
            rows.values(), key=lambda row: (row.label == NOT_INDICATED, -row.mentees, row.label.casefold()))))
    return FairnessReport(
        total=total, unmatched=_explain_unmatched(unmatched_keys, programs, program_id),
        by_year=sorted(by_year.values(), key=lambda row: (row.label == NOT_GIVEN, row.label)),
        by_major=sorted(by_major.values(),
                        key=lambda row: (row.label == NOT_GIVEN, -row.mentees, row.label.casefold())),
        by_affinity=affinity_tables)


def _group(rows: dict[str, GroupRow], label: str) -> GroupRow:
    """Return the row for `label`, grouping spellings that differ only in case."""
    key = label.casefold()
    if key not in rows:
        rows[key] = GroupRow(label)
    return rows[key]


def _affinity_value(profile: Profile | None, name: str) -> str:
    """Return a person's shared answer to an affinity field, or NOT_INDICATED (no answer, no consent)."""
    answers = (profile.affinity if profile else None) or {}
    if not answers.get("consented_at"):
        return NOT_INDICATED
    value = answers.get(name)
    if value is True:
        return "Yes"
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return NOT_INDICATED


def _mentee_keys(statuses: set[MentorshipStatus], program_id: int | None) -> set[Key]:
    query = (select(Mentorship.program_id, MentorshipParticipant.user_id)
             .join(MentorshipParticipant, MentorshipParticipant.mentorship_id == Mentorship.id)
             .where(MentorshipParticipant.role == ParticipantRole.MENTEE, Mentorship.status.in_(statuses)))
    if program_id is not None:
        query = query.where(Mentorship.program_id == program_id)
    return {(program, user) for program, user in db.session.execute(query)}


def _ratings(program_id: int | None) -> dict[Key, list[int]]:
    """Return {(program, mentee): the ratings the mentee gave to sessions of their mentorships}."""
    query = (select(Mentorship.program_id, SessionFeedback.user_id, SessionFeedback.rating)
             .join(Mentorship, Mentorship.id == SessionFeedback.mentorship_id)
             .join(MentorshipParticipant, (MentorshipParticipant.mentorship_id == Mentorship.id)
                   & (MentorshipParticipant.user_id == SessionFeedback.user_id))
             .where(MentorshipParticipant.role == ParticipantRole.MENTEE))
    if program_id is not None:
        query = query.where(Mentorship.program_id == program_id)
    found: dict[Key, list[int]] = defaultdict(list)
    for program, user_id, rating in db.session.execute(query):
        found[(program, user_id)].append(rating)
    return found


def _explain_unmatched(unmatched: list[tuple[Key, User]], programs: dict[int, Program],
                       program_id: int | None) -> list[UnmatchedMentee]:
    """Say why each unmatched mentee has no mentor, from what happened to them, latest first."""
    if not unmatched:
        return []
    requests: dict[Key, dict[RequestStatus, set[int]]] = defaultdict(lambda: defaultdict(set))
    query = select(MentorRequest.program_id, MentorRequest.mentee_id, MentorRequest.status, MentorRequest.mentor_id)
    if program_id is not None:
        query = query.where(MentorRequest.program_id == program_id)
    for program, mentee, status, mentor in db.session.execute(query):
        requests[(program, mentee)][status].add(mentor)
    ended_early = _mentee_keys({MentorshipStatus.ENDED_EARLY}, program_id)
    runs = _latest_runs(programs)

    explained = []
    for key, user in unmatched:
        program = programs[key[0]]
        asked = requests.get(key, {})
        run = runs.get(program.id)
        if asked.get(RequestStatus.PENDING):
            count = len(asked[RequestStatus.PENDING])
            kind, reason = "pending", "Request pending"
            detail = f"Waiting for an answer from {_plural(count, 'mentor')}."
        elif key in ended_early:
            kind, reason, detail = ("ended_early", "Mentorship ended early",
                                    "Their mentorship ended early and they have no mentor now.")
        elif asked.get(RequestStatus.DECLINED):
            count = len(asked[RequestStatus.DECLINED])
            kind, reason = "declined", f"Declined by {_plural(count, 'mentor')}"
            detail = "Suggest mentors with room, or include them in the next match run."
        elif asked.get(RequestStatus.EXPIRED):
            count = len(asked[RequestStatus.EXPIRED])
            kind, reason = "expired", f"{_plural(count, 'request')} expired"
            detail = "Nobody answered in time; suggest mentors who are accepting requests."
        elif asked.get(RequestStatus.WITHDRAWN):
            kind, reason, detail = "withdrawn", "Request withdrawn", "They withdrew their request and sent no other."
        elif run is not None and key[1] in run[1]:
            kind, reason, detail = "run", "Left unmatched by the last match run", run[1][key[1]] or "No mentor fitted."
        elif run is not None and key[1] in run[2] and run[0].status == MatchRunStatus.PUBLISHED:
            kind, reason, detail = ("run", "Left unmatched by the last match run",
                                    "The mentor suggested for them was not approved.")
        elif run is not None and key[1] in run[2]:
            kind, reason, detail = ("suggested", "Suggested, not yet published",
                                    "The last match run suggested a mentor; publish it to pair them.")
        elif program.match_mode == MatchMode.SELF_SELECT:
            kind, reason, detail = "no_request", "No request sent", "They have not asked a mentor yet."
        elif program.match_mode == MatchMode.ADMIN_LED or run is not None:
            kind, reason = "not_in_run", "Not in a match run"
            detail = ("They joined after the last match run." if run is not None
                      else "Run matching for this program to suggest a mentor.")
        else:
            kind, reason, detail = ("no_request", "No request sent",
                                    "They have not asked a mentor, and no match run has included them.")
        explained.append(UnmatchedMentee(user, program.id, program.name, reason, detail, kind))
    return explained


def _latest_runs(programs: dict[int, Program]) -> dict[int, tuple[MatchRun, dict[int, str], set[int]]]:
    """Return {program: (its latest finished run, {unmatched mentee: message}, suggested mentees)}."""
    latest: dict[int, MatchRun] = {}
    for run in db.session.scalars(select(MatchRun).where(
            MatchRun.program_id.in_(list(programs)),
            MatchRun.status.in_([MatchRunStatus.FINISHED, MatchRunStatus.PUBLISHED]))
            .order_by(MatchRun.created_at.desc(), MatchRun.id.desc())):
        latest.setdefault(run.program_id, run)
    found = {}
    for program, run in latest.items():
        left = {int(entry.get("mentee_id")): entry.get("message", "") for entry in (run.unmatched or [])
                if entry.get("mentee_id") is not None}
        suggested = set(db.session.scalars(select(MatchSuggestion.mentee_id).where(MatchSuggestion.run_id == run.id)))
        found[program] = (run, left, suggested)
    return found
