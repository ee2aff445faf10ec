"""Fixtures of the SMS outbox tests: fake gateway processes, gateway settings, worker processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

SRC = Path(__file__).resolve().parents[3]
MANAGE = SRC.parent / "manage.py"


@dataclass
class FakeGateway:
    """Handle on one fake gateway process (see ``fake_gateway.py``)."""

    process: subprocess.Popen[str]
    sms_port: int
    control_port: int
    secret: str
    name: str = "fake"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sms_port}/sms"

    def _call(self, method: str, path: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        body = json.dumps(data or {}).encode() if method == "POST" else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.control_port}{path}", data=body, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def control(self, **options: Any) -> None:
        self._call("POST", "/control", options)

    def reset(self) -> None:
        self._call("POST", "/reset")

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "/stats")

    def send_receipts(self, callback: str, keys: list[str], status: str, **extra: Any) -> dict[str, Any]:
        return self._call("POST", "/receipts", {"callback": callback, "keys": keys, "status": status, **extra})

    def config(self, name: str | None = None, **options: Any) -> dict[str, Any]:
        """An entry of ``settings.SMS_GATEWAYS`` pointing at this gateway."""
        return {
            "name": name or self.name,
            "plugin": "http",
            "url": self.url,
            "secret": self.secret,
            "timeout": 2.0,
            "connect_timeout": 1.0,
            **options,
        }

    def env(self, name: str | None = None, timeout: float = 2.0, connect_timeout: float = 1.0) -> dict[str, str]:
        """The same configuration as environment variables, for worker processes."""
        prefix = "SMS_GATEWAY_" + (name or self.name).upper() + "_"
        return {
            "SMS_GATEWAYS": name or self.name,
            prefix + "PLUGIN": "http",
            prefix + "URL": self.url,
            prefix + "SECRET": self.secret,
            prefix + "TIMEOUT": str(timeout),
            prefix + "CONNECT_TIMEOUT": str(connect_timeout),
        }


def start_fake_gateway(secret: str, log: Path) -> FakeGateway:
    process = subprocess.Popen(
        [sys.executable, "-m", "govhall.notifications.tests.fake_gateway", "--secret", secret],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        stdout=subprocess.PIPE,
        stderr=log.open("w"),  # tracebacks of writes to clients that timed out; never a full pipe
        text=True,
    )
    line = process.stdout.readline().split()
    if not line or line[0] != "READY":
        process.kill()
        raise RuntimeError(f"fake gateway did not start: {line!r}; see {log}")
    return FakeGateway(process, int(line[1]), int(line[2]), secret)


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def _gateway_processes() -> Iterator[tuple[FakeGateway, FakeGateway]]:
    """Two fake providers for the whole session (a primary and a failover), reset per test."""
    logs = Path(tempfile.mkdtemp(prefix="fake-sms-"))
    primary = start_fake_gateway("primary-secret-for-tests", logs / "primary.log")
    backup = start_fake_gateway("backup-secret-for-tests", logs / "backup.log")
    backup.name = "backup"
    yield primary, backup
    for gateway in (primary, backup):
        stop(gateway.process)


@pytest.fixture
def fake_gateway(_gateway_processes, settings) -> FakeGateway:
    """The primary fake gateway, reset, configured as the only gateway, with fast retries."""
    primary, backup = _gateway_processes
    primary.reset()
    backup.reset()
    settings.SMS_GATEWAYS = [primary.config()]
    settings.SMS_BACKOFF_BASE_SECONDS = 0.05
    settings.SMS_BACKOFF_MAX_SECONDS = 0.2
    settings.SMS_LEASE_SECONDS = 10.0
    settings.SMS_MAX_ATTEMPTS = 4
    settings.SMS_QUIET_HOURS = ""
    settings.SMS_ENQUEUE_HINT = False
    return primary


@pytest.fixture
def backup_gateway(_gateway_processes, fake_gateway) -> FakeGateway:
    return _gateway_processes[1]


@pytest.fixture
def console_gateway(settings) -> None:
    settings.SMS_GATEWAYS = [{"name": "console", "plugin": "console"}]
    settings.SMS_QUIET_HOURS = ""
    settings.SMS_ENQUEUE_HINT = False


def refused_port() -> int:
    """A local port with nothing listening: connecting is refused (a definite failure)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Worker processes (PostgreSQL) -----------------------------------------------------------------


def database_url() -> str:
    """The TEST database, so worker processes see what the test wrote."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(
    worker_id: str,
    gateway: FakeGateway,
    *,
    lease: float = 5.0,
    max_seconds: float = 60,
    timeout: float = 2.0,
    connect_timeout: float = 1.0,
    threads: int = 4,
) -> subprocess.Popen[str]:
    """A real ``manage.py deliver_messages --loop`` process against the test database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "govhall.settings",
        "SMS_ENQUEUE_HINT": "0",
        "SMS_QUIET_HOURS": "",
        "SMS_BACKOFF_BASE_SECONDS": "0.05",
        "SMS_BACKOFF_MAX_SECONDS": "0.2",
        "LOG_LEVEL": "WARNING",
        "SMS_WORKER_THREADS": str(threads),
        **gateway.env(timeout=timeout, connect_timeout=connect_timeout),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    command = [
        sys.executable,
        str(MANAGE),
        "deliver_messages",
        "--loop",
        "--worker-id",
        worker_id,
        "--lease-seconds",
        str(lease),
        "--sleep",
        "0.1",
        "--stop-when-idle",
        "--max-seconds",
        str(max_seconds),
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(predicate, timeout: float = 30, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(interval)


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[str]]]:
    """Collects worker processes; none outlives the test (they would hold rows during the flush)."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        stop(process)
