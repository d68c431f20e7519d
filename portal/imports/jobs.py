"""RQ jobs for big imports: check a file, write a file. They take ids only.

Progress goes to the import's row through a connection of its own, in short transactions,
so the page can show it while the job's own transaction (the people, then "finished") stays
open and all-or-nothing. A job claims its import with a conditional update, so a job that is
run twice, or an import that is already finished, does nothing.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.imports.operations import check_import, fail_import, write_import
from portal.models import ImportStatus, PeopleImport
from portal.tenancy import tenant_scope

log = logging.getLogger(__name__)
FAILURE = ("The import stopped because of an unexpected problem ({kind}), and nothing was written. "
           "Try again; if it happens again, contact support with the import's number.")


class ProgressReport:
    """Write an import's progress in short transactions of its own, at most a few times a second."""

    def __init__(self, import_id: int, interval: float = 0.3):
        self.import_id = import_id
        self.interval = interval
        self.last: tuple[str, int] | None = None
        self.last_at = 0.0

    def __call__(self, phase: str, percent: float) -> None:
        value = (phase, max(0, min(99, int(percent))))
        now = time.monotonic()
        if value == self.last or (self.last and value[0] == self.last[0] and now - self.last_at < self.interval):
            return
        self.last, self.last_at = value, now
        table = PeopleImport.__table__
        try:
            with db.engine.begin() as connection:
                connection.execute(update(table).where(table.c.id == self.import_id)
                                   .values(phase=value[0], progress=value[1]))
        except SQLAlchemyError:
            # A progress bar that lags is no reason to stop the import itself.
            log.warning("could not record the progress of people import %s", self.import_id, exc_info=True)


def _claim(import_id: int, waiting_phase: str, phase: str) -> PeopleImport | None:
    claimed = db.session.execute(
        update(PeopleImport)
        .where(PeopleImport.id == import_id, PeopleImport.status == ImportStatus.QUEUED,
               PeopleImport.phase == waiting_phase)
        .values(status=ImportStatus.RUNNING, phase=phase, progress=0)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()  # the page shows "running" at once; the work below is a transaction of its own
    return db.session.get(PeopleImport, import_id) if claimed == 1 else None


def _record_failure(institution_id: int, import_id: int, error: BaseException) -> None:
    db.session.rollback()  # nothing of the people stays
    log.exception("people import %s failed", import_id)
    with tenant_scope(institution_id):
        record = db.session.get(PeopleImport, import_id)
        if record is not None:
            fail_import(record, FAILURE.format(kind=type(error).__name__))
            db.session.commit()


def check_people_import(institution_id: int, import_id: int) -> None:
    """Check a big uploaded file row by row, reporting progress; leave it previewed."""
    with tenant_scope(institution_id):
        record = _claim(import_id, "waiting_check", "reading")
        if record is None:
            return
        try:
            check_import(record, progress=ProgressReport(import_id))
            db.session.commit()
        except Exception as error:
            _record_failure(institution_id, import_id, error)
            raise


def write_people_import(institution_id: int, import_id: int) -> None:
    """Write a confirmed big import in one transaction, reporting progress as it goes."""
    with tenant_scope(institution_id):
        record = _claim(import_id, "waiting_write", "verifying")
        if record is None:
            return
        # SQLite lets one connection write at a time: while this job's transaction writes,
        # progress can't be written beside it, so there the bar waits at "writing".
        report_while_writing = db.engine.dialect.name != "sqlite"
        try:
            write_import(record, progress=ProgressReport(import_id), report_while_writing=report_while_writing)
            db.session.commit()
        except Exception as error:
            _record_failure(institution_id, import_id, error)
            raise
