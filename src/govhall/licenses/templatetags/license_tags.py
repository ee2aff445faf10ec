"""Template helpers for pages outside the licenses app (the apply form, the acceptor's detail)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def license_outages(requirement: Any) -> list[Any]:
    """Outage notices (Art. 14 para 3) in force for the license types that replace ``requirement``."""
    from govhall.applications.license_materials import outage_notices

    return outage_notices(requirement)
