"""Slots from office hours, the working-day calendar and the centre's exceptions.

No slots on rest days and holidays; slots on make-up workdays (调休上班) with the periods of
``OfficeHours.makeup_weekday``; a provisional year's days are bookable but marked (Licensing Law
Art. 82: the official schedule may still move them). Slots are materialised rows, so the seat count
can be locked and checked by the database; :func:`ensure_slots` is idempotent and safe to run from
several processes at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from govhall.catalog.models import ServiceItem
from govhall.core.workdays.calendar import BEIJING, WorkCalendar
from govhall.core.workdays.models import CalendarDay
from govhall.directory.models import ServiceCentre

from .models import BookingCapacity, CapacityException, Slot

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class PlannedSlot:
    start: datetime.datetime
    end: datetime.datetime
    seats: int
    provisional: bool


def _seats(capacity: BookingCapacity, exceptions: list[CapacityException]) -> int:
    """Windows working that day: the smallest ``windows_open`` entered, less one per closed window."""
    seats = capacity.windows
    for exception in exceptions:
        if exception.windows_open is not None:
            seats = min(seats, exception.windows_open)
    closed = sum(1 for exception in exceptions if exception.windows_open is None)
    return max(seats - closed, 0)


def _exceptions(
    capacity: BookingCapacity, date_from: datetime.date, date_to: datetime.date
) -> dict[datetime.date, list[CapacityException]]:
    """The centre's exceptions in the range that concern ``capacity`` (its own or centre-wide)."""
    rows = CapacityException.objects.filter(
        Q(capacity__isnull=True) | Q(capacity=capacity),
        centre_id=capacity.centre_id,
        date__range=(date_from, date_to),
    )
    by_day: dict[datetime.date, list[CapacityException]] = {}
    for row in rows:
        by_day.setdefault(row.date, []).append(row)
    return by_day


def plan_day(
    capacity: BookingCapacity,
    day: datetime.date,
    calendar: WorkCalendar,
    exceptions: list[CapacityException] | None = None,
) -> list[PlannedSlot]:
    """The slots ``capacity`` offers on ``day`` (empty on rest days and holidays)."""
    kind = calendar.kind(day)
    if kind not in CalendarDay.WORKING_KINDS:
        return []
    periods = capacity.centre.hours.periods_on(day.weekday(), makeup=kind == CalendarDay.Kind.MAKEUP_WORKDAY)
    seats = _seats(capacity, exceptions or [])
    provisional = calendar.is_provisional(day)
    length = datetime.timedelta(minutes=capacity.slot_minutes)
    planned = []
    for opens, closes in periods:
        start = datetime.datetime.combine(day, opens, tzinfo=BEIJING)
        closing = datetime.datetime.combine(day, closes, tzinfo=BEIJING)
        while start + length <= closing:
            planned.append(PlannedSlot(start, start + length, seats, provisional))
            start += length
    return planned


@transaction.atomic
def ensure_slots(capacity: BookingCapacity, date_from: datetime.date, date_to: datetime.date) -> int:
    """Materialise ``capacity``'s slots for the days in [date_from, date_to]; returns the rows created.

    Idempotent. An existing slot gets the planned seats but never fewer than it has booked (a booked
    visit is honoured, Art. 8); a slot no longer planned (a holiday published later, a closed day)
    keeps its bookings and is closed to new ones (``seats = booked``)."""
    calendar = WorkCalendar()
    exceptions = _exceptions(capacity, date_from, date_to)
    existing = {
        (row.date, row.start): row for row in Slot.objects.filter(capacity=capacity, date__range=(date_from, date_to))
    }
    missing: list[Slot] = []
    kept: set[int] = set()
    day = date_from
    while day <= date_to:
        for planned in plan_day(capacity, day, calendar, exceptions.get(day, [])):
            row = existing.get((day, planned.start))
            if row is None:
                missing.append(
                    Slot(
                        capacity=capacity,
                        date=day,
                        start=planned.start,
                        end=planned.end,
                        seats=planned.seats,
                        provisional=planned.provisional,
                    )
                )
                continue
            kept.add(row.pk)
            if (row.seats, row.provisional, row.end) != (planned.seats, planned.provisional, planned.end):
                Slot.objects.filter(pk=row.pk).update(
                    seats=Greatest(planned.seats, F("booked")), provisional=planned.provisional, end=planned.end
                )
        day += ONE_DAY
    gone = [row.pk for row in existing.values() if row.pk not in kept and row.seats != row.booked]
    if gone:
        Slot.objects.filter(pk__in=gone).update(seats=F("booked"))
    Slot.objects.bulk_create(missing, ignore_conflicts=True)  # a concurrent ensure may have won
    return len(missing)


def horizon(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The bookable days: today to today + ``APPOINTMENT_HORIZON_DAYS`` (Beijing dates)."""
    today = today or timezone.localdate(timezone=BEIJING)
    return today, today + datetime.timedelta(days=settings.APPOINTMENT_HORIZON_DAYS)


def cutoff(slot: Slot) -> datetime.datetime:
    """Bookings, cancellations and reschedules close this long before the slot starts."""
    return slot.start - datetime.timedelta(minutes=settings.APPOINTMENT_CUTOFF_MINUTES)


def capacity_for(centre: ServiceCentre, item: ServiceItem) -> BookingCapacity | None:
    """The item's own capacity at the centre, else the centre's general one; active only."""
    rows = BookingCapacity.objects.filter(Q(item=item) | Q(item__isnull=True), centre=centre, is_active=True)
    rows = rows.select_related("centre")
    return min(rows, key=lambda row: row.item_id is None, default=None)


ENSURED_SECONDS = 60


def ensure_recently(capacity: BookingCapacity, first: datetime.date, last: datetime.date) -> None:
    """Materialise the horizon at most once a minute per capacity (the days list is read far more
    often than it changes). A changed capacity has another key; an exception re-plans its day at
    once (``services.add_exception``); a published holiday reaches the slots with the next sweep."""
    key = f"appointments:ensured:{capacity.pk}:{capacity.slot_minutes}:{capacity.windows}:{first}:{last}"
    if cache.get(key):
        return
    ensure_slots(capacity, first, last)
    cache.set(key, True, ENSURED_SECONDS)


def available_slots(
    centre: ServiceCentre, item: ServiceItem, date: datetime.date, *, now: datetime.datetime | None = None
) -> list[Slot]:
    """Free slots of ``item`` at ``centre`` on ``date`` that can still be booked now (horizon and
    cut-off applied). Materialises the day first, so the answer never depends on a sweep having run."""
    now = now or timezone.now()
    first, last = horizon(timezone.localdate(now, timezone=BEIJING))
    capacity = capacity_for(centre, item)
    if capacity is None or not first <= date <= last:
        return []
    ensure_recently(capacity, first, last)
    slots = Slot.objects.filter(capacity=capacity, date=date, booked__lt=F("seats")).order_by("start")
    return [slot for slot in slots if cutoff(slot) > now]
