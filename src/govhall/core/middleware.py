"""Request middleware shared by every face."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def client_ip(request: HttpRequest) -> str:
    """The client's address: from the trusted proxy's header if one is configured, else the socket.

    With ``TRUSTED_PROXY_HEADER=X-Forwarded-For`` and ``TRUSTED_PROXY_COUNT=1`` the last address the
    proxy appended is used; anything a client put further left is ignored, since it can be forged.
    """
    header = settings.TRUSTED_PROXY_HEADER
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        chain = [part.strip() for part in request.META.get(meta_key, "").split(",") if part.strip()]
        if len(chain) >= settings.TRUSTED_PROXY_COUNT:
            return chain[-settings.TRUSTED_PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


class ClientIPMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = client_ip(request)
        return self.get_response(request)
