"""Concurrent submissions never share a business number; two staff acting on one application at
once give exactly one transition and one clear conflict (issue 7, item 2).

PostgreSQL only: separate processes with their own connections need a server database shared with
the test (hence ``transaction=True``: the test's rows are committed for the children to see).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from govhall.applications import services
from govhall.applications.models import Application, Status, TimelineEntry
from govhall.applications.tests.factories import ANSWERS, applicant, pdf
from govhall.core.tests.race import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database shared by several processes"),
    pytest.mark.django_db(transaction=True),
]

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


def _race(tmp_path: Path, jobs: list[tuple[str, int, int]]) -> list[dict[str, str]]:
    """One process per (action, user, application), released at once; their outcomes."""
    return race(tmp_path, WORKER, [[action, str(user), str(application)] for action, user, application in jobs])


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
