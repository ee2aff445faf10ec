"""Portal pages of the catalog: the public guide (Art. 17). Parse, ask one query, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from govhall.catalog import queries
from govhall.catalog.models import ServiceItem


def item(request: HttpRequest, code: str) -> HttpResponse:
    """The published guide of one item: every element of Art. 17, from its one published version."""
    try:
        found = queries.item_detail(code)
    except ServiceItem.DoesNotExist:
        raise Http404 from None
    return render(request, "portal/catalog/item.html", {"item": found, "guide": found.published_version})
