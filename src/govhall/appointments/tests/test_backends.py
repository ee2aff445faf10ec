"""The backend plugin point: the built-in scheduler is the default, a centre can be given another."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from govhall.appointments.backends.registry import backend_for, registry
from govhall.appointments.contrib.builtin.backend import BuiltinBackend
from govhall.appointments.models import Status
from govhall.appointments.tests.factories import bookable_item

pytestmark = pytest.mark.django_db


def test_the_builtin_scheduler_is_the_default(hall):
    assert "builtin" in registry
    assert isinstance(backend_for(hall.centre), BuiltinBackend)


def test_a_centre_configured_for_an_unknown_system_fails_loudly(hall, settings):
    settings.APPOINTMENT_CENTRE_BACKENDS = {hall.centre.code: "qmatic"}
    with pytest.raises(ImproperlyConfigured, match="qmatic"):
        backend_for(hall.centre)
    assert isinstance(backend_for(hall.other_centre), BuiltinBackend)


def test_products_locations_dates_times_book_cancel(hall, travel):
    travel("2026-09-24 10:00")  # the horizon holds 中秋节 (Fri 25th) and the National Day break
    backend = backend_for(hall.centre)
    not_bookable = bookable_item(hall.centre, booking=False)

    assert backend.products(hall.centre) == [hall.item]
    assert not_bookable not in backend.products(hall.centre)
    assert backend.locations(hall.item) == sorted([hall.centre, hall.other_centre], key=lambda c: c.code)
    dates = backend.dates(hall.item, hall.centre)
    assert dates[:4] == [
        datetime.date(2026, 9, 24),  # today: the afternoon is still open
        datetime.date(2026, 9, 28),
        datetime.date(2026, 9, 29),
        datetime.date(2026, 9, 30),
    ]
    assert {datetime.date(2026, 9, 25), datetime.date(2026, 10, 1)}.isdisjoint(dates)
    assert datetime.date(2026, 10, 8) in dates
    slot = backend.times(hall.item, hall.centre, datetime.date(2026, 9, 28))[0]

    appointment = backend.book(hall.alice, hall.item, slot)
    assert backend.cancel(appointment, hall.alice).status == Status.CANCELLED_BY_APPLICANT
