"""Demo capacities (issue 6): every Changchun centre that a bookable demo item's published guide
names receives booked visits, with 30-minute slots and windows by centre level; the horizon's slots
are materialised at once. Idempotent and fast (a few queries per centre)."""

from __future__ import annotations

from govhall.catalog.models import GuideVersion, ServiceItem

from .models import BookingCapacity
from .tasks import ensure_horizon

WINDOWS_BY_LEVEL = {"city": 3, "district": 2}


def load() -> int:
    """Give each place of a bookable published item a general capacity; returns the slots created."""
    versions = ServiceItem.objects.filter(booking=True, published_version__isnull=False).values("published_version_id")
    places = GuideVersion.centres.through.objects.filter(guideversion_id__in=versions)
    for row in places.values("servicecentre_id", "servicecentre__level").distinct():
        BookingCapacity.objects.get_or_create(
            centre_id=row["servicecentre_id"],
            item=None,
            defaults={"slot_minutes": 30, "windows": WINDOWS_BY_LEVEL.get(row["servicecentre__level"], 1)},
        )
    return ensure_horizon()
