"""A centre with the default hours (Mon–Fri 09:00-12:00, 13:30-17:00), a bookable item there, and
a capacity of two parallel windows of 30-minute slots; the calendar seeds itself on first read."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from govhall.appointments.tests.factories import ApplicantFactory, BookingCapacityFactory, bookable_item, window_staff
from govhall.directory.tests.factories import ServiceCentreFactory

BEIJING = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    """``"2026-09-18 10:00"`` as a Beijing time."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BEIJING)


@pytest.fixture
def travel():
    """``travel("2026-09-18 10:00")`` stops the clock there (Beijing time) for the rest of the test."""
    travellers = []

    def go(text: str) -> None:
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(at(text), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield go
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def hall(db):
    centre = ServiceCentreFactory()
    other_centre = ServiceCentreFactory()
    item = bookable_item(centre, other_centre, name="不动产登记")
    return SimpleNamespace(
        centre=centre,
        other_centre=other_centre,
        item=item,
        capacity=BookingCapacityFactory(centre=centre, windows=2),
        other_capacity=BookingCapacityFactory(centre=other_centre, windows=1),
        alice=ApplicantFactory(name="张三"),
        bob=ApplicantFactory(name="李四"),
        staff=window_staff(centre),
        other_staff=window_staff(other_centre),
    )
