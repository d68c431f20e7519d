"""Serve the portal and its worker together on the embedded defaults (what `make run` runs).

Seeds the demo institution on the first run, prints the URL and the demo logins once the
portal answers, and stops the web server, the worker and the embedded Redis on Ctrl-C.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request

from honcho.manager import Manager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.dirname(sys.executable)
INSTANCE = os.environ.get("PORTAL_INSTANCE_PATH", os.path.join(ROOT, "instance"))
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "5000")
URL = f"http://{HOST}:{PORT}"


def flask(*args: str) -> list[str]:
    return [os.path.join(VENV_BIN, "flask"), "--app", "portal", *args]


def seed_once() -> None:
    marker = os.path.join(INSTANCE, ".demo-seeded")
    if not os.path.exists(marker):
        subprocess.run(flask("portal", "seed-demo"), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        open(marker, "w").close()


def announce_when_ready() -> None:
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"{URL}/healthz", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    from portal.demo import DEMO_LOGINS, DEMO_PASSWORD

    lines = ["", "=" * 64, f"  Mentor Portal is running at {URL}", "", f"  Demo logins (password: {DEMO_PASSWORD})"]
    lines += [f"    {role.label:<14} {email}" for role, email in DEMO_LOGINS.items()]
    lines += ["", "  Press Ctrl-C to stop the portal and its worker.", "=" * 64, ""]
    print("\n".join(lines), flush=True)


def main() -> int:
    os.makedirs(INSTANCE, exist_ok=True)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    seed_once()
    manager = Manager()
    manager.add_process("web", " ".join(flask("run", "--host", HOST, "--port", PORT, "--no-reload")), env=env, cwd=ROOT)
    manager.add_process("worker", f"{sys.executable} worker.py", env=env, cwd=ROOT)
    threading.Thread(target=announce_when_ready, daemon=True).start()
    try:
        manager.loop()
    finally:
        subprocess.run([sys.executable, "-m", "portal.embedded_redis", "stop", INSTANCE], cwd=ROOT)
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
