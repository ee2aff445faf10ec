"""Scheduled work of appointments (django-q2 schedule ``appointments.sweep``, see ``setup_schedules``)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from govhall.core.workdays.calendar import BEIJING

from . import services
from .models import BookingCapacity
from .slots import ensure_slots, horizon


def ensure_horizon() -> int:
    """Materialise every active capacity's slots for the booking horizon (idempotent)."""
    first, last = horizon(timezone.localdate(timezone=BEIJING))
    created = 0
    for capacity in BookingCapacity.objects.filter(is_active=True, centre__is_active=True).select_related("centre"):
        created += ensure_slots(capacity, first, last + datetime.timedelta(days=1))
    return created


def sweep() -> dict[str, int]:
    """Mark no-shows (restricting repeat offenders), queue the day-before reminders, and keep the
    horizon's slots materialised."""
    return {
        "no_shows": services.sweep_no_shows(),
        "reminders": services.send_reminders(),
        "slots_created": ensure_horizon(),
    }
