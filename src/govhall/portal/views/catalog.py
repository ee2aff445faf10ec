"""Portal pages of the catalog: the public guide (Art. 17), its downloads, its printable window copy
and the machine-readable export. Every channel renders the published version only (Art. 3(3)).
"""

from __future__ import annotations

from django.core.cache import caches
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from govhall.catalog import downloads, export, pdf, queries
from govhall.catalog.models import MaterialRequirement
from govhall.core.page_cache import public_page
from govhall.directory import queries as directory_queries

PAGE_TIMEOUT = 24 * 3600


def _page_key(code: str, version_id: int) -> str:
    """Changes on publish (new version id, new catalog version) and when a place's hours change."""
    return f"catalog:guide-page:{code}:{version_id}:{queries.version()}:{directory_queries.version()}:{get_language()}"


def _guide_page(code: str) -> dict[str, str] | None:
    """The rendered page body and title, from the cache or rendered once per published version."""
    found = queries.published_version_key(code)
    if found is None:
        return None
    key = _page_key(code, found[0])
    page = caches["pages"].get(key)
    if page is None:
        item = queries.item_detail(code)
        body = render_to_string("portal/catalog/_guide_page.html", export.guide_context(item))
        page = {"title": item.name, "body": body}
        caches["pages"].set(key, page, PAGE_TIMEOUT)
    return page


@public_page("catalog", "directory")
def item(request: HttpRequest, code: str) -> HttpResponse:
    """The published guide of one item: every element of Art. 17, from its one published version."""
    page = _guide_page(code)
    if page is None:
        raise Http404
    body = mark_safe(page["body"])  # noqa: S308 (rendered by our own template, escaped there)
    return render(request, "portal/catalog/item.html", {"title": page["title"], "body": body})


def guide_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The printable A4 window copy of the published guide (the same content as the page)."""
    content = pdf.guide_pdf(code)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="guide-{code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def material_file(request: HttpRequest, code: str, order: int, kind: str) -> FileResponse:
    """A published material's blank form or filled sample, streamed through the storage API."""
    try:
        material = queries.published_material(code, order)
    except MaterialRequirement.DoesNotExist:
        raise Http404 from None
    return downloads.material_file_response(material, kind)


def catalog_export(request: HttpRequest) -> HttpResponse:
    """The whole published catalog as one JSON file (cached per catalog version)."""
    response = HttpResponse(export.export_json(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="govhall-catalog.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
