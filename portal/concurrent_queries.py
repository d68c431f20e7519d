"""Independent queries of one request, worked out at the same time on connections of their own.

A report runs a handful of aggregate queries that do not depend on each other. PostgreSQL works
them out on several cores at once when each has a connection of its own, so the page waits for
the longest, not for their sum. `begin` starts a query on a thread of a small shared pool, with
an app context (and so a database session) of its own, in the request's tenant scope; `answer`
takes its result (`begun` does both for a block). A query that no thread has started by then (all busy with other requests) is
cancelled and worked out by the caller instead, so a page never waits on other pages' queries.
SQLite serialises connections: there `begin` starts nothing and `answer` does the work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from portal.extensions import db
from portal.tenancy import current_scope, tenant_scope

_threads = ThreadPoolExecutor(max_workers=8, thread_name_prefix="concurrent-queries")


@dataclass
class Pending:
    """A query begun by `begin`: what to call, and its future when a thread works it out."""

    function: Callable[..., Any]
    args: tuple
    future: Future | None = None


def begin(function: Callable[..., Any], *args) -> Pending:
    """Start `function(*args)` on a connection of its own (PostgreSQL); take the result with `answer`."""
    pending = Pending(function, args)
    if db.engine.dialect.name == "postgresql":
        app = current_app._get_current_object()
        pending.future = _threads.submit(_work_out, app, current_scope(), function, args)
    return pending


def _work_out(app: Flask, scope, function: Callable[..., Any], args: tuple):
    with app.app_context(), tenant_scope(scope):
        return function(*args)


def answer(pending: Pending):
    """Return the query's result: from its thread, or worked out here if no thread has started it."""
    if pending.future is None or pending.future.cancel():
        return pending.function(*pending.args)
    return pending.future.result()


def settle(pending: Pending | None) -> None:
    """Let a query whose result is not wanted end with its request: cancelled, or waited for."""
    if pending is not None and pending.future is not None and not pending.future.cancel():
        pending.future.exception()  # wait; its failure was never shown to anyone


@contextmanager
def begun(function: Callable[..., Any], *args) -> Iterator[Pending]:
    """`begin` a query for the block, which takes its result with `answer`; on leaving the block, even
    by an error, the query is settled, so none outlives its request."""
    pending = begin(function, *args)
    try:
        yield pending
    finally:
        settle(pending)
