"""Starting, retrying and re-running match runs, and telling a live run from one a dead worker left."""

from __future__ import annotations

import enum
import secrets
from datetime import timedelta

from flask import current_app
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import select, update

from portal.extensions import db
from portal.jobs import enqueue_after_commit, redis_connection
from portal.match_runs import MatchRunError
from portal.match_runs.parameters import clean_parameters
from portal.models import MatchRun, MatchRunStatus, MatchSuggestion, Program, SuggestionDecision, utcnow

MATCH_JOB_TIMEOUT = 30 * 60  # seconds; 100,000 x 10,000 takes well under a minute
STALE_AFTER_SECONDS = 120  # a running run whose heartbeat is older was left by a worker that died


class RunState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    STOPPED = "stopped"  # queued or running, but no worker will finish it: retry it
    FINISHED = "finished"
    FAILED = "failed"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return {"queued": "Waiting for a worker", "running": "Running", "stopped": "Stopped",
                "finished": "Ready for review", "failed": "Failed", "published": "Published"}[self.value]

    @property
    def active(self) -> bool:
        return self in (RunState.QUEUED, RunState.RUNNING)

    @property
    def retryable(self) -> bool:
        return self in (RunState.STOPPED, RunState.FAILED)


def _job_status(job_id: str) -> str | None:
    """Return the RQ job's status, "gone" if Redis no longer knows it, or None if Redis can't be asked."""
    try:
        return Job.fetch(job_id, connection=redis_connection()).get_status(refresh=False)
    except NoSuchJobError:
        return "gone"
    except RedisError:
        return None  # Redis being down is no proof that the run is dead


def run_state(run: MatchRun) -> RunState:
    """Return what the admin should see: a queued or running run no worker will finish is "stopped"."""
    if run.status not in (MatchRunStatus.QUEUED, MatchRunStatus.RUNNING):
        return RunState(run.status.value)
    if run.status == MatchRunStatus.RUNNING:
        stale_after = timedelta(seconds=current_app.config.get("MATCH_RUN_STALE_SECONDS", STALE_AFTER_SECONDS))
        beat = run.heartbeat_at or run.started_at
        if beat is None or utcnow() - beat > stale_after:
            return RunState.STOPPED
    if not run.job_id:
        return RunState.STOPPED
    status = _job_status(run.job_id)
    if status in ("gone", JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        return RunState.STOPPED
    return RunState(run.status.value)


def _enqueue(run: MatchRun) -> None:
    from portal.match_runs.jobs import run_match

    run.job_id = f"match-run-{run.id}-{secrets.token_hex(4)}"
    enqueue_after_commit("matching", run_match, run.institution_id, run.id, job_id=run.job_id,
                         job_timeout=MATCH_JOB_TIMEOUT)


def active_run(program_id: int) -> MatchRun | None:
    """Return the program's run that a worker is on or will be on, if any."""
    runs = db.session.scalars(select(MatchRun).where(
        MatchRun.program_id == program_id, MatchRun.status.in_([MatchRunStatus.QUEUED, MatchRunStatus.RUNNING]))
        .order_by(MatchRun.id.desc()))
    return next((run for run in runs if run_state(run).active), None)


def _decisions(run: MatchRun) -> dict:
    """Return the run's decisions as the next run keeps them: approved pairs pinned, rejected ones avoided."""
    rows = db.session.execute(select(MatchSuggestion.mentee_id, MatchSuggestion.mentor_id, MatchSuggestion.decision,
                                     MatchSuggestion.decided_by_id, MatchSuggestion.decided_at)
                              .where(MatchSuggestion.run_id == run.id,
                                     MatchSuggestion.decision != SuggestionDecision.PROPOSED))
    keep, avoid = [], []
    for mentee_id, mentor_id, decision, by, at in rows:
        if decision == SuggestionDecision.APPROVED:
            keep.append([mentee_id, mentor_id, by, at.isoformat() if at else None])
        else:
            avoid.append([mentee_id, mentor_id])
    return {"previous_run_id": run.id, "keep": keep, "avoid": avoid}


def start_match_run(program: Program, actor_id: int | None, parameters: dict,
                    keep_decisions_of: MatchRun | None = None) -> MatchRun:
    """Queue a run of the program's matching; its job is enqueued when the caller commits."""
    cleaned = clean_parameters(parameters)
    running = active_run(program.id)
    if running is not None:
        raise MatchRunError(f"Run #{running.id} of {program.name} is still in progress. Wait for it to finish "
                            "before starting another.")
    if keep_decisions_of is not None:
        if keep_decisions_of.program_id != program.id:
            raise MatchRunError("Decisions can only be kept from a run of the same program.")
        cleaned.update(_decisions(keep_decisions_of))
    run = MatchRun(institution_id=program.institution_id, program_id=program.id, requested_by_id=actor_id,
                   parameters=cleaned, status=MatchRunStatus.QUEUED, phase="queued", progress=0,
                   statistics={}, unmatched=[], error="")
    db.session.add(run)
    db.session.flush()
    _enqueue(run)
    db.session.flush()
    return run


def rerun_match_run(run: MatchRun, actor_id: int | None) -> MatchRun:
    """Queue a new run with the same parameters, keeping this run's approvals (as pins) and rejections."""
    if run.status not in (MatchRunStatus.FINISHED, MatchRunStatus.PUBLISHED):
        raise MatchRunError(f"Run #{run.id} has no decisions to keep yet; retry it or start a new run.")
    program = db.session.get(Program, run.program_id)
    return start_match_run(program, actor_id, dict(run.parameters), keep_decisions_of=run)


def retry_match_run(run: MatchRun) -> MatchRun:
    """Queue a failed or stopped run again; its partial results, if any, are replaced."""
    state = run_state(run)
    if not state.retryable:
        raise MatchRunError({RunState.QUEUED: f"Run #{run.id} is waiting for a worker already.",
                             RunState.RUNNING: f"Run #{run.id} is running; it can't be retried now."}
                            .get(state, f"Run #{run.id} finished; start a new run instead."))
    claimed = db.session.execute(
        update(MatchRun).where(MatchRun.id == run.id, MatchRun.status == run.status,
                               MatchRun.job_id == run.job_id)
        .values(status=MatchRunStatus.QUEUED, phase="queued", progress=0, error="", heartbeat_at=None,
                finished_at=None)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise MatchRunError(f"Run #{run.id} changed meanwhile; reload the page to see where it is.")
    db.session.refresh(run)
    _enqueue(run)
    db.session.flush()
    return run
