"""Slots follow the office hours and the working-day calendar (no slots on holidays, slots on
make-up workdays, a provisional year's days marked), and the centre's exceptions."""

from __future__ import annotations

import datetime

import pytest

from govhall.appointments import services
from govhall.appointments.models import Slot
from govhall.appointments.slots import available_slots, ensure_slots
from govhall.appointments.tests.conftest import at
from govhall.appointments.tests.factories import BookingCapacityFactory
from govhall.core.workdays.calendar import day_kind
from govhall.directory.tests.factories import ServiceCentreFactory, WindowFactory

D = datetime.date
pytestmark = pytest.mark.django_db

# Monday is a short day at this centre: a make-up weekend day must use Monday's periods.
HOURS = {
    "mon": [["09:00", "12:00"]],
    "tue": [["09:00", "12:00"], ["13:30", "17:00"]],
    "wed": [["09:00", "12:00"], ["13:30", "17:00"]],
    "thu": [["09:00", "12:00"], ["13:30", "17:00"]],
    "fri": [["09:00", "12:00"], ["13:30", "17:00"]],
}
FULL_DAY, MONDAY = 13, 6  # 30-minute slots: 6 in the morning, 7 in the afternoon


@pytest.mark.parametrize(
    ("day", "kind", "count", "provisional"),
    [
        (D(2026, 9, 18), "workday", FULL_DAY, False),  # Fri before National Day
        (D(2026, 9, 19), "rest", 0, False),  # Sat
        (D(2026, 9, 20), "makeup_workday", MONDAY, False),  # Sun 调休上班: Monday's hours
        (D(2026, 10, 1), "holiday", 0, False),  # 国庆节
        (D(2026, 10, 7), "holiday", 0, False),  # last day of the break (a Wednesday)
        (D(2026, 10, 8), "workday", FULL_DAY, False),  # Thu, back at work
        (D(2026, 10, 10), "makeup_workday", MONDAY, False),  # Sat 调休上班
        (D(2026, 2, 14), "makeup_workday", MONDAY, False),  # Sat before 春节 调休上班
        (D(2026, 2, 16), "holiday", 0, False),  # 春节 (a Monday)
        (D(2026, 2, 28), "makeup_workday", MONDAY, False),  # Sat after 春节 调休上班
        (D(2027, 1, 1), "holiday", 0, True),  # 元旦 2027: statutory, known before the notice
        (D(2027, 1, 4), "workday", MONDAY, True),  # a Monday of the provisional year: bookable, marked
        (D(2027, 1, 5), "workday", FULL_DAY, True),
    ],
)
def test_slots_follow_hours_and_calendar(day, kind, count, provisional):
    capacity = BookingCapacityFactory(centre=ServiceCentreFactory(office_hours=HOURS), windows=3)

    ensure_slots(capacity, day, day)

    assert day_kind(day) == kind  # the real calendar says so (chinesecalendar / 放假办法)
    slots = list(Slot.objects.filter(capacity=capacity, date=day).order_by("start"))
    assert len(slots) == count
    assert all(slot.provisional == provisional and slot.seats == 3 for slot in slots)
    if slots:
        assert (slots[0].start, slots[0].end) == (at(f"{day} 09:00"), at(f"{day} 09:30"))


def test_ensure_slots_is_idempotent():
    capacity = BookingCapacityFactory()

    created = ensure_slots(capacity, D(2026, 9, 14), D(2026, 9, 20))
    again = ensure_slots(capacity, D(2026, 9, 14), D(2026, 9, 20))

    assert created == 5 * FULL_DAY + FULL_DAY  # Mon–Fri and the make-up Sunday (default hours)
    assert again == 0
    assert Slot.objects.filter(capacity=capacity).count() == created


@pytest.mark.parametrize(
    ("exceptions", "seats"),
    [
        ([{"window": True}], 2),  # one of three windows closed
        ([{"window": True}, {"window": True}], 1),
        ([{"windows_open": 1}], 1),  # only one window working that day
        ([{"windows_open": 0}], 0),  # closed for bookings
        ([{"windows_open": 2}, {"window": True}], 1),
    ],
)
def test_exceptions_reduce_the_day(hall, exceptions, seats):
    hall.capacity.windows = 3
    hall.capacity.save()
    for spec in exceptions:
        window = WindowFactory(centre=hall.centre) if spec.get("window") else None
        services.add_exception(
            hall.centre,
            D(2026, 9, 22),
            by=_district_admin(hall),
            reason="窗口设备检修",
            window=window,
            windows_open=spec.get("windows_open"),
        )

    ensure_slots(hall.capacity, D(2026, 9, 21), D(2026, 9, 22))

    assert set(Slot.objects.filter(date=D(2026, 9, 22), capacity=hall.capacity).values_list("seats", flat=True)) == {
        seats
    }
    assert set(Slot.objects.filter(date=D(2026, 9, 21), capacity=hall.capacity).values_list("seats", flat=True)) == {3}


def test_closing_a_day_keeps_the_visits_already_booked(hall, travel):
    travel("2026-09-18 10:00")
    ensure_slots(hall.capacity, D(2026, 9, 22), D(2026, 9, 22))
    slot = Slot.objects.get(capacity=hall.capacity, start=at("2026-09-22 09:00"))
    services.book(hall.alice, hall.item, slot)

    services.add_exception(hall.centre, D(2026, 9, 22), by=_district_admin(hall), reason="停电", windows_open=0)

    slot.refresh_from_db()
    assert (slot.seats, slot.booked) == (1, 1)  # honoured (Art. 8), but no new bookings
    assert available_slots(hall.centre, hall.item, D(2026, 9, 22)) == []


@pytest.mark.parametrize(
    ("now", "day", "first_free"),
    [
        ("2026-09-18 10:00", D(2026, 9, 18), "13:30"),  # 120-minute cut-off: 11:30 is too late, 13:30 is not
        ("2026-09-18 11:29", D(2026, 9, 18), "13:30"),
        ("2026-09-18 11:31", D(2026, 9, 18), "14:00"),
        ("2026-09-18 10:00", D(2026, 9, 20), "09:00"),  # the make-up Sunday is offered
        ("2026-09-18 10:00", D(2026, 10, 2), None),  # day 14 of the horizon, but 国庆节
        ("2026-09-18 10:00", D(2026, 10, 1), None),  # 国庆节 too
        ("2026-09-18 10:00", D(2026, 9, 30), "09:00"),  # the last working day before the break
        ("2026-09-18 10:00", D(2026, 10, 3), None),  # day 15: outside the horizon
        ("2026-09-18 10:00", D(2026, 9, 17), None),  # the past
    ],
)
def test_available_slots_apply_horizon_and_cutoff(hall, travel, now, day, first_free):
    travel(now)

    slots = available_slots(hall.centre, hall.item, day)

    assert (f"{slots[0].start.astimezone(at(now).tzinfo):%H:%M}" if slots else None) == first_free


def test_item_capacity_is_preferred_over_the_centre_default(hall, travel):
    travel("2026-09-18 10:00")
    own = BookingCapacityFactory(centre=hall.centre, item=hall.item, slot_minutes=60, windows=1)

    slots = available_slots(hall.centre, hall.item, D(2026, 9, 21))

    assert {slot.capacity_id for slot in slots} == {own.pk}
    assert len(slots) == 3 + 3  # 09-12 and 13:30-16:30 in hours (16:30-17:00 is too short)


def _district_admin(hall):
    from govhall.accounts.tests.factories import RoleAssignmentFactory, StaffFactory

    user = StaffFactory()
    RoleAssignmentFactory(user=user, role="district_admin", department=None, region=hall.centre.region)
    return user
