"""License serials: year + a 7-digit sequence per type and issuer, never given twice — also when
licenses were issued before the sequence row existed, and under simultaneous issuance (PostgreSQL,
separate processes)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from govhall.core.tests.race import race
from govhall.licenses.models import License, LicenseSerialSequence

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
    args = [str(license_type.pk), str(holder.pk), str(department.pk)]
    serials = [answer["serial"] for answer in race(tmp_path, WORKER, [args] * PROCESSES, timeout=240)]
    assert len(set(serials)) == PROCESSES
    assert License.objects.count() == PROCESSES
    assert LicenseSerialSequence.objects.get().last == PROCESSES
