"""Many processes booking the last seat at once: exactly one wins, the others are told the slot was
just taken, and the seat count never exceeds the seats (issue 6: "never double-sold").

PostgreSQL only: separate processes with their own connections need a server database shared with
the test (hence ``transaction=True``: the test's rows are committed for the children to see).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from govhall.appointments.models import Appointment, Slot
from govhall.appointments.slots import available_slots
from govhall.appointments.tests.factories import ApplicantFactory, BookingCapacityFactory, bookable_item
from govhall.core.tests.race import race
from govhall.directory.tests.factories import ServiceCentreFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database shared by several processes"),
    pytest.mark.django_db(transaction=True),
]

PROCESSES = 8

BOOKER = """
import json, os, sys, time
import django

django.setup()
from django.core.exceptions import ValidationError
from govhall.accounts.models import User
from govhall.appointments import services
from govhall.appointments.models import Slot
from govhall.catalog.models import ServiceItem

applicant_id, item_id, slot_id, go = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
applicant, item = User.objects.get(pk=applicant_id), ServiceItem.objects.get(pk=item_id)
slot = Slot.objects.get(pk=slot_id)
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.001)
try:
    appointment = services.book(applicant, item, slot)
    print(json.dumps({"won": appointment.code}), flush=True)
except ValidationError as error:
    print(json.dumps({"refused": error.messages[0]}, ensure_ascii=False), flush=True)
"""


def _free_slots(centre, item) -> list[Slot]:
    """The first bookable day's free slots (real time: the children do not share a frozen clock)."""
    today = timezone.localdate()
    for offset in range(settings.APPOINTMENT_HORIZON_DAYS + 1):
        slots = available_slots(centre, item, today + datetime.timedelta(days=offset))
        if len(slots) >= PROCESSES:
            return slots
    raise AssertionError("no bookable day within the horizon")


def _race(tmp_path: Path, jobs: list[tuple[int, int, int]]) -> list[dict[str, str]]:
    """One process per (applicant, item, slot), released at once; their outcomes."""
    return race(tmp_path, BOOKER, [[str(applicant), str(item), str(slot)] for applicant, item, slot in jobs])


def test_many_processes_booking_the_last_seat_exactly_one_wins(tmp_path):
    centre = ServiceCentreFactory()
    item = bookable_item(centre)
    BookingCapacityFactory(centre=centre, windows=1)
    slot = _free_slots(centre, item)[0]
    applicants = [ApplicantFactory() for _ in range(PROCESSES)]

    results = _race(tmp_path, [(applicant.pk, item.pk, slot.pk) for applicant in applicants])

    winners = [result for result in results if "won" in result]
    assert len(winners) == 1, results
    assert [result["refused"] for result in results if "refused" in result] == ["该时段刚刚约满，请选择其他时段"] * (
        PROCESSES - 1
    )
    slot.refresh_from_db()
    assert (slot.booked, slot.seats) == (1, 1)
    assert list(Appointment.objects.values_list("code", flat=True)) == [winners[0]["won"]]


def test_one_person_booking_from_many_processes_stays_within_the_limit(tmp_path):
    centre = ServiceCentreFactory()
    item = bookable_item(centre)
    BookingCapacityFactory(centre=centre, windows=1)
    slots = _free_slots(centre, item)[:PROCESSES]
    applicant = ApplicantFactory()

    results = _race(tmp_path, [(applicant.pk, item.pk, slot.pk) for slot in slots])

    limit = settings.APPOINTMENT_MAX_OPEN
    assert sum("won" in result for result in results) == limit, results
    assert [result["refused"] for result in results if "refused" in result] == [
        f"您最多可同时持有{limit}个有效预约。"
    ] * (PROCESSES - limit)
    assert Appointment.objects.filter(applicant=applicant).count() == limit
    assert sum(Slot.objects.filter(pk__in=[slot.pk for slot in slots]).values_list("booked", flat=True)) == limit
