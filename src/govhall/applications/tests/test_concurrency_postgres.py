"""Concurrent submissions never share a business number; two staff acting on one application at
once give exactly one transition and one clear conflict (issue 7, item 2).

PostgreSQL only: separate processes with their own connections need a server database shared with
the test (hence ``transaction=True``: the test's rows are committed for the children to see).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from govhall.applications import services
from govhall.applications.models import Application, Status, TimelineEntry
from govhall.applications.tests.factories import ANSWERS, applicant, pdf

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database shared by several processes"),
    pytest.mark.django_db(transaction=True),
]

SRC = Path(__file__).resolve().parents[3]
PROCESSES = 6

WORKER = """
import json, os, sys, time
import django

django.setup()
from django.core.exceptions import ValidationError
from govhall.accounts.models import User
from govhall.applications import services
from govhall.applications.models import Application

action, user_id, application_id, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
user, application = User.objects.get(pk=user_id), Application.objects.get(pk=application_id)
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.001)
try:
    if action == "submit":
        done = services.submit(application, user)
        print(json.dumps({"number": done.business_number}), flush=True)
    else:
        services.accept(application, user, expected="awaiting_acceptance")
        print(json.dumps({"won": user_id}), flush=True)
except ValidationError as error:
    print(json.dumps({"refused": error.messages[0]}, ensure_ascii=False), flush=True)
"""


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start(script: Path, args: list[str]) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govhall.settings",
        "PYTHONPATH": str(SRC),
        "DATABASE_URL": _database_url(),
        "AUDIT_CHECKPOINT_KEY_FILE": str(settings.AUDIT_CHECKPOINT_KEY_FILE),
        "APPLICATIONS_PRIVATE_ROOT": str(settings.APPLICATIONS_PRIVATE_ROOT),
        "SMS_ENQUEUE_HINT": "0",
    }
    return subprocess.Popen(
        [sys.executable, str(script), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _race(tmp_path: Path, jobs: list[tuple[str, int, int]]) -> list[dict[str, str]]:
    """Start one process per (action, user, application), release them at once, return outcomes."""
    script, go = tmp_path / "worker.py", tmp_path / "go"
    script.write_text(WORKER)
    workers = [_start(script, [action, str(user), str(application), str(go)]) for action, user, application in jobs]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        time.sleep(0.1)
        go.touch()
        outcomes = [worker.communicate(timeout=180) for worker in workers]
    finally:
        for worker in workers:  # never leave a worker holding locks for the teardown flush
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    results = []
    for worker, (out, errors) in zip(workers, outcomes, strict=True):
        assert worker.returncode == 0, errors
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _draft(office, who):
    application = services.start_draft(who, office.item, answers=ANSWERS)
    services.add_material(application, who, office.required, pdf())
    return application


def test_concurrent_submissions_get_distinct_consecutive_business_numbers(office, tmp_path):
    people = [applicant(f"申请人{n}") for n in range(PROCESSES)]
    drafts = [_draft(office, person) for person in people]

    results = _race(tmp_path, [("submit", person.pk, draft.pk) for person, draft in zip(people, drafts, strict=True)])

    numbers = sorted(result["number"] for result in results)
    assert len(set(numbers)) == PROCESSES
    assert [int(number[-5:]) for number in numbers] == list(range(1, PROCESSES + 1))
    assert Application.objects.filter(status=Status.AWAITING_ACCEPTANCE).count() == PROCESSES


def test_two_acceptors_at_once_give_one_acceptance_and_one_conflict(office, tmp_path):
    from govhall.applications.tests.factories import staff

    application = services.submit(_draft(office, office.alice), office.alice)
    acceptors = [office.acceptor, *(staff("acceptor", office.department) for _ in range(PROCESSES - 1))]

    results = _race(tmp_path, [("accept", person.pk, application.pk) for person in acceptors])

    assert sum("won" in result for result in results) == 1, results
    assert [result["refused"] for result in results if "refused" in result] == ["该申请已被他人处理，请刷新后重试"] * (
        PROCESSES - 1
    )
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert TimelineEntry.objects.filter(application=application, action="accepted").count() == 1
