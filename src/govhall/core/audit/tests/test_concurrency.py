"""Two processes appending at once still build ONE valid chain (PostgreSQL: the chain-head row lock)."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from govhall.core.audit import signing
from govhall.core.audit.models import AuditEvent
from govhall.core.audit.verify import verify_chain

SRC = Path(__file__).resolve().parents[4]
PER_PROCESS = 200

WRITER = """
import os, sys, time
import django

django.setup()
from django.db import transaction
from govhall.core.audit.services import record

name, go = sys.argv[1], sys.argv[2]
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.005)
for number in range(int(sys.argv[3])):
    with transaction.atomic():
        record(name, "test.concurrent", ("test.thing", number), after={"n": number})
"""


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_writer(name: str, go: Path, tmp_path: Path) -> subprocess.Popen[str]:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govhall.settings",
        "PYTHONPATH": str(SRC),
        "DATABASE_URL": _database_url(),
        "AUDIT_CHECKPOINT_KEY_FILE": str(settings.AUDIT_CHECKPOINT_KEY_FILE),
        "AUDIT_CHECKPOINT_EVERY": "50",
    }
    return subprocess.Popen(
        [sys.executable, str(script), name, str(go), str(PER_PROCESS)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database shared by two processes")
@pytest.mark.django_db(transaction=True)
def test_two_processes_append_to_one_valid_chain(tmp_path):
    signing.ensure_checkpoint_key()  # one key for both writers
    go = tmp_path / "go"
    writers = [_start_writer(name, go, tmp_path) for name in ("writer-a", "writer-b")]
    try:
        for writer in writers:
            assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        time.sleep(0.1)
        go.touch()
        outcomes = [writer.communicate(timeout=180) for writer in writers]
    finally:
        for writer in writers:  # never leave a writer holding locks for the teardown flush
            if writer.poll() is None:
                writer.kill()
                writer.wait()
    for writer, (_, errors) in zip(writers, outcomes, strict=True):
        assert writer.returncode == 0, errors

    result = verify_chain()
    assert result.ok, result.message()
    assert result.events == 2 * PER_PROCESS
    assert result.checkpoints == 2 * PER_PROCESS // 50
    labels = list(AuditEvent.objects.order_by("id").values_list("actor_label", flat=True))
    assert labels.count("writer-a") == labels.count("writer-b") == PER_PROCESS
    switches = sum(1 for earlier, later in itertools.pairwise(labels) if earlier != later)
    assert switches > 2, "the writers did not overlap; the test proved nothing"
