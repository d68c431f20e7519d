"""The real `worker.py`, run as a subprocess against the suite's database, Redis and SMTP sink."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def worker_env(app, folder: Path, smtp_sink=None, public_base_url: str | None = None) -> dict:
    """Return the environment a worker needs to work on the same data as the test's `app`."""
    env = dict(os.environ, PORTAL_ENV="testing", DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               REDIS_URL=app.config["REDIS_URL"], PORTAL_INSTANCE_PATH=str(folder))
    if smtp_sink is not None:
        env.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp_sink.port), MAIL_USE_TLS="false")
    if public_base_url:
        env["PUBLIC_BASE_URL"] = public_base_url
    return env


class WorkerProcess:
    """`worker.py --no-cron QUEUES`, started when the test says so and stopped after it."""

    def __init__(self, env: dict, folder: Path, queues: tuple[str, ...]):
        self.env, self.queues = env, queues
        self.log = folder / "worker.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the worker and wait until it listens; a worker that can't start fails the test at once."""
        with open(self.log, "ab") as log:
            start = log.tell()
            self.process = subprocess.Popen([sys.executable, "worker.py", "--no-cron", *self.queues],
                                            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while b"Listening on" not in self.log.read_bytes()[start:]:
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the worker did not start:\n" + self.log.read_text(errors="replace")[-4000:])
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the worker (warm shutdown, then kill if it hangs)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def print_log(self) -> None:
        """Print the log's tail; pytest shows it when the test fails."""
        if self.log.exists():
            print(self.log.read_text(errors="replace")[-6000:])
