"""The SMS gateway plugin point: an ABC, the failures a gateway may report, and the registry.

The worker needs to know one thing from a failed call: could the message have been accepted?

* :class:`DefiniteFailure` — certainly not accepted (connection refused, an error response before
  acceptance): the worker may fail over to the next configured gateway at once.
  :class:`TemporaryFailure` is a definite failure the gateway asked us to retry later (429, 503).
* :class:`AmbiguousFailure` — maybe accepted (a timeout, a connection dropped after the request
  was sent): the worker retries later on the SAME gateway with the same idempotency key, and never
  fails over, because the first gateway may already have delivered it.
* :class:`PermanentFailure` — the gateway refused the message itself (invalid number, template not
  approved): no retry, no failover; the city office sees it and may resend.
"""

from __future__ import annotations

import abc
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from govhall.core.plugins import Registry


class GatewayError(Exception):
    """Base of every failure a gateway reports."""


class DefiniteFailure(GatewayError):
    """Not accepted, for certain: failing over to another gateway is safe."""


class TemporaryFailure(DefiniteFailure):
    """Not accepted, and the gateway asked us to try again later."""


class AmbiguousFailure(GatewayError):
    """Perhaps accepted (timeout): retry on the same gateway with the same idempotency key."""


class PermanentFailure(GatewayError):
    """The message itself was refused: retrying or failing over would not help."""


class ReceiptRejected(Exception):
    """A delivery receipt is not genuine (signature, timestamp window)."""


class MalformedReceipt(ReceiptRejected):
    """A genuine receipt we cannot read."""


@dataclass(frozen=True)
class SendResult:
    """A gateway accepted the message. ``delivered`` when it also knows it reached the handset."""

    provider_message_id: str
    delivered: bool = False


@dataclass(frozen=True)
class Receipt:
    """A verified delivery receipt: ``status`` is one of the Message statuses."""

    receipt_id: str
    reference: str  # our message UUID (the idempotency key)
    provider_message_id: str
    status: str
    occurred_at: datetime.datetime


class SmsGateway(abc.ABC):
    """One configured gateway. ``configure`` receives its entry of ``settings.SMS_GATEWAYS``."""

    identifier: ClassVar[str]
    accepts_receipts: ClassVar[bool] = False

    def configure(self, name: str, options: dict[str, Any]) -> SmsGateway:
        self.name = name
        self.options = options
        return self

    @abc.abstractmethod
    def send(self, message_id: str, mobile: str, template_id: str, params: dict[str, str], text: str) -> SendResult:
        """Hand one SMS to the provider; ``message_id`` is the idempotency key.

        Raises :class:`DefiniteFailure`, :class:`AmbiguousFailure` or :class:`PermanentFailure`.
        """

    def max_seconds(self) -> float:
        """The longest one ``send`` may take (the worker's lease must cover it)."""
        return 1.0

    def parse_receipt(self, headers: Mapping[str, str], body: bytes) -> list[Receipt]:
        """Verify and parse a receipt callback; raise :class:`ReceiptRejected` when it is not genuine."""
        raise ReceiptRejected(f"gateway {self.name!r} does not accept delivery receipts")


registry: Registry[SmsGateway] = Registry("SMS gateways")
