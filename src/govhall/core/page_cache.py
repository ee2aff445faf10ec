"""Whole-page cache for anonymous visitors of public pages (guides, entrances, sub-halls).

An anonymous page depends only on its URL, the language, the display mode and the data it shows;
the data's cache versions (``core.cache_versions``) are part of the key, so a publish is visible at
once in every process. Visitors with a session (logged in, or holding flash messages) bypass the
cache. The CSRF tokens in the cached HTML are replaced by the visitor's own on every hit.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from govhall.core import cache_versions
from govhall.core.context_processors import ELDER_MODE_COOKIE

PAGE_TIMEOUT = 24 * 3600
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage


def _cacheable(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return request.method == "GET" and settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def _key(request: HttpRequest, names: tuple[str, ...]) -> str:
    versions = ".".join(str(v) for v in cache_versions.versions(*names))
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    elder = request.COOKIES.get(ELDER_MODE_COOKIE) == "1"
    return f"page:{get_language()}:{int(elder)}:{versions}:{path}"


def _with_own_tokens(request: HttpRequest, content: bytes) -> bytes:
    return CSRF_INPUT.sub(lambda m: m.group(1) + get_token(request).encode() + m.group(2), content)


def public_page(*names: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Cache a view's 200 responses for anonymous visitors under the cache versions ``names``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            key = _key(request, names)
            stored = caches["pages"].get(key)
            if stored is not None:
                content, content_type = stored
                return HttpResponse(_with_own_tokens(request, content), content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                caches["pages"].set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
            return response

        return wrapped

    return decorator
