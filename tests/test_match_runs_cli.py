"""`portal match run --program ID [--wait]` and `portal match export --run ID` (DESIGN.md)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.jobs import queue
from portal.models import Program
from portal.tenancy import tenant_scope
from tests.test_match_runs import _refuse_suggestions, make_cohort, pairs_of, run_of, suggestion_id

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _command(app, tmp_path, *args) -> subprocess.Popen:
    """Start `flask --app portal portal ARGS` as an operator would, on the suite's database and Redis."""
    env = dict(os.environ, PORTAL_ENV="testing", DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               REDIS_URL=app.config["REDIS_URL"], PORTAL_INSTANCE_PATH=str(tmp_path))
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "portal", "portal", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _work_when_queued(app, run_jobs, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while queue("matching", app).count == 0:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the command never enqueued its run"
        time.sleep(0.05)
    run_jobs()


def test_match_run_enqueues_and_prints_the_run_first(app, runner, institution, people):
    cohort = make_cohort(app, institution, people)
    result = runner.invoke(args=["portal", "match", "run", "--program", str(cohort["program"])])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("run ") and run_of(app, int(first.split()[1]))["status"] == "queued"
    assert queue("matching", app).count == 1


def test_match_run_wait_blocks_until_a_worker_finished_and_prints_statistics(app, run_jobs, institution, people,
                                                                             tmp_path):
    cohort = make_cohort(app, institution, people)
    process = _command(app, tmp_path, "match", "run", "--program", str(cohort["program"]), "--wait")
    _work_when_queued(app, run_jobs, process)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    lines = out.splitlines()
    run_id = int(lines[0].split()[1])
    assert lines[0] == f"run {run_id}" and lines[1] == f"run {run_id} finished"
    assert "matched 3 of 3 mentees (100.0%)" in lines and any(line.startswith("mean score ") for line in lines)
    assert len(pairs_of(app, run_id)) == 3


def test_match_run_wait_fails_with_the_runs_error(app, run_jobs, institution, people, tmp_path):
    cohort = make_cohort(app, institution, people)
    process = _command(app, tmp_path, "match", "run", "--program", str(cohort["program"]), "--wait")
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", _refuse_suggestions)
    try:
        _work_when_queued(app, run_jobs, process)
    finally:
        sa.event.remove(engine, "before_cursor_execute", _refuse_suggestions)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1 and out.startswith("run ")
    assert "failed: The run stopped because of an unexpected problem (OperationalError)" in err


def test_match_run_explains_what_it_cannot_do(app, runner, institution, people):
    unknown = runner.invoke(args=["portal", "match", "run", "--program", "999"])
    assert unknown.exit_code == 1 and "There is no program 999." in unknown.output
    cohort = make_cohort(app, institution, people)
    with app.app_context(), tenant_scope(institution.id):
        program = db.session.get(Program, cohort["program"])
        weights, program.matching_weights = dict(program.matching_weights), {name: 0 for name in program.matching_weights}
        db.session.commit()
    zero = runner.invoke(args=["portal", "match", "run", "--program", str(cohort["program"])])
    assert zero.exit_code == 1 and "Give at least one criterion a weight above 0" in zero.output
    with app.app_context(), tenant_scope(institution.id):
        db.session.get(Program, cohort["program"]).matching_weights = weights
        db.session.commit()
    unattended = runner.invoke(args=["portal", "match", "run", "--program", str(cohort["program"]), "--wait",
                                     "--timeout", "0.5"])
    assert unattended.exit_code == 1 and unattended.output.startswith("run ")
    assert "did not finish within 0.5 s; is a worker running" in unattended.output


def test_match_export_prints_the_pairs_as_csv(app, runner, admin_client, run_jobs, institution, people):
    cohort = make_cohort(app, institution, people)
    result = runner.invoke(args=["portal", "match", "run", "--program", str(cohort["program"])])
    run_id = int(result.output.split()[1])
    run_jobs()
    admin_client.post(f"/admin/matching/suggestions/{suggestion_id(app, run_id, cohort['Amara'])}/decision",
                      data={"decision": "rejected"})
    exported = runner.invoke(args=["portal", "match", "export", "--run", str(run_id)])
    assert exported.exit_code == 0
    rows = list(csv.reader(io.StringIO(exported.output)))
    assert rows[0] == ["mentee_email", "mentor_email", "score", "reasons"]
    by_mentee = {row[0]: row for row in rows[1:]}
    assert set(by_mentee) == {cohort["Jordan"].email, cohort["Lucas"].email}  # Amara's pair was rejected
    jordan = by_mentee[cohort["Jordan"].email]
    assert jordan[1] == cohort["Priya"].email and float(jordan[2]) > 0 and "Shared skills: Python" in jordan[3]
    assert "; " in jordan[3]
    missing = runner.invoke(args=["portal", "match", "export", "--run", "999"])
    assert missing.exit_code == 1 and "There is no match run 999." in missing.output
