"""Read side of the catalog: published items, guide detail and Chinese search (Art. 3, Art. 17).

Search (ARCHITECTURE.md): a normalised ``search_text`` column matched with ``contains`` — exact for
1- and 2-character Chinese queries —, aliases expanded from a synonym table, ranked in SQL: name
match above alias / keyword match above department match. PostgreSQL adds a pg_trgm GIN index.
"""

from __future__ import annotations

from django.db.models import Case, CharField, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from govhall.catalog.models import (
    FROZEN_STATUSES,
    ONLINE_DEPTH_FIELDS,
    GuideVersion,
    MaterialRequirement,
    ServiceItem,
    VersionStatus,
)
from govhall.catalog.text import normalise
from govhall.core import cache_versions

# Each group's words mean the same to an applicant: a query containing one also finds the others.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("社保", "社会保险"),
    ("营业执照", "设立登记"),
    ("户口", "户籍"),
)

RANK_NAME, RANK_ALIAS, RANK_DEPARTMENT = 3, 2, 1


def expand(query: str) -> list[str]:
    """The normalised query and its synonym variants, without duplicates: ``社保卡`` → ``[社保卡, 社会保险卡]``."""
    base = normalise(query)
    variants = [base] if base else []
    for group in SYNONYMS:
        for word in group:
            if word not in base:
                continue
            for other in group:
                variant = base.replace(word, other)
                if variant not in variants:
                    variants.append(variant)
    return variants


def published_items(
    *, theme: str | None = None, department: int | None = None, region: int | None = None, depth: str | None = None
) -> QuerySet[ServiceItem]:
    """Items with a published guide, filtered by theme code, department id, region id or online depth."""
    queryset = ServiceItem.objects.filter(published_version__isnull=False).select_related("department", "region")
    if theme:
        # JSON list of codes as text: '"birth"' matches exactly one code, on SQLite and PostgreSQL alike.
        queryset = queryset.annotate(themes_text=Cast("themes", CharField())).filter(themes_text__contains=f'"{theme}"')
    if department:
        queryset = queryset.filter(department_id=department)
    if region:
        queryset = queryset.filter(region_id=region)
    if depth in ONLINE_DEPTH_FIELDS:
        queryset = queryset.filter(**{depth: True})
    return queryset


def _any_contains(field: str, variants: list[str]) -> Q:
    condition = Q()
    for variant in variants:
        condition |= Q(**{f"{field}__icontains": variant})
    return condition


def search(
    query: str,
    theme: str | None = None,
    department: int | None = None,
    region: int | None = None,
    depth: str | None = None,
) -> QuerySet[ServiceItem]:
    """Published items matching ``query`` (or its synonyms), best first; ``rank`` is annotated."""
    variants = expand(query)
    queryset = published_items(theme=theme, department=department, region=region, depth=depth)
    if not variants:
        return queryset.annotate(rank=Value(0, output_field=IntegerField())).order_by("implementation_code")
    rank = Case(
        When(_any_contains("name", variants), then=Value(RANK_NAME)),
        When(_any_contains("aliases", variants) | _any_contains("keywords", variants), then=Value(RANK_ALIAS)),
        When(_any_contains("department__name", variants), then=Value(RANK_DEPARTMENT)),
        default=Value(0),
        output_field=IntegerField(),
    )
    matches = Q()
    for variant in variants:
        matches |= Q(search_text__contains=variant)
    return queryset.filter(matches).annotate(rank=rank).order_by("-rank", "name", "pk")


def item_detail(implementation_code: str) -> ServiceItem:
    """A published item with its current guide, materials, license types and places (one query each)."""
    materials = MaterialRequirement.objects.prefetch_related("replacing_license_types").order_by("order")
    return (
        ServiceItem.objects.filter(published_version__isnull=False)
        .select_related("department", "region", "published_version")
        .prefetch_related(
            Prefetch("published_version__materials", queryset=materials),
            "published_version__centres",
            "result_license_types",
        )
        .get(implementation_code=implementation_code)
    )


def version() -> int:
    """The catalog's cache version: pages cache fragments under it (core.cache_versions)."""
    return cache_versions.version("catalog")


def bump_version() -> None:
    """Called on commit after every catalog change, so no page shows stale content."""
    cache_versions.bump("catalog")


# --- Read functions for the channels (portal page, PDF, API, export): published data only ---


def _guide_prefetches(prefix: str) -> list[Prefetch | str]:
    materials = MaterialRequirement.objects.prefetch_related("replacing_license_types").order_by("order")
    return [Prefetch(f"{prefix}materials", queryset=materials), f"{prefix}centres__region"]


def published_catalog() -> QuerySet[ServiceItem]:
    """Every published item with everything its guide shows, for the one-file export (Art. 17)."""
    return (
        published_items()
        .select_related("published_version")
        .prefetch_related(*_guide_prefetches("published_version__"), "result_license_types")
        .order_by("implementation_code")
    )


def published_version_key(implementation_code: str) -> tuple[int, str] | None:
    """``(published version id, item update time)`` of a published item: what cached channels key on.

    One indexed query; ``None`` when the item does not exist or has no published guide.
    """
    row = (
        ServiceItem.objects.filter(implementation_code=implementation_code, published_version__isnull=False)
        .values_list("published_version_id", "updated_at")
        .first()
    )
    return None if row is None else (row[0], row[1].isoformat())


def guide_history(implementation_code: str) -> QuerySet[GuideVersion]:
    """The published and superseded versions of a published item, newest first (never a draft)."""
    return GuideVersion.objects.filter(
        item__implementation_code=implementation_code,
        item__published_version__isnull=False,
        status__in=FROZEN_STATUSES,
    ).order_by("-number")


def guide_version(implementation_code: str, number: int) -> GuideVersion:
    """One published or superseded version by number, with its materials and places (history, Art. 23)."""
    return (
        guide_history(implementation_code)
        .select_related("item__department", "item__region")
        .prefetch_related(*_guide_prefetches(""))
        .get(number=number)
    )


def published_material(implementation_code: str, order: int) -> MaterialRequirement:
    """A material of an item's published guide, by its order (blank form and sample downloads)."""
    return MaterialRequirement.objects.get(
        version__item__implementation_code=implementation_code,
        version__status=VersionStatus.PUBLISHED,
        order=order,
    )


# --- Entrances and sub-halls (issue 5, items 8 and 9) ---


def theme_counts(codes: list[str]) -> dict[str, int]:
    """Published items per theme code, in ONE query (a conditional count per code)."""
    if not codes:
        return {}
    queryset = published_items().annotate(themes_text=Cast("themes", CharField()))
    counts = {code: Count("pk", filter=Q(themes_text__contains=f'"{code}"')) for code in dict.fromkeys(codes)}
    return queryset.aggregate(**counts)


def sub_hall_items(region) -> tuple[QuerySet[ServiceItem], QuerySet[ServiceItem]]:
    """A district sub-hall's published items (Art. 2, 6): ``(own, city)``.

    ``own``: items whose region is the district. ``city``: city items (region without parent) whose
    published guide lists at least one active service centre located in the district or one of its
    streets / townships, i.e. the city items a visitor can handle there.
    """
    own = published_items(region=region.pk).order_by("name", "pk")
    centres_here = GuideVersion.centres.through.objects.filter(
        Q(servicecentre__region=region) | Q(servicecentre__region__parent=region),
        servicecentre__is_active=True,
        guideversion_id=OuterRef("published_version_id"),
    )
    city = published_items().filter(region__parent__isnull=True).filter(Exists(centres_here)).order_by("name", "pk")
    return own, city


# --- The workbench's item list: the items a staff member may work on (issue 5, items 3, 9) ---

ITEM_STATUS_FILTERS = ("draft", "submitted", "returned", "none", "to_review")


def _staff_scope(user) -> Q | None:
    """Items in a user's remit: ``None`` = all (city office); else department and region conditions."""
    from govhall.accounts.models import Role

    if user.has_role(Role.CITY_ADMIN):
        return None
    scope = Q(pk__in=[])
    assignments = user.active_assignments
    departments = [a.department_id for a in assignments if a.role in (Role.GUIDE_EDITOR, Role.DEPARTMENT_ADMIN)]
    regions = [a.region_id for a in assignments if a.role == Role.DISTRICT_ADMIN]
    if departments:
        scope |= Q(department_id__in=departments)
    if regions:
        scope |= _within(regions)
    return scope


def _within(regions: list[int]) -> Q:
    """Items whose region is one of ``regions`` or lies below one (the tree is three levels deep)."""
    return Q(region_id__in=regions) | Q(region__parent_id__in=regions) | Q(region__parent__parent_id__in=regions)


def reviewable_by(user) -> Q:
    """Items whose owning office the user is (``catalog.rules.owns_item_region`` as SQL)."""
    from govhall.accounts.models import Role

    assignments = user.active_assignments
    city = [a.region_id for a in assignments if a.role == Role.CITY_ADMIN]
    districts = [a.region_id for a in assignments if a.role == Role.DISTRICT_ADMIN]
    condition = Q(pk__in=[])
    if city:
        condition |= Q(region__parent__isnull=True, region_id__in=city)
    if districts:
        condition |= Q(region__parent__isnull=False) & _within(districts)
    return condition


def manageable_items(
    user,
    *,
    status: str | None = None,
    region: int | None = None,
    department: int | None = None,
    query: str = "",
) -> QuerySet[ServiceItem]:
    """The items a staff member works on, with ``open_status`` / ``open_id`` of the open version,
    ``published_number`` and ``last_change``; ``status="to_review"``: submitted ones they may publish."""
    from django.db.models import F, Max, Subquery
    from django.db.models.functions import Coalesce, Greatest

    from govhall.catalog.models import OPEN_STATUSES

    open_versions = GuideVersion.objects.filter(item=OuterRef("pk"), status__in=OPEN_STATUSES)
    queryset = ServiceItem.objects.select_related("department", "region").annotate(
        open_status=Subquery(open_versions.values("status")[:1]),
        open_id=Subquery(open_versions.values("pk")[:1]),
        published_number=F("published_version__number"),
        last_change=Greatest(
            "updated_at",
            Coalesce(Max("versions__created_at"), "updated_at"),
            Coalesce(Max("versions__submitted_at"), "updated_at"),
            Coalesce(Max("versions__published_at"), "updated_at"),
        ),
    )
    scope = _staff_scope(user)
    if scope is not None:
        queryset = queryset.filter(scope)
    if status == "to_review":
        queryset = queryset.filter(reviewable_by(user), open_status=VersionStatus.SUBMITTED)
    elif status == "none":
        queryset = queryset.filter(open_status__isnull=True)
    elif status in ITEM_STATUS_FILTERS:
        queryset = queryset.filter(open_status=status)
    if region:
        queryset = queryset.filter(region_id=region)
    if department:
        queryset = queryset.filter(department_id=department)
    if query.strip():
        queryset = queryset.filter(Q(name__icontains=query.strip()) | Q(implementation_code__icontains=query.strip()))
    return queryset.order_by("-last_change", "pk")


def item_versions(item_id: int) -> QuerySet[GuideVersion]:
    """An item's versions, newest first, with who submitted and published them (history, Art. 23)."""
    return (
        GuideVersion.objects.filter(item_id=item_id)
        .select_related("submitted_by", "published_by", "created_by")
        .order_by("-number")
    )


def version_for_work(version_id: int) -> GuideVersion:
    """One version with its item, materials, license types and places (editor, review, read-only view)."""
    materials = MaterialRequirement.objects.prefetch_related("replacing_license_types").order_by("order")
    return (
        GuideVersion.objects.select_related("item__department", "item__region", "item__published_version")
        .prefetch_related(Prefetch("materials", queryset=materials), "centres")
        .get(pk=version_id)
    )


def previous_version(version: GuideVersion) -> GuideVersion | None:
    """The version just before ``version`` (by number), prepared like ``version_for_work``."""
    found = (
        GuideVersion.objects.filter(item_id=version.item_id, number__lt=version.number)
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    return None if found is None else version_for_work(found)


def item_creation_scopes(user) -> tuple[QuerySet, QuerySet]:
    """``(departments, regions)`` a user may pick for a new item; the service decides in the end."""
    from govhall.directory.models import Department, Region

    scope = _staff_scope(user)
    if scope is None:
        return Department.objects.order_by("region__code", "name"), Region.objects.filter(parent__parent__isnull=True)
    assignments = user.active_assignments
    own = [a.department_id for a in assignments if a.department_id and a.role in ("guide_editor", "department_admin")]
    regions = [a.region_id for a in assignments if a.role == "district_admin"]
    departments = Department.objects.filter(
        Q(pk__in=own) | Q(region_id__in=regions) | Q(region__parent_id__in=regions)
    ).order_by("region__code", "name")
    region_qs = Region.objects.filter(
        Q(pk__in=regions) | Q(parent_id__in=regions) | Q(departments__pk__in=own)
    ).distinct()
    return departments, region_qs
