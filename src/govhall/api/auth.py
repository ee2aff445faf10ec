"""API authentication: the browser session or a bearer token; staff sessions only when verified
with the second factor (a password-only staff session gets nothing from the API)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from govhall.accounts import tokens


def _fully_authenticated(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_applicant or (hasattr(user, "is_verified") and user.is_verified())


class VerifiedSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if _fully_authenticated(request.user) else None


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = tokens.authenticate(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), VerifiedSessionAuth()]
