"""Portal search over the published catalog (ARCHITECTURE.md, "search"). Parse, ask one query, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from govhall.catalog import queries
from govhall.catalog.models import ONLINE_DEPTH_FIELDS
from govhall.catalog.themes import THEME_CODES

SEARCH_LIMIT = 50


def search(request: HttpRequest) -> HttpResponse:
    """``/search/?q=社保&theme=retirement&depth=full_online``: published items, best match first."""
    query = request.GET.get("q", "").strip()[:50]
    theme = request.GET.get("theme") if request.GET.get("theme") in THEME_CODES else None
    depth = request.GET.get("depth") if request.GET.get("depth") in ONLINE_DEPTH_FIELDS else None
    results = queries.search(query, theme=theme, depth=depth)[:SEARCH_LIMIT] if (query or theme or depth) else []
    return render(request, "portal/catalog/search.html", {"query": query, "results": results})
