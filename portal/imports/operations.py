"""A people import through its states: uploaded and checked (previewed), confirmed, written.

Small files are checked and written inside the request; files of `JOB_THRESHOLD` rows or more
are checked and written by RQ jobs (`portal.imports.jobs`). Either way the people are written
in one transaction with the import's "finished" status, so an import is whole or absent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy import select, update

from portal.extensions import db
from portal.imports import ImportFileError
from portal.imports.planning import Plan, plan_import
from portal.imports.reading import CsvFile, decode_upload, parse_people_csv
from portal.imports.validation import ERROR, validate_rows
from portal.imports.writing import write_plan
from portal.jobs import enqueue_after_commit
from portal.models import ImportStatus, Institution, PeopleImport, Program, utcnow

JOB_THRESHOLD = 1000  # rows; from here on a worker checks and writes the file
JOB_TIMEOUT = 900
PHASES = {
    "waiting_check": "Waiting for a worker to check the file",
    "reading": "Reading the file",
    "checking": "Checking each row",
    "comparing": "Comparing with the people already here",
    "checked": "Checked",
    "waiting_write": "Waiting for a worker to import the file",
    "verifying": "Checking the file once more against the people here",
    "writing": "Writing people",
    "done": "Done",
    "failed": "Stopped",
}
Progress = Callable[[str, float], None]  # (phase, percent 0-100)


class ImportStateError(ValueError):
    """The import can't do that in its current state; the message says why."""


def start_import(institution_id: int, uploaded_by_id: int | None, filename: str, data: bytes,
                 program_id: int | None = None) -> PeopleImport:
    """Keep an uploaded file and check it now, or queue the check for a worker when it is big."""
    text = decode_upload(data)
    csv_file = parse_people_csv(text)
    if program_id is not None and db.session.get(Program, program_id) is None:
        raise ImportFileError("That program doesn't exist (any more). Choose another one.")
    record = PeopleImport(
        institution_id=institution_id, uploaded_by_id=uploaded_by_id, filename=(filename or "people.csv")[:255],
        content=text, content_sha256=hashlib.sha256(data).hexdigest(), row_count=len(csv_file.rows),
        program_id=program_id, counts={}, errors=[], progress=0, phase="reading",
    )
    db.session.add(record)
    db.session.flush()
    if runs_in_worker(record):
        record.status, record.phase = ImportStatus.QUEUED, "waiting_check"
        from portal.imports.jobs import check_people_import

        enqueue_after_commit("imports", check_people_import, institution_id, record.id, job_timeout=JOB_TIMEOUT)
    else:
        check_import(record, csv_file)
    return record


def runs_in_worker(record: PeopleImport) -> bool:
    """Tell whether a worker checks and writes this import."""
    return record.row_count >= JOB_THRESHOLD


def _plan(record: PeopleImport, csv_file: CsvFile | None, progress: Progress | None, start: float, end: float,
          phases: tuple[str, str] = ("checking", "comparing")) -> Plan:
    def span(phase: str, low: float, high: float):
        if progress is None:
            return None
        return lambda fraction: progress(phase, start + (end - start) * (low + (high - low) * fraction))

    if csv_file is None:
        csv_file = parse_people_csv(record.content)
    people, issues = validate_rows(csv_file, progress=span(phases[0], 0.05, 0.6))
    return plan_import(record.institution_id, people, issues, _program_id(record), progress=span(phases[1], 0.6, 1))


def _program_id(record: PeopleImport) -> int | None:
    if record.program_id is None:
        return None
    return record.program_id if db.session.get(Program, record.program_id) is not None else None


def _store_check(record: PeopleImport, plan: Plan) -> None:
    record.status = ImportStatus.PREVIEWED
    record.counts = plan.counts()
    record.errors = [issue.as_dict() for issue in plan.issues]
    record.progress, record.phase = 100, "checked"


def check_import(record: PeopleImport, csv_file: CsvFile | None = None, progress: Progress | None = None) -> Plan:
    """Check every row against the contract and the stored people; keep the counts and issues."""
    plan = _plan(record, csv_file, progress, 0, 100)
    _store_check(record, plan)
    db.session.flush()
    return plan


def error_count(record: PeopleImport) -> int:
    """Return how many of the import's issues block it."""
    return sum(1 for issue in record.errors or [] if issue.get("level", ERROR) == ERROR)


def confirm_import(record: PeopleImport) -> bool:
    """Write a checked import now, or queue it for a worker; return True when it was written now."""
    if record.status not in (ImportStatus.PREVIEWED, ImportStatus.FAILED):
        raise ImportStateError(_state_message(record))
    if error_count(record):
        raise ImportStateError("This file still has errors. Fix them in your spreadsheet and upload it again.")
    big = runs_in_worker(record)
    # A conditional update, so a double click or two admins confirming at once write it once.
    claimed = db.session.execute(
        update(PeopleImport)
        .where(PeopleImport.id == record.id, PeopleImport.status.in_([ImportStatus.PREVIEWED, ImportStatus.FAILED]))
        .values(status=ImportStatus.QUEUED if big else ImportStatus.RUNNING, progress=0, error_message="",
                phase="waiting_write" if big else "writing")
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if claimed != 1:
        db.session.refresh(record)
        raise ImportStateError(_state_message(record))
    if big:
        from portal.imports.jobs import write_people_import

        enqueue_after_commit("imports", write_people_import, record.institution_id, record.id, job_timeout=JOB_TIMEOUT)
        return False
    return write_import(record)


def write_import(record: PeopleImport, progress: Progress | None = None, report_while_writing: bool = True) -> bool:
    """Check the file again and write it whole; on new errors keep it as a preview and write nothing."""
    plan = _plan(record, None, progress, 0, 40, phases=("verifying", "verifying"))
    if plan.errors:
        _store_check(record, plan)  # the people changed since the preview: show the new errors
        db.session.flush()
        return False
    institution = db.session.get(Institution, record.institution_id)
    if progress:
        progress("writing", 40)  # nothing is written yet, so this may go beside the transaction
    writing = (lambda fraction: progress("writing", 40 + 59 * fraction)) if progress and report_while_writing else None
    counts = write_plan(institution, plan, writing)
    record.status, record.counts, record.progress, record.phase = ImportStatus.FINISHED, counts, 100, "done"
    record.errors = [issue.as_dict() for issue in plan.issues]  # the warnings, for the record
    record.content = ""  # the people are stored now; the file's personal data need not be kept twice
    record.finished_at = utcnow()
    db.session.flush()
    return True


def _state_message(record: PeopleImport) -> str:
    return {
        ImportStatus.QUEUED: "This import is already waiting for a worker.",
        ImportStatus.RUNNING: "This import is already running.",
        ImportStatus.FINISHED: "This file has already been imported.",
    }.get(record.status, "This import can't be confirmed now.")


def discard_import(record: PeopleImport) -> None:
    """Forget an import that was never written."""
    if record.status not in (ImportStatus.PREVIEWED, ImportStatus.FAILED):
        raise ImportStateError("Only a checked or failed import can be discarded; this one is "
                               f"{record.status.value}.")
    db.session.delete(record)
    db.session.flush()


def same_file_imported(record: PeopleImport) -> PeopleImport | None:
    """Return an earlier finished import of exactly the same file, if there is one."""
    return db.session.scalar(
        select(PeopleImport).where(PeopleImport.content_sha256 == record.content_sha256,
                                   PeopleImport.status == ImportStatus.FINISHED, PeopleImport.id != record.id)
        .order_by(PeopleImport.finished_at.desc()).limit(1))


def fail_import(record: PeopleImport, message: str) -> None:
    """Record why an import stopped; nothing of it was written."""
    record.status, record.phase, record.error_message = ImportStatus.FAILED, "failed", message
    record.finished_at = utcnow()
    db.session.flush()
