"""Catalog template filters: ``{% load catalog_tags %}``."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from govhall.catalog.highlight import highlight as _highlight

register = template.Library()


@register.filter
def highlight(text: str, variants: Iterable[str] | None) -> SafeString:
    """``{{ item.name|highlight:variants }}``: the text escaped, the query's matches in ``<mark>``."""
    return _highlight(text, variants or ())
