"""Queries begun on connections of their own (the reports' figures, the at-risk count) keep the
request's tenant scope, and a page never waits on other pages' queries."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from portal import concurrent_queries
from portal.concurrent_queries import answer, begin, settle
from portal.extensions import db
from portal.models import Program
from portal.tenancy import current_scope, tenant_scope


def _where_it_ran():
    """Say which thread, tenant scope and database connection worked this query out, and what it saw."""
    backend = db.session.scalar(text("SELECT pg_backend_pid()")) if db.engine.dialect.name == "postgresql" else None
    return threading.current_thread(), current_scope(), backend, db.session.scalar(select(func.count(Program.id)))


def _started(pending, seconds: float = 5.0) -> None:
    """Wait until a thread has taken the query up."""
    deadline = time.monotonic() + seconds
    while not (pending.future.running() or pending.future.done()) and time.monotonic() < deadline:
        time.sleep(0.001)


def _program(institution_id: int, name: str) -> None:
    db.session.add(Program(institution_id=institution_id, name=name))
    db.session.commit()


def test_a_begun_query_keeps_the_tenant_scope_and_on_postgresql_its_own_connection(app, institution,
                                                                                  other_institution):
    with app.app_context(), tenant_scope(institution.id):
        _program(institution.id, "Career Launch")
        _program(other_institution.id, "Elsewhere")
        postgresql = db.engine.dialect.name == "postgresql"
        here = db.session.scalar(text("SELECT pg_backend_pid()")) if postgresql else None
        pending = begin(_where_it_ran)
        if postgresql:  # a query no thread has started yet would be worked out here (the test below)
            _started(pending)
        thread, scope, backend, programs = answer(pending)
    assert scope == institution.id
    assert programs == 1  # the other institution's program is not seen
    if postgresql:
        assert thread is not threading.current_thread()
        assert backend != here
    else:
        assert thread is threading.current_thread()  # SQLite serialises connections: worked out in turn


def test_a_query_no_thread_has_started_is_worked_out_by_the_page(app, institution):
    """With every thread busy (other pages' queries), the page cancels its query and works it out itself."""
    release = threading.Event()
    with app.app_context(), tenant_scope(institution.id):
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite starts no thread: every query is worked out by the page")
        busy = [begin(release.wait, 10) for _ in range(concurrent_queries._threads._max_workers)]
        try:
            waiting = begin(_where_it_ran)
            thread, scope, _backend, _programs = answer(waiting)
        finally:
            release.set()
            for pending in busy:
                settle(pending)
    assert thread is threading.current_thread()
    assert scope == institution.id
    assert waiting.future.cancelled()


def test_a_failure_reaches_the_page_that_asked(app, institution):
    with app.app_context(), tenant_scope(institution.id):
        pending = begin(db.session.execute, text("SELECT * FROM no_such_table"))
        with pytest.raises(Exception, match="no_such_table"):
            answer(pending)
