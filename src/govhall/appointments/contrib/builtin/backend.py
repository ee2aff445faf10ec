"""The built-in scheduler: slots materialised from office hours and the working-day calendar."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from govhall.appointments import services
from govhall.appointments.backends.base import AppointmentBackend
from govhall.appointments.backends.registry import registry
from govhall.appointments.models import Appointment, BookingCapacity, Slot
from govhall.appointments.slots import available_slots, horizon
from govhall.catalog.models import GuideVersion, ServiceItem
from govhall.core.workdays.calendar import BEIJING
from govhall.directory.models import ServiceCentre


def _handled_at(centre_id: Any) -> Exists:
    """The item's published guide lists the centre as a place where it is handled."""
    return Exists(
        GuideVersion.centres.through.objects.filter(
            guideversion_id=OuterRef("published_version_id"), servicecentre_id=centre_id
        )
    )


@registry.register("builtin")
class BuiltinBackend(AppointmentBackend):
    def products(self, centre: ServiceCentre) -> list[ServiceItem]:
        capacities = BookingCapacity.objects.filter(centre=centre, is_active=True)
        if not capacities.exists():
            return []
        items = ServiceItem.objects.filter(booking=True).filter(_handled_at(centre.pk))
        if not capacities.filter(item__isnull=True).exists():
            items = items.filter(pk__in=capacities.values("item"))
        return list(items.order_by("name"))

    def locations(self, item: ServiceItem) -> list[ServiceCentre]:
        if not item.booking or item.published_version_id is None:
            return []
        capacity = BookingCapacity.objects.filter(
            Q(item=item) | Q(item__isnull=True), centre=OuterRef("pk"), is_active=True
        )
        places = item.published_version.centres.filter(is_active=True).filter(Exists(capacity))
        return list(places.order_by("code"))

    def dates(
        self, item: ServiceItem, centre: ServiceCentre, *, now: datetime.datetime | None = None
    ) -> list[datetime.date]:
        now = now or timezone.now()
        first, last = horizon(timezone.localdate(now, timezone=BEIJING))
        day, days = first, []
        while day <= last:
            if self.times(item, centre, day, now=now):
                days.append(day)
            day += datetime.timedelta(days=1)
        return days

    def times(
        self, item: ServiceItem, centre: ServiceCentre, day: datetime.date, *, now: datetime.datetime | None = None
    ) -> list[Slot]:
        return available_slots(centre, item, day, now=now)

    def book(self, applicant: Any, item: ServiceItem, slot: Slot) -> Appointment:
        return services.book(applicant, item, slot)

    def cancel(self, appointment: Appointment, by: Any) -> Appointment:
        return services.cancel_by_applicant(appointment, by)


__all__ = ["BuiltinBackend"]
