"""Read side of the directory: optimised querysets for the portal, the workbench and the API."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet

from govhall.core import cache_versions
from govhall.directory.models import (
    SUB_HALL_KINDS,
    Department,
    Region,
    ServiceCentre,
    SubHall,
    Window,
)


def city() -> Region:
    return Region.objects.get(parent__isnull=True)


def regions(*, parent_code: str | None = None) -> QuerySet[Region]:
    queryset = Region.objects.select_related("parent")
    if parent_code:
        queryset = queryset.filter(parent__code=parent_code)
    return queryset


def sub_halls() -> QuerySet[SubHall]:
    """Published sub-halls in the order of the region tree, with their centre count."""
    return (
        SubHall.objects.filter(is_published=True, region__kind__in=SUB_HALL_KINDS)
        .select_related("region")
        .annotate(centre_count=Count("region__centres", filter=Q(region__centres__is_active=True)))
    )


def sub_hall_by_code(code: str) -> SubHall:
    return SubHall.objects.select_related("region").get(region__code=code, is_published=True)


def centres(*, region_code: str | None = None, include_streets: bool = True) -> QuerySet[ServiceCentre]:
    queryset = ServiceCentre.objects.filter(is_active=True).select_related("region")
    if region_code:
        queryset = queryset.filter(Q(region__code=region_code) | Q(region__parent__code=region_code))
    if not include_streets:
        queryset = queryset.exclude(level="street")
    return queryset


def centre_by_code(code: str) -> ServiceCentre:
    windows = Window.objects.filter(is_active=True).select_related("department")
    return (
        ServiceCentre.objects.select_related("region")
        .prefetch_related(
            Prefetch("windows", queryset=windows, to_attr="active_windows"),
            Prefetch(
                "departments",
                queryset=Department.objects.filter(is_active=True),
                to_attr="resident_departments",
            ),
        )
        .get(code=code, is_active=True)
    )


def departments(*, region_code: str | None = None) -> QuerySet[Department]:
    """Active departments; ``region_code`` and ``centre_code`` are annotated for the API's flat rows."""
    queryset = (
        Department.objects.filter(is_active=True)
        .select_related("region", "centre")
        .annotate(region_code=F("region__code"), centre_code=F("centre__code"))
    )
    if region_code:
        queryset = queryset.filter(region__code=region_code)
    return queryset


def administered_region_ids(user) -> list[int] | None:
    """Regions a user administers: ``None`` means every region (the city office)."""
    if user.has_role("city_admin"):
        return None
    return [a.region_id for a in user.active_assignments if a.role == "district_admin"]


def manageable_sub_halls(user) -> QuerySet[SubHall]:
    """The sub-halls a user may edit: all for the city office, their district's for a district office."""
    region_ids = administered_region_ids(user)
    queryset = SubHall.objects.select_related("region")
    return queryset if region_ids is None else queryset.filter(region_id__in=region_ids)


def manageable_centres(user) -> QuerySet[ServiceCentre]:
    """Centres in the regions the user administers (a district's street centres included)."""
    region_ids = administered_region_ids(user)
    queryset = ServiceCentre.objects.select_related("region")
    if region_ids is None:
        return queryset
    return queryset.filter(Q(region_id__in=region_ids) | Q(region__parent_id__in=region_ids))


def version() -> int:
    """The directory's cache version: pages cache fragments under it (core.cache_versions)."""
    return cache_versions.version("directory")


def bump_version() -> None:
    """Called on commit after every directory change, so no page shows stale content."""
    cache_versions.bump("directory")
