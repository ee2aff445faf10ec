"""The approved FAQ entries of an item, for its guide page (cached with the page under the catalog
version, which ``services.decide_faq`` bumps on approval)."""

from __future__ import annotations

from django import template

from govhall.feedback import queries

register = template.Library()


@register.inclusion_tag("portal/feedback/_faqs.html")
def item_faqs(code: str) -> dict:
    return {"faqs": list(queries.published_faqs(code)[:20])}
