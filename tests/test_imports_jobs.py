"""Files of 1,000 rows or more are checked and written by a worker; the page follows the progress."""

from __future__ import annotations

import html

import sqlalchemy as sa

from portal.extensions import db
from portal.imports.jobs import write_people_import
from portal.imports.samples import sample_people_csv
from portal.jobs import enqueue_after_commit, queue
from portal.models import User
from tests.data import count, load_import, page_text, upload, uploaded_import_id

ROWS = 1100
HTMX = {"HX-Request": "true"}


def _imported(app) -> int:
    return count(app, User, User.email.like("%@alumni.example.edu") | User.email.like("%@students.example.edu"))


def _progress(client, import_id):
    return client.get(f"/admin/import/{import_id}/progress", headers=HTMX)


def test_a_big_file_is_checked_and_written_by_the_worker_with_progress(app, admin_client, run_jobs, institution):
    import_id = uploaded_import_id(upload(admin_client, sample_people_csv(ROWS, seed=3), "alumni-2026.csv"))
    assert load_import(app, import_id)["status"] == "queued" and queue("imports", app).count == 1
    page = page_text(admin_client, f"/admin/import/{import_id}")
    assert 'hx-trigger="every 1s"' in page and "Checking 1,100 rows" in page
    assert '<progress class="form-progress import-progress" max="100" value="0"' in page
    fragment = _progress(admin_client, import_id)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment.headers
    assert not body.lstrip().startswith("<!doctype") and "Waiting for a worker to check the file" in body
    assert 'hx-trigger="every 1s"' in body

    reports = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE PEOPLE_IMPORTS") and "progress" in statement:
            reports.append(parameters)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", watch)
    try:
        run_jobs()
    finally:
        sa.event.remove(engine, "before_cursor_execute", watch)
    # The job reported its phases on the way, in transactions of their own.
    assert {"checking", "comparing"} <= {str(value) for report in reports for value in
                                         (report.values() if isinstance(report, dict) else report)}
    state = load_import(app, import_id)
    assert state["status"] == "previewed" and state["progress"] == 100
    assert state["counts"]["new"] == ROWS and state["counts"]["errors"] == 0
    done = _progress(admin_client, import_id)
    assert done.headers["HX-Refresh"] == "true" and 'hx-trigger' not in done.get_data(as_text=True)
    page = page_text(admin_client, f"/admin/import/{import_id}")
    assert "Ready to import" in page and "A worker does it in the background" in page
    assert "page 1 of 22" in page
    assert _imported(app) == 0  # checked, not written

    admin_client.post(f"/admin/import/{import_id}/confirm")
    assert load_import(app, import_id)["status"] == "queued"
    waiting = _progress(admin_client, import_id).get_data(as_text=True)
    assert "Importing 1,100 rows" in waiting and "Waiting for a worker to import the file" in waiting
    run_jobs()
    state = load_import(app, import_id)
    assert state["status"] == "finished" and state["progress"] == 100 and state["phase"] == "done"
    assert _imported(app) == ROWS
    finished = _progress(admin_client, import_id)
    assert finished.headers["HX-Refresh"] == "true"
    assert "Done: 1,100 new, 0 updated, 0 unchanged." in finished.get_data(as_text=True)
    page = page_text(admin_client, f"/admin/import/{import_id}")
    assert "every row of the file was written" in page and 'hx-trigger="every 1s"' not in page

    # A job that runs again (a retry, a duplicate) finds the import finished and does nothing.
    with app.app_context():
        enqueue_after_commit("imports", write_people_import, institution.id, import_id)
        db.session.commit()
    run_jobs()
    assert _imported(app) == ROWS and load_import(app, import_id)["status"] == "finished"


def test_a_big_file_with_errors_lists_them_all_then_the_corrected_file_imports(app, admin_client, run_jobs):
    import_id = uploaded_import_id(upload(admin_client, sample_people_csv(ROWS, errors=True)))
    run_jobs()
    state = load_import(app, import_id)
    assert state["status"] == "previewed"
    found = sorted((issue["row"], issue["column"]) for issue in state["errors"] if issue["level"] == "error")
    assert found == [(3, "email"), (222, "email"), (442, "role"), (662, "capacity"), (882, "email")]
    page = html.unescape(page_text(admin_client, f"/admin/import/{import_id}"))
    assert "5 errors: nothing can be imported yet" in page and '"three" is not a whole number' in page
    assert "Errors as CSV" in page
    errors_csv = admin_client.get(f"/admin/import/{import_id}/errors.csv").get_data(as_text=True)
    assert errors_csv.count("\r\n") == 1 + 5
    admin_client.post(f"/admin/import/{import_id}/confirm")
    run_jobs()
    assert _imported(app) == 0

    fixed = uploaded_import_id(upload(admin_client, sample_people_csv(ROWS, errors=False)))
    run_jobs()
    admin_client.post(f"/admin/import/{fixed}/confirm")
    run_jobs()
    assert load_import(app, fixed)["counts"]["new"] == ROWS and _imported(app) == ROWS


def test_a_failing_write_job_shows_the_error_and_leaves_nothing(app, admin_client, run_jobs):
    import_id = uploaded_import_id(upload(admin_client, sample_people_csv(ROWS, seed=5)))
    run_jobs()
    admin_client.post(f"/admin/import/{import_id}/confirm")

    def refuse_enough(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO PROFILES"):
            raise sa.exc.OperationalError(statement, parameters, OSError("disk I/O error"))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", refuse_enough)
    try:
        run_jobs()
    finally:
        sa.event.remove(engine, "before_cursor_execute", refuse_enough)
    state = load_import(app, import_id)
    assert state["status"] == "failed" and "nothing was written" in state["error_message"]
    assert _imported(app) == 0
    page = html.unescape(page_text(admin_client, f"/admin/import/{import_id}"))
    assert "The import stopped" in page and "(OperationalError)" in page and "Try the import again" in page
    admin_client.post(f"/admin/import/{import_id}/confirm")
    run_jobs()
    assert load_import(app, import_id)["status"] == "finished" and _imported(app) == ROWS
