"""Race separate processes against one PostgreSQL database: the concurrency tests' one harness.

Each worker script prints ``ready``, waits for the ``go`` file (passed as its last argument), does
its one action and prints one JSON line. The test's rows must be committed for the workers to see
them (``django_db(transaction=True)``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

SRC = Path(__file__).resolve().parents[3]


def database_url() -> str:
    """The test database, for the workers' ``DATABASE_URL``."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _environment() -> dict[str, str]:
    """The test's settings that the workers must share: database, audit key, file roots."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govhall.settings",
        "PYTHONPATH": str(SRC),
        "DATABASE_URL": database_url(),
        "AUDIT_CHECKPOINT_KEY_FILE": str(settings.AUDIT_CHECKPOINT_KEY_FILE),
        "SMS_ENQUEUE_HINT": "0",
    }
    for name in ("APPLICATIONS_PRIVATE_ROOT", "LICENSES_FILE_ROOT", "LICENSES_PKI_DIR"):
        env[name] = str(getattr(settings, name))
    return env


def race(tmp_path: Path, worker: str, jobs: list[list[str]], *, timeout: int = 180) -> list[dict]:
    """Start one process of ``worker`` per job (its arguments), release them at once, return each
    one's JSON answer in job order."""
    script, go = tmp_path / "worker.py", tmp_path / "go"
    script.write_text(worker)
    env = _environment()
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), *args, str(go)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in jobs
    ]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "ready", process.stderr.read()
        time.sleep(0.1)
        go.touch()
        outcomes = [process.communicate(timeout=timeout) for process in processes]
    finally:
        for process in processes:  # never leave a worker holding locks for the teardown flush
            if process.poll() is None:
                process.kill()
                process.wait()
    answers = []
    for process, (out, errors) in zip(processes, outcomes, strict=True):
        assert process.returncode == 0, errors
        answers.append(json.loads(out.strip().splitlines()[-1]))
    return answers
