"""A share link is used once even when several clients press 获取证照 at the same moment: the row
lock in ``consume_share`` lets exactly one through; the others get the "already used" answer.

PostgreSQL only: separate processes need a server database shared with the test.
"""

from __future__ import annotations

import pytest
from django.db import connection

from govhall.core.tests.race import race
from govhall.licenses import wallet
from govhall.licenses.models import LicenseAccess
from govhall.licenses.services import issue_license

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database shared by several processes"),
    pytest.mark.django_db(transaction=True),
]

PROCESSES = 5

WORKER = """
import json, os, sys, time
import django

django.setup()
from django.core.exceptions import ValidationError
from govhall.licenses import wallet

token, go = sys.argv[1], sys.argv[2]
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.001)
try:
    license, data = wallet.consume_share(token, ip="127.0.0.1")
    print(json.dumps({"bytes": len(data)}), flush=True)
except ValidationError as error:
    print(json.dumps({"refused": error.code}), flush=True)
"""


def test_simultaneous_uses_of_one_link_give_one_file(hall, tmp_path):
    license = issue_license(hall.food, hall.alice, {"shop_name": "张记面馆", "operator": "张三"}, hall.department)
    token = wallet.create_share_link(license, hall.alice, purpose="办理银行开户").token
    results = race(tmp_path, WORKER, [[token] for _ in range(PROCESSES)])
    assert sum("bytes" in result for result in results) == 1
    assert sorted(result.get("refused", "") for result in results) == [""] + ["used"] * (PROCESSES - 1)
    assert LicenseAccess.objects.filter(license=license).count() == 1
