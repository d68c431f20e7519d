"""Background jobs: the Redis connection, named queues, and enqueueing after commit.

Jobs take ids and plain data, never ORM objects or personal data, and run in a fresh app
context built by the same factory as the web (see worker.py). A job asked for inside a
transaction is enqueued only when that transaction commits, so a worker never looks for a
row that is not there yet, and a rolled-back request sends no mail.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app
from redis import Redis
from rq import Queue, SimpleWorker, Worker
from rq.job import Job
from sqlalchemy import event
from sqlalchemy.orm import Session

QUEUE_NAMES = ("default", "mail", "matching", "imports")
DEFAULT_JOB_TIMEOUT = 300


def redis_connection(app: Flask | None = None) -> Redis:
    """Return the app's Redis connection (one per process, made on first use)."""
    app = app or current_app
    connection = app.extensions.get("portal_redis")
    if connection is None:
        connection = Redis.from_url(app.config["REDIS_URL"])
        app.extensions["portal_redis"] = connection
    return connection


def queue(name: str = "default", app: Flask | None = None) -> Queue:
    """Return one of the named queues."""
    if name not in QUEUE_NAMES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=redis_connection(app), job_class=AppJob)


@dataclass
class _PendingJob:
    queue_name: str
    func: Callable
    args: tuple
    kwargs: dict = field(default_factory=dict)


def enqueue_after_commit(queue_name: str, func: Callable, *args, **kwargs) -> None:
    """Enqueue `func(*args)` on `queue_name` once the current transaction commits; drop it on rollback."""
    from portal.extensions import db

    session = db.session()
    if queue_name not in QUEUE_NAMES:
        raise ValueError(f"unknown queue {queue_name!r}")
    kwargs.setdefault("job_timeout", DEFAULT_JOB_TIMEOUT)
    if not session.in_transaction():
        session.begin()  # so that a rollback, even of a transaction that wrote nothing, drops the job
    session.info.setdefault("pending_jobs", []).append(_PendingJob(queue_name, func, args, kwargs))


@event.listens_for(Session, "after_commit")
def _enqueue_pending_jobs(session: Session) -> None:
    pending = session.info.pop("pending_jobs", [])
    for job in pending:
        queue(job.queue_name).enqueue(job.func, *job.args, **job.kwargs)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending_jobs(session: Session, previous_transaction) -> None:
    # Fires even when nothing reached the database; a savepoint's rollback keeps the jobs.
    if not previous_transaction.nested:
        session.info.pop("pending_jobs", None)


class AppJob(Job):
    """A job whose successful run commits its transaction: the job is the boundary."""

    def _execute(self):
        from portal.extensions import db

        try:
            result = super()._execute()
            db.session.commit()
            return result
        except BaseException:
            db.session.rollback()
            raise


class AppContextWorkerMixin:
    """Run every job in a fresh app context built by the factory, with no tenant in scope."""

    app: Flask

    def perform_job(self, job, queue):
        from portal.extensions import db
        from portal.tenancy import set_scope, reset_scope

        with self.app.app_context():
            if os.getpid() != self.app.extensions.get("portal_parent_pid", os.getpid()):
                db.engine.dispose(close=False)  # a forked work horse must not share the parent's sockets
            token = set_scope(None)
            try:
                return super().perform_job(job, queue)
            finally:
                reset_scope(token)
                db.session.remove()


def build_worker(app: Flask, queue_names=QUEUE_NAMES, simple: bool = False, **kwargs) -> Worker:
    """Return an RQ worker for `app` on the named queues (simple: run jobs in this process)."""
    base = SimpleWorker if simple else Worker
    worker_class = type(f"Portal{base.__name__}", (AppContextWorkerMixin, base), {"app": app})
    app.extensions["portal_parent_pid"] = os.getpid()
    queues = [queue(name, app) for name in queue_names]
    return worker_class(queues, connection=redis_connection(app), job_class=AppJob, **kwargs)
