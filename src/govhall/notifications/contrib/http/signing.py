"""The signature of the generic HTTP SMS protocol (standard library only, so any party can share it).

``signature = "v1=" + hex(HMAC-SHA256(secret, timestamp + "." + body))``, sent in
``X-Sms-Signature`` beside ``X-Sms-Timestamp`` (Unix seconds). Signing the timestamp with the body
lets the receiver refuse a captured request replayed outside the time window.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Sms-Timestamp"
SIGNATURE_HEADER = "X-Sms-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
VERSION = "v1"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return f"{VERSION}={digest.hexdigest()}"


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    """The two headers that authenticate ``body``."""
    timestamp = str(int(time.time() if now is None else now))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature(secret, timestamp, body)}


def verify(secret: str, timestamp: str, given: str, body: bytes, *, max_age: float, now: float | None = None) -> str:
    """``""`` when genuine and fresh, else the reason (for the log; never shown to the caller)."""
    if not secret:
        return "no shared secret configured"
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return "missing or malformed timestamp"
    current = time.time() if now is None else now
    if abs(current - sent) > max_age:
        return "timestamp outside the accepted window"
    if not hmac.compare_digest(signature(secret, timestamp, body), given or ""):
        return "signature mismatch"
    return ""
