"""The RQ job of a match run: load, score, assign, save; with progress, a heartbeat, and retries.

Progress and the heartbeat go to the run's row through connections of their own, in short
transactions, so the page shows them while the job's own transaction (the suggestions, then
"finished") stays all-or-nothing. The job claims its run with a conditional update and
finishes it only if it still holds it, so a job run twice, or an old job that wakes up after
its run was retried, writes nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from datetime import datetime

from rq import get_current_job
from rq.timeouts import JobTimeoutException
from sqlalchemy import delete, insert, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.match_runs.cohort import Cohort, load_cohort
from portal.matching import MatchInputError, MatchResult, explain, run_matching
from portal.models import MatchRun, MatchRunStatus, MatchSuggestion, Program, SuggestionDecision, utcnow
from portal.tenancy import tenant_scope

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15
# Where each phase sits on the progress bar (percent at its start, at its end).
PHASES = {"loading": (0, 10), "scoring": (10, 70), "assigning": (70, 85), "explaining": (85, 90),
          "saving": (90, 99)}
TIMED_OUT = ("The run took longer than {minutes} minutes and was stopped; nothing was saved. Retry it when "
             "fewer runs are waiting, or ask support to allow longer runs.")
FAILURE = ("The run stopped because of an unexpected problem ({kind}), and nothing was saved. "
           "Retry it; if it happens again, contact support with the run's number.")


def _write(engine: Engine, run_id: int, job_id: str, **values) -> None:
    """Update the running run's row in a transaction of its own; a lagging bar never stops the run."""
    table = MatchRun.__table__
    try:
        with engine.begin() as connection:
            connection.execute(update(table).where(table.c.id == run_id, table.c.status == "running",
                                                   table.c.job_id == job_id).values(**values))
    except SQLAlchemyError:
        log.warning("could not record the progress of match run %s", run_id, exc_info=True)


class RunProgress:
    """Report phase and percent as the engine goes, at most a few times a second."""

    def __init__(self, engine: Engine, run_id: int, job_id: str, interval: float = 0.3):
        self.engine, self.run_id, self.job_id, self.interval = engine, run_id, job_id, interval
        self.last: tuple[str, int] | None = None
        self.last_at = 0.0

    def __call__(self, phase: str, fraction: float) -> None:
        start, end = PHASES.get(phase, (0, 99))
        shown = "assigning" if phase == "explaining" else phase  # the reasons are part of assigning
        value = (shown, int(start + (end - start) * max(0.0, min(1.0, fraction))))
        now = time.monotonic()
        if value == self.last or (self.last and value[0] == self.last[0] and now - self.last_at < self.interval):
            return
        self.last, self.last_at = value, now
        _write(self.engine, self.run_id, self.job_id, phase=value[0], progress=value[1], heartbeat_at=utcnow())


class Heartbeat:
    """Keep `heartbeat_at` fresh from a thread while the engine works, however long one step takes.

    A run whose heartbeat stops (the worker was killed) is shown as stopped and can be retried.
    """

    def __init__(self, engine: Engine, run_id: int, job_id: str, every: float = HEARTBEAT_SECONDS):
        self.engine, self.run_id, self.job_id, self.every = engine, run_id, job_id, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"match-run-{run_id}-heartbeat", daemon=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            _write(self.engine, self.run_id, self.job_id, heartbeat_at=utcnow())

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 5)


def _claim(run_id: int, job_id: str) -> MatchRun | None:
    now = utcnow()
    claimed = db.session.execute(
        update(MatchRun).where(MatchRun.id == run_id, MatchRun.status == MatchRunStatus.QUEUED)
        .values(status=MatchRunStatus.RUNNING, job_id=job_id, phase="loading", progress=0, error="",
                started_at=now, heartbeat_at=now, finished_at=None)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()  # the page shows "running" at once; the work below is a transaction of its own
    return db.session.get(MatchRun, run_id) if claimed == 1 else None


def _suggestion_rows(run: MatchRun, result: MatchResult, keep: Mapping) -> list[dict]:
    rows = []
    for pair in result.pairs:
        kept = keep.get((pair.mentee_id, pair.mentor_id))
        rows.append({
            "institution_id": run.institution_id, "run_id": run.id, "mentee_id": pair.mentee_id,
            "mentor_id": pair.mentor_id, "score": float(pair.score), "breakdown": pair.breakdown,
            "reasons": explain(pair.breakdown), "pinned": bool(pair.pinned),
            "decision": SuggestionDecision.APPROVED if kept else SuggestionDecision.PROPOSED,
            "decided_by_id": kept[0] if kept else None,
            "decided_at": _when(kept[1]) if kept else None})
    return rows


def _when(value: str | None) -> datetime:
    return datetime.fromisoformat(value) if value else utcnow()


def _statistics(cohort: Cohort, result: MatchResult, timings: dict) -> dict:
    statistics = result.statistics.as_dict()
    statistics.update(
        warnings=[*cohort.warnings, *result.warnings], already_matched=cohort.already_matched,
        free_places=sum(person.capacity for person in cohort.mentors),
        mentors_with_places=sum(1 for person in cohort.mentors if person.capacity > 0),
        timings={name: round(seconds, 3) for name, seconds in timings.items()})
    return statistics


def _save(run: MatchRun, job_id: str, cohort: Cohort, result: MatchResult, timings: dict, started: float) -> bool:
    """Write the suggestions and finish the run in the job's transaction; False if the run was taken over."""
    clock = time.perf_counter()
    # A retry of a run that stopped half-way starts from nothing (normally nothing was committed).
    db.session.execute(delete(MatchSuggestion).where(MatchSuggestion.run_id == run.id)
                       .execution_options(synchronize_session=False))
    keep = {(mentee, mentor): (by, at) for mentee, mentor, by, at in run.parameters.get("keep") or ()}
    rows = _suggestion_rows(run, result, keep)
    if rows:
        db.session.execute(insert(MatchSuggestion), rows)
    unmatched = [{"mentee_id": item.mentee_id, "reason": item.reason.value, "message": item.message}
                 for item in result.unmatched]
    timings["save"] = time.perf_counter() - clock
    timings["total"] = time.perf_counter() - started
    finished = db.session.execute(
        update(MatchRun).where(MatchRun.id == run.id, MatchRun.status == MatchRunStatus.RUNNING,
                               MatchRun.job_id == job_id)
        .values(status=MatchRunStatus.FINISHED, phase="done", progress=100, error="", unmatched=unmatched,
                statistics=_statistics(cohort, result, timings), finished_at=utcnow(), heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    return finished == 1


def _fail(institution_id: int, run_id: int, job_id: str, message: str) -> None:
    db.session.rollback()  # nothing of the suggestions stays
    with tenant_scope(institution_id):
        db.session.execute(
            update(MatchRun).where(MatchRun.id == run_id, MatchRun.status == MatchRunStatus.RUNNING,
                                   MatchRun.job_id == job_id)
            .values(status=MatchRunStatus.FAILED, error=message, finished_at=utcnow())
            .execution_options(synchronize_session=False))
        db.session.commit()


def run_match(institution_id: int, run_id: int) -> None:
    """Match a program's mentees with its mentors and write the suggestions (the "matching" queue's job)."""
    job = get_current_job()
    job_id = job.id if job is not None else f"direct-{run_id}"
    with tenant_scope(institution_id):
        run = _claim(run_id, job_id)
        if run is None:
            return  # finished, failed, or taken by another attempt: nothing to do
        engine = db.engine
        report = RunProgress(engine, run_id, job_id)
        started = time.perf_counter()
        timings: dict[str, float] = {}
        try:
            with Heartbeat(engine, run_id, job_id):
                program = db.session.get(Program, run.program_id)
                cohort = load_cohort(program, run.parameters)
                timings["load"] = time.perf_counter() - started
                report("loading", 1.0)
                clock = time.perf_counter()
                result = run_matching(cohort.match_input(run.parameters), progress=report)
                timings["engine"] = time.perf_counter() - clock
            # SQLite lets one connection write at a time, so from here the bar waits at "saving".
            report("saving", 0.0)
            if _save(run, job_id, cohort, result, timings, started):
                db.session.commit()
            else:
                db.session.rollback()
                log.warning("match run %s was taken over by another attempt; this one saved nothing", run_id)
        except MatchInputError as error:
            _fail(institution_id, run_id, job_id, f"The run could not start: {error}")
        except JobTimeoutException:
            _fail(institution_id, run_id, job_id, TIMED_OUT.format(minutes=round((job.timeout or 0) / 60)))
            raise
        except Exception as error:
            log.exception("match run %s failed", run_id)
            _fail(institution_id, run_id, job_id, FAILURE.format(kind=type(error).__name__))
            raise
