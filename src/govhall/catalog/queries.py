"""Read side of the catalog: published items, guide detail and Chinese search (Art. 3, Art. 17).

Search (ARCHITECTURE.md): a normalised ``search_text`` column matched with ``contains`` — exact for
1- and 2-character Chinese queries —, aliases expanded from a synonym table, ranked in SQL: name
match above alias / keyword match above department match. PostgreSQL adds a pg_trgm GIN index.
"""

from __future__ import annotations

from django.db.models import Case, CharField, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from govhall.catalog.models import ONLINE_DEPTH_FIELDS, MaterialRequirement, ServiceItem
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
