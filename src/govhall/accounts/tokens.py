"""Bearer tokens for the REST API: ``<prefix>.<secret>``; the database keeps a hash only."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.utils import timezone

from govhall.accounts.models import ApiToken, User
from govhall.core.audit.services import record

TOKEN_DAYS = 30


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def issue(user: User, *, name: str = "api", request=None) -> tuple[str, ApiToken]:
    """Create a token for an already fully authenticated user; the plaintext is returned once."""
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=_hash(secret),
        expires_at=timezone.now() + datetime.timedelta(days=TOKEN_DAYS),
    )
    record(user, "api_token.issued", token, request=request, after={"prefix": prefix, "name": name})
    return f"{prefix}.{secret}", token


def authenticate(raw: str) -> User | None:
    prefix, _, secret = raw.partition(".")
    token = ApiToken.objects.usable().select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(secret)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke(user: User, prefix: str) -> bool:
    updated = ApiToken.objects.filter(user=user, prefix=prefix, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        record(user, "api_token.revoked", user, after={"prefix": prefix})
    return bool(updated)
