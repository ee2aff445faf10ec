"""Template filters shared by the portal and the workbench: ``{% load govhall %}``.

Names of regions, service centres and departments are data, not interface strings: the catalogue
cannot translate them. Each model keeps an optional ``name_en``; these filters pick it in English.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def _english() -> bool:
    return (get_language() or "").split("-")[0] == "en"


@register.filter
def localized_name(obj) -> str:
    """``obj.name_en`` when the interface is English and it is filled in, else ``obj.name``.

    Works for any object with ``name`` and ``name_en`` (Region, ServiceCentre, Department); Chinese
    stays the default, so a missing English name shows the official Chinese one.
    """
    if obj is None:
        return ""
    if _english():
        name_en = (getattr(obj, "name_en", "") or "").strip()
        if name_en:
            return name_en
    return getattr(obj, "name", "") or str(obj)


@register.filter
def localized_title(sub_hall) -> str:
    """A sub-hall's title: the edited Chinese title, or "<region's English name> Sub-hall" in English."""
    if sub_hall is None:
        return ""
    if _english():
        name_en = (getattr(sub_hall.region, "name_en", "") or "").strip()
        if name_en:
            return _("%(region)s分厅") % {"region": name_en}
    return sub_hall.title
