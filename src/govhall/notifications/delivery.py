"""The delivery worker: claim due messages with a lease, call the gateway, record the outcome.

Why it never loses or doubles a message (Art. 11: exactly one receipt per submitted application):

1. **Claim** — one conditional UPDATE sets ``lease_expires_at``/``leased_by`` on due rows whose lease
   is free or expired (PostgreSQL first picks the ids with ``SELECT … FOR UPDATE SKIP LOCKED``), so
   two workers never hold the same row at once.
2. **Call** — outside any transaction, with the message UUID as the gateway's idempotency key: a
   worker killed mid-call leaves a lease that expires; the next worker calls again with the same key
   and the gateway delivers it once.
3. **Record** — one conditional UPDATE that matches only while the lease is still ours; a worker that
   lost its lease records nothing.

Failures: a definite failure fails over to the next gateway at once; an ambiguous one (timeout) is
retried later on the same gateway only; retries back off exponentially with jitter until
``SMS_MAX_ATTEMPTS``, then the message ends in ``technical_failure`` for the city office to see.
"""

from __future__ import annotations

import datetime
import functools
import logging
import os
import random
import socket
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from govhall.notifications import gateways as gateway_config
from govhall.notifications import limits
from govhall.notifications.base import (
    AmbiguousFailure,
    DefiniteFailure,
    PermanentFailure,
    SendResult,
    SmsGateway,
)
from govhall.notifications.models import CLAIMABLE, Message, Status

logger = logging.getLogger(__name__)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _due(now: datetime.datetime) -> QuerySet[Message]:
    return Message.objects.filter(status__in=CLAIMABLE, next_attempt_at__lte=now).filter(
        Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now)
    )


def claim(worker_id: str, batch: int, lease_seconds: float) -> list[Message]:
    """Lease up to ``batch`` due messages for ``worker_id``; urgent ones first, then the oldest due."""
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=lease_seconds)
    batch = limits.delivery_allowance(batch)
    if batch <= 0:
        return []
    ordered = _due(now).order_by("-urgent", "next_attempt_at", "pk")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            ids = list(ordered.select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch])
            chosen = _due(now).filter(pk__in=ids)
        else:
            chosen = _due(now).filter(pk__in=Subquery(ordered.values("pk")[:batch]))
        claimed = chosen.update(lease_expires_at=lease, leased_by=worker_id)
    limits.return_allowance(batch - claimed)
    if not claimed:
        return []
    return list(
        Message.objects.filter(leased_by=worker_id, lease_expires_at=lease, status__in=CLAIMABLE)
        .select_related("template")
        .order_by("-urgent", "next_attempt_at", "pk")
    )


@dataclass(frozen=True)
class Outcome:
    """What one delivery round decided, before it is recorded under the lease."""

    status: str
    provider: str = ""
    provider_message_id: str = ""
    error: str = ""
    retry: bool = False


def _backoff(attempts: int) -> float:
    """Exponential backoff with 'equal jitter': half fixed, half random (attempt 1 → ~base)."""
    ceiling = min(settings.SMS_BACKOFF_MAX_SECONDS, settings.SMS_BACKOFF_BASE_SECONDS * 2 ** (attempts - 1))
    return ceiling / 2 + random.random() * ceiling / 2  # noqa: S311 (jitter, not a secret)


def _candidates(message: Message, configured: list[SmsGateway]) -> list[SmsGateway]:
    """All gateways in order, or only the pinned one after an ambiguous failure."""
    if message.provider and message.status == Status.TEMPORARY_FAILURE:
        return [gateway for gateway in configured if gateway.name == message.provider]
    return configured


def attempt(message: Message, configured: list[SmsGateway]) -> Outcome:
    """Call the gateways in failover order; stop at acceptance, an ambiguous or a permanent failure."""
    errors: list[str] = []
    candidates = _candidates(message, configured)
    if not candidates:
        return Outcome(
            Status.TEMPORARY_FAILURE, message.provider, error="pinned gateway is no longer configured", retry=True
        )
    for gateway in candidates:
        try:
            result: SendResult = gateway.send(
                str(message.uuid),
                message.recipient,
                message.template.provider_template_id,
                message.params,
                message.text,
            )
        except DefiniteFailure as error:
            errors.append(f"{gateway.name}: {error}")
            continue  # certainly not accepted: the next gateway may take it
        except PermanentFailure as error:
            return Outcome(Status.PERMANENT_FAILURE, gateway.name, error=f"{gateway.name}: {error}")
        except AmbiguousFailure as error:
            return Outcome(Status.TEMPORARY_FAILURE, gateway.name, error=f"{gateway.name}: {error}", retry=True)
        except Exception as error:  # a plugin bug after sending is as uncertain as a timeout
            logger.exception("SMS gateway %s raised unexpectedly", gateway.name)
            return Outcome(Status.TEMPORARY_FAILURE, gateway.name, error=f"{gateway.name}: {error!r}", retry=True)
        status = Status.DELIVERED if result.delivered else Status.SENDING
        return Outcome(status, gateway.name, result.provider_message_id)
    return Outcome(Status.TEMPORARY_FAILURE, error="; ".join(errors), retry=True)


def _changes(message: Message, outcome: Outcome, now: datetime.datetime) -> dict[str, Any]:
    """The columns an outcome writes; a retry past ``SMS_MAX_ATTEMPTS`` becomes technical_failure."""
    attempts = message.attempts + 1
    changes: dict[str, Any] = {"attempts": attempts, "lease_expires_at": None, "last_error": outcome.error[:2000]}
    if outcome.provider:
        changes["provider"] = outcome.provider
    if outcome.status in (Status.SENDING, Status.DELIVERED):
        changes.update(status=outcome.status, sent_at=now, next_attempt_at=None, last_error="")
        changes["provider_message_id"] = outcome.provider_message_id
        if outcome.status == Status.DELIVERED:
            changes["delivered_at"] = now
    elif outcome.retry and attempts < settings.SMS_MAX_ATTEMPTS:
        retry_at = now + datetime.timedelta(seconds=_backoff(attempts))
        changes.update(
            status=Status.TEMPORARY_FAILURE,
            next_attempt_at=limits.earliest_send(retry_at, urgent=message.urgent),
        )
    else:
        final = Status.PERMANENT_FAILURE if outcome.status == Status.PERMANENT_FAILURE else Status.TECHNICAL_FAILURE
        changes.update(status=final, next_attempt_at=None, failed_at=now)
    return changes


def _ours(message: Message):
    """The row, only while our lease on it is unchanged (nobody else has claimed it since)."""
    return Message.objects.filter(
        pk=message.pk,
        leased_by=message.leased_by,
        lease_expires_at=message.lease_expires_at,
        status__in=CLAIMABLE,
    )


def record(message: Message, outcome: Outcome) -> bool:
    """Write the outcome if the lease is still ours; ``False`` when another worker took over."""
    updated = _ours(message).update(**_changes(message, outcome, timezone.now()))
    if not updated:
        logger.info("SMS %s: lease lost before recording %s; the new holder decides", message.uuid, outcome.status)
    return bool(updated)


def release(messages: list[Message], *, until: datetime.datetime | None = None) -> int:
    """Give leased messages back unattempted (optionally not before ``until``)."""
    released = 0
    for message in messages:
        changes: dict[str, Any] = {"lease_expires_at": None}
        if until is not None:
            changes["next_attempt_at"] = until
        released += _ours(message).update(**changes)
    return released


def _time_left(message: Message) -> float:
    return (message.lease_expires_at - timezone.now()).total_seconds()


def deliver_due(
    worker_id: str | None = None,
    batch: int | None = None,
    *,
    lease_seconds: float | None = None,
    threads: int | None = None,
) -> int:
    """Claim and deliver one batch of due messages; return how many were claimed.

    Gateway calls of a batch run in up to ``threads`` threads (``SMS_WORKER_THREADS``): they only
    talk HTTP; every database write stays in the calling thread. Callable directly (tests,
    ``manage.py deliver_messages``) and from django-q2 (``tasks``).
    """
    worker_id = worker_id or default_worker_id()
    batch = batch or settings.SMS_BATCH_SIZE
    lease_seconds = lease_seconds or settings.SMS_LEASE_SECONDS
    configured = gateway_config.require_configured()
    needed = sum(gateway.max_seconds() for gateway in configured)
    if lease_seconds <= needed:
        raise ImproperlyConfigured(
            f"SMS_LEASE_SECONDS ({lease_seconds}) must exceed the gateways' timeouts together ({needed})"
        )
    claimed = claim(worker_id, batch, lease_seconds)
    ready = _hold_back_in_quiet_hours(claimed)
    threads = max(1, min(threads or settings.SMS_WORKER_THREADS, len(ready)))
    call = functools.partial(_attempt_in_time, configured=configured, needed=needed)
    if threads == 1:
        for message in ready:
            _settle(message, call(message))
        return len(claimed)
    with ThreadPoolExecutor(threads, thread_name_prefix="sms-delivery") as pool:
        futures = {pool.submit(call, message): message for message in ready}
        for future in as_completed(futures):
            _settle(futures[future], future.result())
    return len(claimed)


def _hold_back_in_quiet_hours(claimed: list[Message]) -> list[Message]:
    """Release non-urgent messages found in quiet hours until they end; return the others."""
    quiet_end = limits.quiet_until(timezone.now())
    if quiet_end is None:
        return claimed
    release([message for message in claimed if not message.urgent], until=quiet_end)
    return [message for message in claimed if message.urgent]


def _attempt_in_time(message: Message, *, configured: list[SmsGateway], needed: float) -> Outcome | None:
    """Attempt delivery (in a pool thread: no database access); ``None`` when our lease no longer
    covers a whole attempt, so the message goes back untried."""
    if _time_left(message) <= needed:
        return None
    try:
        return attempt(message, configured)
    except Exception as error:  # before any gateway call (those are caught in ``attempt``)
        logger.exception("SMS %s could not be prepared", message.uuid)
        return Outcome(Status.TEMPORARY_FAILURE, error=repr(error), retry=True)


def _settle(message: Message, outcome: Outcome | None) -> None:
    if outcome is None:
        release([message])
    else:
        record(message, outcome)
