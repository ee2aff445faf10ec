"""Two department admins reassigning the same application at once (issue 8): exactly one wins, the
other gets the clear conflict; and of many acceptors claiming one application, one holds it.

PostgreSQL only, separate processes (see ``test_concurrency_postgres.py`` for the harness).
"""

from __future__ import annotations

import pytest
from django.db import connection

from govhall.applications import services
from govhall.applications.models import Application, TimelineEntry
from govhall.applications.tests.factories import staff
from govhall.applications.tests.test_concurrency_postgres import _draft
from govhall.core.tests.race import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database shared by several processes"),
    pytest.mark.django_db(transaction=True),
]

WORKER = """
import json, os, sys, time
import django

django.setup()
from django.core.exceptions import ValidationError
from govhall.accounts.models import User
from govhall.applications import services

action, user_id, application_id, target_id, go = sys.argv[1:6]
user = User.objects.get(pk=int(user_id))
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.001)
try:
    if action == "reassign":
        target = User.objects.get(pk=int(target_id))
        pk = int(application_id)
        services.reassign([pk], target, by=user, reason="调整分工", expected={pk: None})
    else:
        services.claim(int(application_id), user)
    print(json.dumps({"won": int(user_id)}), flush=True)
except ValidationError as error:
    print(json.dumps({"refused": error.messages[0]}, ensure_ascii=False), flush=True)
"""


def _race(tmp_path, jobs: list[tuple[str, int, int, int]]) -> list[dict]:
    return race(tmp_path, WORKER, [[action, str(u), str(a), str(t)] for action, u, a, t in jobs])


def test_two_admins_reassigning_one_application_one_wins(office, tmp_path):
    application = services.submit(_draft(office, office.alice), office.alice)
    admins = [staff("department_admin", office.department) for _ in range(2)]
    targets = [staff("acceptor", office.department) for _ in range(2)]

    results = _race(
        tmp_path,
        [("reassign", admin.pk, application.pk, target.pk) for admin, target in zip(admins, targets, strict=True)],
    )

    winners = [result["won"] for result in results if "won" in result]
    assert len(winners) == 1, results
    assert [r["refused"] for r in results if "refused" in r] == [
        f"以下申请已被他人处理，请刷新后重试：{application.business_number}。"
    ]
    application.refresh_from_db()
    assert application.assignee_id == targets[[a.pk for a in admins].index(winners[0])].pk
    assert TimelineEntry.objects.filter(application=application, action="reassigned").count() == 1


def test_many_acceptors_claiming_one_application_one_holds_it(office, tmp_path):
    application = services.submit(_draft(office, office.alice), office.alice)
    acceptors = [office.acceptor, *(staff("acceptor", office.department) for _ in range(3))]

    results = _race(tmp_path, [("claim", person.pk, application.pk, 0) for person in acceptors])

    assert sum("won" in result for result in results) == 1, results
    assert all("认领或承办" in result["refused"] for result in results if "refused" in result)
    assert Application.objects.get(pk=application.pk).assignee_id in {a.pk for a in acceptors}
    assert TimelineEntry.objects.filter(application=application, action="claimed").count() == 1
