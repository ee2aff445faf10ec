"""Read side of appointments: the booking flow's choices, one person's bookings, a centre's day, and
the supervision figures and staff cancellations (Art. 8)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, F, IntegerField, Max, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from govhall.accounts.models import Role
from govhall.catalog.models import MaterialRequirement, ServiceItem
from govhall.core.workdays.calendar import BEIJING, WorkCalendar
from govhall.directory.models import Region, ServiceCentre

from .models import Appointment, BookingCapacity, Slot, StaffCancellation, Status
from .slots import capacity_for, ensure_recently, horizon


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


# --- the booking flow (portal and API read the same answers) ---------------------------------------


def bookable_item(code: str) -> ServiceItem | None:
    """A published item that takes bookings, by implementation code (``None`` otherwise)."""
    return (
        ServiceItem.objects.filter(implementation_code=code, booking=True, published_version__isnull=False)
        .select_related("published_version", "department")
        .first()
    )


def bookable_centres(item: ServiceItem) -> list[ServiceCentre]:
    """The item's published guide places that receive booked visits for it (an active capacity)."""
    centres = item.published_version.centres.filter(is_active=True).order_by("pk")
    with_capacity = set(
        BookingCapacity.objects.filter(Q(item=item) | Q(item__isnull=True), is_active=True).values_list(
            "centre_id", flat=True
        )
    )
    return [centre for centre in centres if centre.pk in with_capacity]


def bookable_centre(item: ServiceItem, centre_code: str) -> ServiceCentre | None:
    return next((centre for centre in bookable_centres(item) if centre.code == centre_code), None)


@dataclass(frozen=True)
class BookableDay:
    date: datetime.date
    free: int
    provisional: bool


def bookable_days(
    centre: ServiceCentre, item: ServiceItem, *, now: datetime.datetime | None = None
) -> list[BookableDay]:
    """Working days of the horizon with free seats still before their cut-off (provisional days
    marked). Materialises the horizon once, then one aggregate query."""
    now = now or timezone.now()
    capacity = capacity_for(centre, item)
    if capacity is None:
        return []
    first, last = horizon(timezone.localdate(now, timezone=BEIJING))
    ensure_recently(capacity, first, last)
    earliest = now + datetime.timedelta(minutes=settings.APPOINTMENT_CUTOFF_MINUTES)
    rows = (
        Slot.objects.filter(capacity=capacity, date__range=(first, last), booked__lt=F("seats"), start__gt=earliest)
        .values("date")
        .annotate(free=Sum(F("seats") - F("booked")), provisional=Max(Cast("provisional", IntegerField())))
        .order_by("date")
    )
    calendar = WorkCalendar()
    return [
        BookableDay(row["date"], row["free"], bool(row["provisional"]))
        for row in rows
        if calendar.is_working_day(row["date"])
    ]


def materials_to_bring(item: ServiceItem) -> list[MaterialRequirement]:
    """The published guide's materials, listed on the confirmation page (what to bring)."""
    return list(MaterialRequirement.objects.filter(version_id=item.published_version_id).order_by("order"))


def my_appointment(user: Any, pk: int) -> Appointment | None:
    """One of the user's own bookings; someone else's is simply not found."""
    return my_appointments(user).filter(pk=pk).first()


def open_appointments(user: Any) -> QuerySet[Appointment]:
    return my_appointments(user).filter(status=Status.BOOKED)


# --- the centre ------------------------------------------------------------------------------------


def staff_centres(user: Any) -> list[ServiceCentre]:
    """Centres where the user is window staff (a centre-scoped role)."""
    ids = [a.centre_id for a in user.active_assignments if a.role == Role.WINDOW_STAFF and a.centre_id]
    return list(ServiceCentre.objects.filter(pk__in=ids).order_by("pk"))


def overseen_centres(user: Any) -> QuerySet[ServiceCentre]:
    """Centres in the regions the user's city/district office covers."""
    regions = _overseen_regions(user)
    if not regions:
        return ServiceCentre.objects.none()
    within = Q(pk__in=regions) | Q(parent_id__in=regions) | Q(parent__parent_id__in=regions)
    return ServiceCentre.objects.filter(region__in=Region.objects.filter(within)).order_by("pk")


def day_list(centre: ServiceCentre, date: datetime.date) -> QuerySet[Appointment]:
    """A centre's bookings on one day, by time (the window's day view)."""
    return (
        Appointment.objects.filter(centre=centre, slot__date=date)
        .select_related("applicant", "item", "slot")
        .order_by("slot__start", "pk")
    )


@dataclass(frozen=True)
class CentreFigures:
    centre: str
    bookings: int
    served: int
    no_shows: int
    staff_cancelled: int
    no_show_rate: float | None
    avg_wait_minutes: float | None


def supervision_figures(user: Any, date_from: datetime.date, date_to: datetime.date) -> list[CentreFigures]:
    """Per overseen centre (Art. 8): bookings, no-show rate among visits that were due, staff
    cancellations and the mean wait from check-in to served. One aggregate query."""
    rows = (
        Appointment.objects.filter(centre__in=overseen_centres(user), slot__date__range=(date_from, date_to))
        .values("centre__name")
        .annotate(
            bookings=Count("pk"),
            served=Count("pk", filter=Q(status=Status.SERVED)),
            no_shows=Count("pk", filter=Q(status=Status.NO_SHOW)),
            attended=Count("pk", filter=Q(status__in=[Status.SERVED, Status.CHECKED_IN])),
            staff_cancelled=Count("pk", filter=Q(status=Status.CANCELLED_BY_STAFF)),
            wait=Avg(F("served_at") - F("checked_in_at"), filter=Q(status=Status.SERVED)),
        )
        .order_by("centre__name")
    )
    figures = []
    for row in rows:
        due = row["attended"] + row["no_shows"]
        wait = row["wait"]
        figures.append(
            CentreFigures(
                centre=row["centre__name"],
                bookings=row["bookings"],
                served=row["served"],
                no_shows=row["no_shows"],
                staff_cancelled=row["staff_cancelled"],
                no_show_rate=row["no_shows"] / due if due else None,
                avg_wait_minutes=round(_minutes(wait), 1) if wait is not None else None,
            )
        )
    return figures


def _minutes(wait: Any) -> float:
    """SQLite returns the average duration as microseconds, PostgreSQL as a timedelta."""
    if isinstance(wait, datetime.timedelta):
        return wait.total_seconds() / 60
    return float(wait) / 60_000_000
