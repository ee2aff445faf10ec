"""Portal pages (public and applicants): parse, ask one query or service, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from govhall.catalog import queries as catalog_queries
from govhall.core.context_processors import ELDER_MODE_COOKIE
from govhall.core.page_cache import public_page
from govhall.core.web import safe_next
from govhall.directory import queries
from govhall.directory.models import CentreLevel, Region, ServiceCentre, SubHall
from govhall.portal.themes import ENTERPRISE_THEMES, PERSONAL_THEMES


@public_page("catalog", "directory")
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "sub_halls": queries.sub_halls(),
        "city_centres": queries.centres(include_streets=False).filter(level=CentreLevel.CITY),
        "personal_themes": PERSONAL_THEMES,
        "enterprise_themes": ENTERPRISE_THEMES,
        "directory_version": queries.version(),
    }
    return render(request, "portal/home.html", context)


@public_page("catalog", "directory")
def entrance(request: HttpRequest, audience: str) -> HttpResponse:
    """个人办事 / 法人办事: the life events or enterprise stages with their item counts, and the city's
    departments; each tile and department links to the search filtered by it."""
    themes = PERSONAL_THEMES if audience == "personal" else ENTERPRISE_THEMES
    counts = catalog_queries.theme_counts([code for code, _label, _icon in themes])
    context = {
        "audience": audience,
        "themes": [(code, label, icon, counts.get(code, 0)) for code, label, icon in themes],
        "departments": queries.departments().filter(level="city"),
    }
    return render(request, "portal/entrance.html", context)


@public_page("catalog", "directory")
def sub_halls(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/sub_halls.html", {"sub_halls": queries.sub_halls()})


@public_page("catalog", "directory")
def sub_hall(request: HttpRequest, code: str) -> HttpResponse:
    try:
        hall = queries.sub_hall_by_code(code)
    except SubHall.DoesNotExist:
        raise Http404 from None
    own_items, city_items = catalog_queries.sub_hall_items(hall.region)
    context = {
        "sub_hall": hall,
        "centres": queries.centres(region_code=code),
        "departments": queries.departments(region_code=code),
        "own_items": own_items,
        "city_items": city_items,
    }
    return render(request, "portal/sub_hall.html", context)


@public_page("catalog", "directory")
def centres(request: HttpRequest) -> HttpResponse:
    by_level = {level: [] for level in CentreLevel}
    for centre in queries.centres():
        by_level[CentreLevel(centre.level)].append(centre)
    return render(request, "portal/centres.html", {"by_level": [(lvl.label, by_level[lvl]) for lvl in CentreLevel]})


@public_page("catalog", "directory")
def centre(request: HttpRequest, code: str) -> HttpResponse:
    try:
        found = queries.centre_by_code(code)
    except ServiceCentre.DoesNotExist:
        raise Http404 from None
    return render(request, "portal/centre.html", {"centre": found})


@public_page("catalog", "directory")
def departments(request: HttpRequest) -> HttpResponse:
    grouped: dict[Region, list] = {}  # keyed by region so the template can show its English name
    for department in queries.departments():
        grouped.setdefault(department.region, []).append(department)
    return render(request, "portal/departments.html", {"grouped": grouped})


@require_POST
def elder_mode(request: HttpRequest) -> HttpResponse:
    """Remember the elder-friendly display for a year (适老化: larger type, higher contrast)."""
    response = HttpResponseRedirect(safe_next(request))
    if request.POST.get("elder_mode") == "1":
        response.set_cookie(
            ELDER_MODE_COOKIE,
            "1",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    else:
        response.delete_cookie(ELDER_MODE_COOKIE, samesite="Lax")
    return response
