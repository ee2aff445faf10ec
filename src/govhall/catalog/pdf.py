"""Printable copies: Django HTML templates rendered to PDF by WeasyPrint (ARCHITECTURE.md).

One renderer for guides, notices and licenses. The templates name Noto Sans / Serif CJK (Debian
``fonts-noto-cjk``); WeasyPrint embeds the subset of glyphs used, so a window copy prints the same
characters on any machine — rare characters in names included (GB 18030-2022).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.translation import get_language

from govhall.catalog import export, queries
from govhall.directory import queries as directory_queries

GUIDE_TEMPLATE = "portal/catalog/guide_print.html"
# A week: the key changes with the version anyway; this only bounds an unused entry's life.
GUIDE_PDF_TIMEOUT = 7 * 24 * 3600


def render_pdf(template: str, context: dict[str, Any], base_url: str | None = None) -> bytes:
    """Render ``template`` with ``context`` and return the PDF bytes (the template sets ``@page``)."""
    import weasyprint  # heavy import (Pango, fonts): only processes that print pay for it

    html = render_to_string(template, context)
    return weasyprint.HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf()


def guide_pdf(implementation_code: str) -> bytes | None:
    """The printable window copy of an item's published guide, cached per published version
    (rendering takes about a second); ``None`` when the item has no published guide.

    The key also carries the item's update time (codes, depth, department) and the directory
    version (the places and hours printed on it), so the copy never differs from the page.
    """
    found = queries.published_version_key(implementation_code)
    if found is None:
        return None
    version_id, updated_at = found
    key = (
        f"catalog:guide-pdf:{implementation_code}:{version_id}:{updated_at}:"
        f"{directory_queries.version()}:{get_language()}"
    )
    pdf = caches["pages"].get(key)
    if pdf is None:
        item = queries.item_detail(implementation_code)
        pdf = render_pdf(GUIDE_TEMPLATE, export.guide_context(item))
        caches["pages"].set(key, pdf, GUIDE_PDF_TIMEOUT)
    return pdf
