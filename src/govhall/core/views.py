"""Cross-cutting views: the health check and the friendly error pages (JSON under /api/)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from govhall.core.tasks import HEARTBEAT_KEY, HEARTBEAT_STALE_SECONDS


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, cache and worker heartbeat; 503 when the database or the cache is down."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # a health check reports, it does not raise
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("healthz:probe", "1", 10)
        checks["cache"] = "ok" if cache.get("healthz:probe") == "1" else "error: read-back"
    except Exception as exc:
        checks["cache"] = f"error: {exc.__class__.__name__}"
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception:
        beat = None
    if beat is None:
        checks["worker"] = "missing"
    elif time.time() - float(beat) > HEARTBEAT_STALE_SECONDS:
        checks["worker"] = "stale"
    else:
        checks["worker"] = "ok"
    healthy = checks["database"] == "ok" and checks["cache"] == "ok"
    body = {"status": "ok" if healthy else "error", "time": timezone.now().isoformat(), "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)


def bare(request: HttpRequest) -> HttpResponse:
    """The benchmark's baseline: the cheapest response this Django stack can give."""
    return HttpResponse(b"ok", content_type="text/plain")


ERRORS = {
    400: (_("请求无效"), "Bad request", "bad_request"),
    403: (_("没有访问权限"), "Permission denied", "permission_denied"),
    404: (_("页面不存在"), "Not found", "not_found"),
    500: (_("系统繁忙"), "Server error", "server_error"),
}


def _error(request: HttpRequest, status: int, detail: str = "") -> HttpResponse:
    title, title_en, code = ERRORS[status]
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": str(title), "fields": {}}, status=status)
    context = {"status": status, "title": title, "title_en": title_en, "detail": detail}
    return render(request, "errors/error.html", context, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500)
