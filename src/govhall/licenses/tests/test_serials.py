"""License serials: year + a 7-digit sequence per type and issuer, never given twice — also when
licenses were issued before the sequence row existed, and under simultaneous issuance (PostgreSQL,
separate processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from govhall.licenses.models import License, LicenseSerialSequence

SRC = Path(__file__).resolve().parents[3]
PROCESSES = 4


def test_serials_follow_each_other_per_type_and_issuer(issue):
    year = timezone.localdate().year
    serials = [issue().serial for _ in range(3)]
    assert serials == [f"{year}0000001", f"{year}0000002", f"{year}0000003"]
    assert LicenseSerialSequence.objects.get().last == 3


def test_the_sequence_continues_after_licenses_issued_before_it_existed(issue):
    first, second = issue(), issue()
    LicenseSerialSequence.objects.all().delete()  # as on a database from before the sequence table
    third = issue()
    assert int(third.serial[4:]) == 3
    assert len({first.serial, second.serial, third.serial}) == 3


WORKER = """
import json, os, sys, time
import django

django.setup()
from govhall.accounts.models import User
from govhall.catalog.models import LicenseType
from govhall.directory.models import Department
from govhall.licenses.services import issue_license

type_id, holder_id, department_id, go = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
license_type, holder = LicenseType.objects.get(pk=type_id), User.objects.get(pk=holder_id)
department = Department.objects.get(pk=department_id)
data = {"business_scope": "预包装食品销售", "address": "长春市朝阳区人民大街1号"}
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.001)
license = issue_license(license_type, holder, data, department)
print(json.dumps({"serial": license.serial}), flush=True)
"""


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database shared by several processes")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_issuances_take_different_serials(root, license_type, holder, department, tmp_path):
    from govhall.applications.tests.test_concurrency_postgres import _database_url

    script, go = tmp_path / "worker.py", tmp_path / "go"
    script.write_text(WORKER)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govhall.settings",
        "PYTHONPATH": str(SRC),
        "DATABASE_URL": _database_url(),
        "AUDIT_CHECKPOINT_KEY_FILE": str(settings.AUDIT_CHECKPOINT_KEY_FILE),
        "LICENSES_FILE_ROOT": str(settings.LICENSES_FILE_ROOT),
        "LICENSES_PKI_DIR": str(settings.LICENSES_PKI_DIR),
    }
    args = [str(license_type.pk), str(holder.pk), str(department.pk), str(go)]
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(PROCESSES)
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        time.sleep(0.1)
        go.touch()
        outcomes = [worker.communicate(timeout=240) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    serials = [json.loads(out.strip().splitlines()[-1])["serial"] for out, errors in outcomes]
    assert len(set(serials)) == PROCESSES
    assert License.objects.count() == PROCESSES
    assert LicenseSerialSequence.objects.get().last == PROCESSES
