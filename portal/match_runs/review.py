"""Reviewing a finished run: approve, reject, swap a mentor, pin and ban pairs; all recorded."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from portal.extensions import db
from portal.match_runs import MatchRunError
from portal.match_runs.cohort import load_people, names_of, score_pairs
from portal.mentorships.queries import free_capacities, pairs_ever
from portal.models import (
    AuditEvent, EnrollmentRole, MatchRun, MatchRunStatus, MatchSuggestion, PairRule, PairRuleKind, Program,
    SuggestionDecision, utcnow,
)

SWAP_CANDIDATES = 8


@dataclass
class Candidate:
    mentor_id: int
    name: str
    score: float
    reasons: list[str]
    places_left: int


def _run_of(suggestion: MatchSuggestion) -> tuple[MatchRun, Program]:
    run = db.session.get(MatchRun, suggestion.run_id)
    if run.status == MatchRunStatus.PUBLISHED:
        raise MatchRunError(f"Run #{run.id} is published, so its decisions are final.")
    if run.status != MatchRunStatus.FINISHED:
        raise MatchRunError(f"Run #{run.id} isn't finished, so there is nothing to review yet.")
    return run, db.session.get(Program, run.program_id)


def audit(actor_id: int | None, action: str, subject_type: str, subject_id: int | None, institution_id: int,
          **details) -> None:
    """Record who did what to which record."""
    db.session.add(AuditEvent(institution_id=institution_id, actor_id=actor_id, action=action,
                              subject_type=subject_type, subject_id=subject_id, details=details, created_at=utcnow()))


def places_left(run: MatchRun, program: Program, mentor_ids=None) -> dict[int, int]:
    """Return {mentor id: free places once this run's approved and proposed pairs are made}."""
    free = free_capacities(program, mentor_ids)
    used = dict(db.session.execute(
        select(MatchSuggestion.mentor_id, func.count()).where(
            MatchSuggestion.run_id == run.id, MatchSuggestion.decision != SuggestionDecision.REJECTED)
        .group_by(MatchSuggestion.mentor_id)).all())
    return {mentor_id: places - used.get(mentor_id, 0) for mentor_id, places in free.items()}


def _banned(program_id: int, mentee_id: int) -> set[int]:
    return set(db.session.scalars(select(PairRule.mentor_id).where(
        PairRule.program_id == program_id, PairRule.mentee_id == mentee_id, PairRule.kind == PairRuleKind.BAN)))


def _check_place(run: MatchRun, program: Program, suggestion: MatchSuggestion, mentor_id: int) -> None:
    """Refuse to give a mentor a pair their capacity can't take, or a pair that is banned."""
    if mentor_id in _banned(program.id, suggestion.mentee_id):
        raise MatchRunError("This pair is banned. Swap the mentor instead, or remove the ban on the program's "
                            "matching page.")
    if places_left(run, program, [mentor_id]).get(mentor_id, 0) < 1:
        name = names_of([mentor_id]).get(mentor_id, "This mentor")
        raise MatchRunError(f"{name} has no free place left in this run. Swap the mentor to someone with room.")


def _decide(suggestion: MatchSuggestion, decision: SuggestionDecision, actor_id: int | None) -> None:
    suggestion.decision = decision
    suggestion.decided_by_id = actor_id if decision != SuggestionDecision.PROPOSED else None
    suggestion.decided_at = utcnow() if decision != SuggestionDecision.PROPOSED else None


def decide_suggestion(suggestion: MatchSuggestion, decision: SuggestionDecision | str,
                      actor_id: int | None) -> MatchSuggestion:
    """Approve, reject, or put a suggestion back to proposed."""
    run, program = _run_of(suggestion)
    decision = SuggestionDecision(decision)
    if suggestion.decision == SuggestionDecision.REJECTED and decision != SuggestionDecision.REJECTED:
        _check_place(run, program, suggestion, suggestion.mentor_id)  # it takes a place again
    _decide(suggestion, decision, actor_id)
    db.session.flush()
    return suggestion


def approve_above(run: MatchRun, min_score: float, actor_id: int | None) -> int:
    """Approve every proposed pair scoring at least `min_score`; return how many."""
    if run.status != MatchRunStatus.FINISHED:
        raise MatchRunError(f"Run #{run.id} can't be changed now ({run.status.value}).")
    approved = db.session.execute(
        update(MatchSuggestion).where(MatchSuggestion.run_id == run.id, MatchSuggestion.score >= min_score,
                                      MatchSuggestion.decision == SuggestionDecision.PROPOSED)
        .values(decision=SuggestionDecision.APPROVED, decided_by_id=actor_id, decided_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire_all()
    return approved


def swap_candidates(suggestion: MatchSuggestion, k: int = SWAP_CANDIDATES) -> list[Candidate]:
    """Return the mentors this mentee could have instead, best first: only those with a place left."""
    run, program = _run_of(suggestion)
    mentors, names = load_people(program, EnrollmentRole.MENTOR)
    left = places_left(run, program)
    for mentor in mentors:
        mentor.capacity = max(left.get(mentor.id, 0), 0)
    exclude = ({suggestion.mentor_id} | _banned(program.id, suggestion.mentee_id)
               | {mentor for _, mentor in pairs_ever([suggestion.mentee_id])})
    found = score_pairs(program, run.parameters, suggestion.mentee_id, mentors, k, exclude=exclude,
                        only_available=True)
    return [Candidate(item.mentor_id, names.get(item.mentor_id, ""), item.score, item.reasons,
                      left.get(item.mentor_id, 0)) for item in found]


def swap_mentor(suggestion: MatchSuggestion, mentor_id: int, actor_id: int | None) -> MatchSuggestion:
    """Give the mentee another mentor (one with a place left); the new pair is approved."""
    run, program = _run_of(suggestion)
    if mentor_id == suggestion.mentor_id:
        raise MatchRunError("That is already the suggested mentor.")
    mentee_id = suggestion.mentee_id
    unavailable = _banned(program.id, mentee_id) | {mentor for _, mentor in pairs_ever([mentee_id])}
    if mentor_id in unavailable or places_left(run, program, [mentor_id]).get(mentor_id, 0) < 1:
        raise MatchRunError("That mentor can't take this mentee: they have no place left in this run, "
                            "were paired with them before, or the pair is banned.")
    mentors, _ = load_people(program, EnrollmentRole.MENTOR, user_ids=[mentor_id])
    found = score_pairs(program, run.parameters, suggestion.mentee_id, mentors, 1) if mentors else []
    if not found:
        raise MatchRunError("That person is not a mentor in this program any more.")
    previous = (suggestion.mentor_id, suggestion.score)
    if suggestion.pinned:  # the pin was for the pair being replaced
        db.session.execute(delete(PairRule).where(
            PairRule.program_id == program.id, PairRule.mentee_id == suggestion.mentee_id,
            PairRule.mentor_id == previous[0], PairRule.kind == PairRuleKind.PIN)
            .execution_options(synchronize_session=False))
    suggestion.mentor_id, suggestion.score = mentor_id, found[0].score
    suggestion.breakdown, suggestion.reasons, suggestion.pinned = found[0].breakdown, found[0].reasons, False
    _decide(suggestion, SuggestionDecision.APPROVED, actor_id)
    audit(actor_id, "match.swap", "match_suggestion", suggestion.id, run.institution_id, run_id=run.id,
          mentee_id=suggestion.mentee_id, from_mentor_id=previous[0], to_mentor_id=mentor_id,
          from_score=previous[1], to_score=found[0].score)
    db.session.flush()
    return suggestion


def _rule(program_id: int, suggestion: MatchSuggestion) -> PairRule | None:
    return db.session.scalar(select(PairRule).where(PairRule.program_id == program_id,
                                                    PairRule.mentee_id == suggestion.mentee_id,
                                                    PairRule.mentor_id == suggestion.mentor_id))


def _set_rule(program: Program, suggestion: MatchSuggestion, kind: PairRuleKind, actor_id: int | None) -> None:
    rule = _rule(program.id, suggestion)
    if rule is None:
        db.session.add(PairRule(institution_id=program.institution_id, program_id=program.id,
                                mentee_id=suggestion.mentee_id, mentor_id=suggestion.mentor_id, kind=kind,
                                created_by_id=actor_id, created_at=utcnow()))
    else:
        rule.kind, rule.created_by_id, rule.created_at = kind, actor_id, utcnow()


def pin_pair(suggestion: MatchSuggestion, actor_id: int | None) -> bool:
    """Pin the pair (every future run of the program makes it) and approve it; a second pin unpins.

    Return whether the pair is pinned now.
    """
    run, program = _run_of(suggestion)
    details = dict(run_id=run.id, mentee_id=suggestion.mentee_id, mentor_id=suggestion.mentor_id)
    if suggestion.pinned:
        rule = _rule(program.id, suggestion)
        if rule is not None and rule.kind == PairRuleKind.PIN:
            db.session.delete(rule)
        suggestion.pinned = False
        audit(actor_id, "match.unpin", "match_suggestion", suggestion.id, run.institution_id, **details)
        db.session.flush()
        return False
    if suggestion.decision == SuggestionDecision.REJECTED:
        _check_place(run, program, suggestion, suggestion.mentor_id)
    _set_rule(program, suggestion, PairRuleKind.PIN, actor_id)
    suggestion.pinned = True
    _decide(suggestion, SuggestionDecision.APPROVED, actor_id)
    audit(actor_id, "match.pin", "match_suggestion", suggestion.id, run.institution_id, **details)
    db.session.flush()
    return True


def ban_pair(suggestion: MatchSuggestion, actor_id: int | None) -> MatchSuggestion:
    """Ban the pair for the program (no run makes it again) and reject the suggestion."""
    run, program = _run_of(suggestion)
    _set_rule(program, suggestion, PairRuleKind.BAN, actor_id)
    suggestion.pinned = False
    _decide(suggestion, SuggestionDecision.REJECTED, actor_id)
    audit(actor_id, "match.ban", "match_suggestion", suggestion.id, run.institution_id, run_id=run.id,
          mentee_id=suggestion.mentee_id, mentor_id=suggestion.mentor_id)
    db.session.flush()
    return suggestion


def remove_rule(rule: PairRule, actor_id: int | None) -> None:
    """Lift a standing pin or ban of a program."""
    audit(actor_id, f"match.remove_{rule.kind.value}", "pair_rule", rule.id, rule.institution_id,
          program_id=rule.program_id, mentee_id=rule.mentee_id, mentor_id=rule.mentor_id)
    db.session.delete(rule)
    db.session.flush()
