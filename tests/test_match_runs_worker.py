"""A real worker process killed in the middle of a run: the run is not left "running" for ever.

The worker is `worker.py`; it and the work horse it forked (RQ puts the horse in a session of
its own) are killed with SIGKILL, as when a machine dies. The cohort (6,000 mentees x 1,200 mentors, bench/match_run.py's
generator) makes the run last long enough to be caught in the middle.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import MatchSuggestion, ProgramStatus
from portal.programs import create_program, set_program_status
from portal.tenancy import tenant_scope, unscoped
from tests.workers import worker_env
from tests.test_match_runs import run_of, start, text

REPO = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_match_run", REPO / "bench" / "match_run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_a_worker_killed_mid_run_leaves_the_run_retryable(app, admin_client, run_jobs, institution, people,
                                                            tmp_path, monkeypatch):
    with app.app_context(), tenant_scope(institution.id):
        program = create_program(institution.id, {"name": "Career Launch", "default_capacity": 5})
        set_program_status(program, ProgramStatus.OPEN)
        _bench().seed_cohort(institution.id, program.id, 6000, 1200, seed=11)
        db.session.commit()
        program_id = program.id
    run_id = start(admin_client, program_id)
    env = worker_env(app, tmp_path)
    log = open(tmp_path / "worker.log", "wb")
    worker = subprocess.Popen([sys.executable, "worker.py", "--no-cron", "matching"], cwd=REPO, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not (run_of(app, run_id)["status"] == "running" and run_of(app, run_id)["phase"] in (
                "loading", "scoring", "assigning")):
            assert time.monotonic() < deadline and worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.01)
    finally:
        for pid in [*_children(worker.pid), worker.pid]:  # the work horse and the worker, mid-run
            os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=30)
        log.close()
    killed = run_of(app, run_id)
    assert killed["status"] == "running", killed  # it really was caught in the middle
    with app.app_context(), unscoped():
        assert db.session.scalar(select(func.count()).select_from(MatchSuggestion)) == 0  # nothing half-saved

    page = text(admin_client.get(f"/admin/matching/runs/{run_id}"))
    assert "Matching in progress" in page  # a fresh heartbeat: it could still be working
    monkeypatch.setitem(app.config, "MATCH_RUN_STALE_SECONDS", 1)  # instead of waiting two minutes
    time.sleep(1.5)
    page = text(admin_client.get(f"/admin/matching/runs/{run_id}"))
    assert "This run stopped" in page and "stopped answering" in page
    admin_client.post(f"/admin/matching/runs/{run_id}/retry")
    run_jobs()
    done = run_of(app, run_id)
    assert done["status"] == "finished" and done["statistics"]["mentees"] == 6000
    with app.app_context(), unscoped():
        stored = db.session.scalar(select(func.count()).select_from(MatchSuggestion))
    assert stored == done["statistics"]["matched"] == 6000
