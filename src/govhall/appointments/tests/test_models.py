"""The database itself refuses an oversold slot, a reasonless staff cancellation and a second live
booking of one person for one slot: the last line behind the services."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from govhall.appointments.models import Appointment, Slot, Status
from govhall.appointments.slots import ensure_slots

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot(hall):
    ensure_slots(hall.capacity, datetime.date(2026, 9, 21), datetime.date(2026, 9, 21))
    return Slot.objects.filter(capacity=hall.capacity).order_by("start").first()


def test_a_slot_cannot_hold_more_bookings_than_seats(slot):
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=F("seats") + 1)


def test_a_staff_cancellation_without_reason_is_refused_by_the_database(hall, slot):
    appointment = Appointment.objects.create(
        code="ABCDEFGH", applicant=hall.alice, item=hall.item, centre=hall.centre, slot=slot
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=appointment.pk).update(status=Status.CANCELLED_BY_STAFF)


def test_one_person_holds_one_live_booking_per_slot(hall, slot):
    fields = {"applicant": hall.alice, "item": hall.item, "centre": hall.centre, "slot": slot}
    Appointment.objects.create(code="ABCDEFGH", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(code="ABCDEFGJ", **fields)
    Appointment.objects.create(code="ABCDEFGK", status=Status.CANCELLED_BY_APPLICANT, **fields)  # history is fine
