"""A real server process for the resilience tests: gunicorn (gthread) on the test database, started in its own
process group so that SIGKILL takes the master and every worker at once, as a power cut would."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, workers: int = 2, threads: int = 4, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers, self.threads = workers, threads
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "XINFANG_TESTING": "1",  # the test's password hasher; DEBUG stays off
            "XINFANG_HTTPS": "0",
            "DJANGO_SETTINGS_MODULE": "xinfang.settings",
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> float:
        """Start and wait for /healthz; return the seconds it took."""
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn), "xinfang.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--worker-class", "gthread", "--threads", str(self.threads),
            "--no-control-socket", "--timeout", "60", "--log-level", "warning", "--preload",
        ]  # fmt: skip
        started = time.monotonic()
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if requests.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return time.monotonic() - started
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def kill(self) -> None:
        """SIGKILL the whole process group: no worker finishes its request, no transaction commits late."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None
