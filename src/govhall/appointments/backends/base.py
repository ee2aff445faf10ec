"""The appointment backend plugin point (issue 6, item 6).

Shaped like Open Forms' appointment plugins: products → locations → dates → times → book / cancel.
The built-in scheduler (``contrib/builtin``) is the default; a centre running its own queue
management system (JCC, Qmatic, a local 排队叫号 system) gets a plugin here instead, chosen per
centre by ``APPOINTMENT_CENTRE_BACKENDS``.
"""

from __future__ import annotations

import abc
import datetime
from typing import Any, ClassVar

from govhall.catalog.models import ServiceItem
from govhall.directory.models import ServiceCentre

from ..models import Appointment, Slot


class AppointmentBackend(abc.ABC):
    """One scheduling system. Every method returns the hall's own objects, so the faces never know
    which backend answered."""

    identifier: ClassVar[str]

    @abc.abstractmethod
    def products(self, centre: ServiceCentre) -> list[ServiceItem]:
        """Items that can be booked at ``centre``."""

    @abc.abstractmethod
    def locations(self, item: ServiceItem) -> list[ServiceCentre]:
        """Centres (of this backend) where ``item`` can be booked."""

    @abc.abstractmethod
    def dates(
        self, item: ServiceItem, centre: ServiceCentre, *, now: datetime.datetime | None = None
    ) -> list[datetime.date]:
        """Days with at least one free slot, within the booking horizon."""

    @abc.abstractmethod
    def times(
        self, item: ServiceItem, centre: ServiceCentre, day: datetime.date, *, now: datetime.datetime | None = None
    ) -> list[Slot]:
        """Free slots on ``day``."""

    @abc.abstractmethod
    def book(self, applicant: Any, item: ServiceItem, slot: Slot) -> Appointment:
        """Book, or raise ``ValidationError`` with the reason (e.g. the slot was just taken)."""

    @abc.abstractmethod
    def cancel(self, appointment: Appointment, by: Any) -> Appointment:
        """Cancel on the applicant's behalf, or raise ``ValidationError`` (e.g. past the cut-off)."""
