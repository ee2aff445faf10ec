"""Read side of appointments: one person's bookings, and the supervision list of staff cancellations."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from govhall.accounts.models import Role
from govhall.directory.models import Region

from .models import Appointment, StaffCancellation


def my_appointments(user: Any) -> QuerySet[Appointment]:
    """A person's own bookings, newest slot first (nobody else's: the filter is the permission)."""
    return (
        Appointment.objects.filter(applicant_id=user.pk)
        .select_related("item", "centre", "slot")
        .order_by("-slot__start")
    )


def _overseen_regions(user: Any) -> list[int]:
    """Regions whose offices the user holds (city or district admin); each covers its descendants."""
    return [
        assignment.region_id
        for assignment in user.active_assignments
        if assignment.role in (Role.CITY_ADMIN, Role.DISTRICT_ADMIN) and assignment.region_id
    ]


def staff_cancellations(visible_to: Any) -> QuerySet[StaffCancellation]:
    """Staff cancellations with reasons at the centres the user's office oversees (Art. 8)."""
    regions = _overseen_regions(visible_to)
    if not regions:
        return StaffCancellation.objects.none()
    within = Q(pk__in=regions) | Q(parent_id__in=regions) | Q(parent__parent_id__in=regions)
    return (
        StaffCancellation.objects.filter(centre__region__in=Region.objects.filter(within))
        .select_related("appointment__item", "centre", "by")
        .order_by("-at")
    )
