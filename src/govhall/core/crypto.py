"""Field encryption for personal data (identity numbers, mobile numbers).

Values are stored as ``<key id>:<base64(nonce || AES-GCM ciphertext)>`` so keys can be rotated: the
first key in ``FIELD_ENCRYPTION_KEYS`` encrypts, every listed key decrypts, and ``manage.py
rotate_field_keys`` re-encrypts old rows. Beside each encrypted column a keyed hash (HMAC-SHA256,
``FIELD_HASH_KEY``) serves exact lookups and uniqueness without decrypting anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

NONCE_BYTES = 12


@cache
def _keys(spec: str) -> tuple[str, dict[str, AESGCM]]:
    keys: dict[str, AESGCM] = {}
    primary = ""
    for item in spec.split(","):
        key_id, _, encoded = item.strip().partition(":")
        raw = base64.b64decode(encoded)
        if not key_id or len(raw) not in {16, 24, 32}:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS entries are 'id:base64(16/24/32 bytes)'")
        keys[key_id] = AESGCM(raw)
        primary = primary or key_id
    return primary, keys


def primary_key_id() -> str:
    return _keys(settings.FIELD_ENCRYPTION_KEYS)[0]


def encrypt(plaintext: str) -> str:
    key_id, keys = _keys(settings.FIELD_ENCRYPTION_KEYS)
    nonce = os.urandom(NONCE_BYTES)
    sealed = keys[key_id].encrypt(nonce, plaintext.encode("utf-8"), key_id.encode())
    return f"{key_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str) -> str:
    key_id, _, encoded = token.partition(":")
    keys = _keys(settings.FIELD_ENCRYPTION_KEYS)[1]
    if key_id not in keys:
        raise ImproperlyConfigured(f"no field encryption key with id {key_id!r} is configured")
    raw = base64.b64decode(encoded)
    return keys[key_id].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], key_id.encode()).decode("utf-8")


def key_id_of(token: str) -> str:
    return token.partition(":")[0]


def blind_index(value: str, purpose: str) -> str:
    """Keyed hash for exact lookups; ``purpose`` separates e.g. mobile numbers from ID numbers."""
    key = settings.FIELD_HASH_KEY.encode("utf-8")
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column whose value is encrypted at rest; Python code sees the plaintext."""

    def from_db_value(self, value, expression, connection):
        return value if not value else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def mask(value: str, *, keep_start: int = 3, keep_end: int = 4) -> str:
    """Mask the middle of an identifier for lists: 220102********1234, 138****5678."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_id_number(value: str) -> str:
    return mask(value, keep_start=6, keep_end=4)


def mask_mobile(value: str) -> str:
    return mask(value, keep_start=3, keep_end=4)


def mask_name(value: str) -> str:
    """张三 -> 张*, 阿依古丽·买买提 -> 阿*******: the family name stays, as in Chinese practice."""
    chars = list(value)
    if len(chars) <= 1:
        return value
    return chars[0] + "*" * (len(chars) - 1)
