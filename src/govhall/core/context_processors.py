"""Template context every page needs: the hall's identity and the visitor's display mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

ELDER_MODE_COOKIE = "elder_mode"


def hall(request: HttpRequest) -> dict[str, Any]:
    return {
        "HALL": settings.HALL,
        "elder_mode": request.COOKIES.get(ELDER_MODE_COOKIE) == "1",
    }
