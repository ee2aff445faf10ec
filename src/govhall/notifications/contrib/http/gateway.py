"""A generic HTTP SMS gateway: signed JSON out, signed delivery receipts in.

Request: ``POST <url>`` with a JSON body ``{"id", "mobile", "sign_name", "template_id", "params",
"text"}``, the headers of :mod:`.signing` and ``Idempotency-Key: <message uuid>``; the provider
answers 2xx ``{"message_id": "...", "status": "accepted" | "delivered"}`` and must treat a repeated
idempotency key as the same message.

Failures are sorted by what they say about acceptance (see :mod:`govhall.notifications.base`):

=============================================  ======================
connection refused, DNS error, connect timeout  definite (fail over)
401, 403, 500, 501, 505+; 408, 425, 429, 503    definite / temporary
other 4xx (bad number, template not approved)   permanent
read timeout, connection dropped, 502, 504      ambiguous (no failover)
=============================================  ======================

502 and 504 come from a proxy in front of the provider that may have forwarded the request, so they
are ambiguous, never a reason to fail over.
"""

from __future__ import annotations

import datetime
import http.client
import json
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from govhall.notifications.base import (
    AmbiguousFailure,
    DefiniteFailure,
    MalformedReceipt,
    PermanentFailure,
    Receipt,
    ReceiptRejected,
    SendResult,
    SmsGateway,
    TemporaryFailure,
    registry,
)
from govhall.notifications.contrib.http import signing

logger = logging.getLogger(__name__)

TEMPORARY_STATUSES = {408, 425, 429, 503}
AMBIGUOUS_STATUSES = {502, 504}
DEFINITE_CLIENT_STATUSES = {401, 403}
RECEIPT_STATUSES = {
    "accepted": "sending",
    "sending": "sending",
    "delivered": "delivered",
    "temporary_failure": "temporary_failure",
    "permanent_failure": "permanent_failure",
    "failed": "permanent_failure",
}
MAX_RECEIPTS_PER_CALL = 1000


@registry.register("http")
class HttpGateway(SmsGateway):
    accepts_receipts = True

    def configure(self, name: str, options: dict[str, Any]) -> HttpGateway:
        super().configure(name, options)
        url = urlsplit(str(options.get("url") or ""))
        if url.scheme not in {"http", "https"} or not url.hostname:
            raise ImproperlyConfigured(f"SMS gateway {name!r}: SMS_GATEWAY_{name.upper()}_URL is not a URL")
        if not options.get("secret"):
            raise ImproperlyConfigured(f"SMS gateway {name!r}: SMS_GATEWAY_{name.upper()}_SECRET is empty")
        self.url = url
        self.secret = str(options["secret"])
        self.timeout = float(options.get("timeout") or 10)
        self.connect_timeout = float(options.get("connect_timeout") or 3)
        return self

    def max_seconds(self) -> float:
        return self.connect_timeout + self.timeout

    def send(self, message_id: str, mobile: str, template_id: str, params: dict[str, str], text: str) -> SendResult:
        body = json.dumps(
            {
                "id": message_id,
                "mobile": mobile,
                "sign_name": settings.SMS_SIGN_NAME,
                "template_id": template_id,
                "params": params,
                "text": text,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            signing.IDEMPOTENCY_HEADER: message_id,
            **signing.signed_headers(self.secret, body),
        }
        status, payload = self._post(body, headers)
        return self._result(status, payload)

    def _connection(self) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self.url.scheme == "https" else http.client.HTTPConnection
        return cls(self.url.hostname, self.url.port, timeout=self.connect_timeout)

    def _post(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST once; sort transport errors into definite (before sending) and ambiguous (after)."""
        connection = self._connection()
        try:
            try:
                connection.connect()
            except OSError as error:  # refused, unreachable, DNS, connect timeout: nothing was sent
                raise DefiniteFailure(f"connect failed: {error!r}") from error
            connection.sock.settimeout(self.timeout)
            path = self.url.path or "/"
            if self.url.query:
                path += "?" + self.url.query
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                return response.status, response.read()
            except (OSError, http.client.HTTPException) as error:  # timeout, reset, dropped
                raise AmbiguousFailure(f"no answer after sending: {error!r}") from error
        finally:
            connection.close()

    def _result(self, status: int, payload: bytes) -> SendResult:
        detail = f"HTTP {status}: {payload[:200].decode('utf-8', 'replace')}"
        if 200 <= status < 300:
            try:
                answer = json.loads(payload or b"{}")
            except ValueError:
                answer = {}
            return SendResult(
                provider_message_id=str(answer.get("message_id") or "")[:100],
                delivered=answer.get("status") == "delivered",
            )
        if status in AMBIGUOUS_STATUSES:
            raise AmbiguousFailure(detail)
        if status in TEMPORARY_STATUSES:
            raise TemporaryFailure(detail)
        if status in DEFINITE_CLIENT_STATUSES or status >= 500:
            raise DefiniteFailure(detail)
        raise PermanentFailure(detail)

    def parse_receipt(self, headers: Mapping[str, str], body: bytes) -> list[Receipt]:
        """Verify signature and timestamp window, then parse ``{"receipts": [...]}``."""
        problem = signing.verify(
            self.secret,
            headers.get(signing.TIMESTAMP_HEADER, ""),
            headers.get(signing.SIGNATURE_HEADER, ""),
            body,
            max_age=settings.SMS_RECEIPT_MAX_AGE_SECONDS,
        )
        if problem:
            raise ReceiptRejected(problem)
        try:
            items = json.loads(body)["receipts"]
            if not isinstance(items, list) or len(items) > MAX_RECEIPTS_PER_CALL:
                raise ValueError("receipts must be a list of at most 1000")
            return [_receipt(item) for item in items]
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise MalformedReceipt(f"malformed receipt: {error}") from error


def _receipt(item: dict[str, Any]) -> Receipt:
    occurred_at = datetime.datetime.fromisoformat(str(item["occurred_at"]))
    if occurred_at.tzinfo is None:
        raise ValueError("occurred_at needs a UTC offset")
    status = RECEIPT_STATUSES[str(item["status"])]
    receipt_id = str(item["receipt_id"])
    if not receipt_id or len(receipt_id) > 100:
        raise ValueError("receipt_id must be 1-100 characters")
    return Receipt(
        receipt_id=receipt_id,
        reference=str(item.get("reference") or ""),
        provider_message_id=str(item.get("message_id") or "")[:100],
        status=status,
        occurred_at=occurred_at,
    )
