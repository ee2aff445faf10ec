"""Portal search over the published catalog (ARCHITECTURE.md, "search"). Parse, ask one query, render.

Every filter is a plain GET parameter, so a result page is a link that can be shared, bookmarked and
opened from the entrances (``/search/?theme=birth``) or a department list (``?department=12``).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from govhall.catalog import queries
from govhall.catalog.models import ONLINE_DEPTH_FIELDS, ServiceItem
from govhall.catalog.themes import ENTERPRISE_THEMES, PERSONAL_THEMES, THEME_CODES
from govhall.core.page_cache import public_page
from govhall.directory import queries as directory_queries
from govhall.directory.models import SUB_HALL_KINDS

PAGE_SIZE = 20
QUERY_MAX_LENGTH = 50
SUGGESTIONS = ("社保", "营业执照", "户口", "婚姻登记", "驾驶证")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _filters(params: QueryDict) -> dict:
    """The valid filters of the request; anything unknown is ignored, never an error page."""
    return {
        "theme": params.get("theme") if params.get("theme") in THEME_CODES else None,
        "department": _int(params.get("department")),
        "region": _int(params.get("region")),
        "depth": params.get("depth") if params.get("depth") in ONLINE_DEPTH_FIELDS else None,
    }


def _choices() -> dict:
    """The options of the filter form: themes, departments, regions (city and sub-halls), depths."""
    themes = dict((code, label) for code, label, _icon in PERSONAL_THEMES + ENTERPRISE_THEMES)
    return {
        "theme_choices": list(themes.items()),
        "department_choices": directory_queries.departments(),
        "region_choices": directory_queries.regions().filter(kind__in=["city", *SUB_HALL_KINDS]),
        "depth_choices": [(name, ServiceItem._meta.get_field(name).verbose_name) for name in ONLINE_DEPTH_FIELDS],
    }


@public_page("catalog", "directory")
def search(request: HttpRequest) -> HttpResponse:
    """``/search/?q=社保&theme=retirement&depth=full_online&page=2``: published items, best match first."""
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    filters = _filters(request.GET)
    searched = bool(query or any(filters.values()))
    page = None
    if searched:
        page = Paginator(queries.search(query, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    paging = request.GET.copy()
    paging.pop("page", None)
    context = {
        "query": query,
        "filters": filters,
        "searched": searched,
        "page": page,
        "variants": queries.expand(query),
        "paging_query": paging.urlencode(),
        "suggestions": SUGGESTIONS,
        "clear_url": reverse("portal:search") + (f"?{urlencode({'q': query})}" if query else ""),
        **_choices(),
    }
    return render(request, "portal/catalog/search.html", context)
