"""Appending to the audit trail and signing checkpoints.

Why: every state change of the hall is appended here in the same transaction as the change itself
(regulation Art. 23: audit trail; Art. 20 (四): unauthorised changes of data must be detectable).

Concurrency: events form ONE chain, so appends are serialised by a row lock on the single
:class:`~govhall.core.audit.models.AuditChainHead` row. :func:`record` prepares everything first and
takes that lock last; it is held until the caller's transaction ends, so **call ``record`` as the
last write of a service**. On SQLite (``transaction_mode=IMMEDIATE``) every write transaction is
already serialised by the database lock.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from govhall.core.audit import signing
from govhall.core.audit.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    canonical_ip,
    checkpoint_message,
    clean_text,
    json_safe,
    row_digest,
)
from govhall.core.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent

logger = logging.getLogger(__name__)

ACTION_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
USER_AGENT_MAX = 500
SYSTEM_LABEL = "system"
ANONYMOUS_LABEL = "anonymous"

Actor = Any  # a user object, a label string, or None
AuditObject = models.Model | tuple[str, object] | None


def _actor_fields(actor: Actor, request: Any) -> tuple[int | None, str]:
    """``(actor_id, actor_label)``; the label is kept even if the user is anonymised later."""
    if isinstance(actor, str):
        return None, actor
    if actor is None or getattr(actor, "is_anonymous", False):
        return None, ANONYMOUS_LABEL if request is not None else SYSTEM_LABEL
    return actor.pk, actor.get_username()


def _object_fields(obj: AuditObject) -> tuple[str, str]:
    """``(object_type, object_id)``: ``app_label.model`` and the primary key as text."""
    if obj is None:
        return "", ""
    if isinstance(obj, tuple):
        object_type, object_id = obj
        return str(object_type), str(object_id)
    return obj._meta.label_lower, str(obj.pk)


def _request_fields(request: Any) -> tuple[str | None, str]:
    """``(ip, user_agent)``: the client IP set by ``ClientIPMiddleware``, else ``REMOTE_ADDR``."""
    if request is None:
        return None, ""
    meta = getattr(request, "META", {})
    raw_ip = getattr(request, "client_ip", None) or meta.get("REMOTE_ADDR") or None
    try:
        ip = canonical_ip(raw_ip)
    except ValueError:
        ip = None
    return ip, meta.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]


def _check_length(name: str, value: str) -> str:
    limit = AuditEvent._meta.get_field(name).max_length
    if limit is not None and len(value) > limit:
        raise ValueError(f"audit {name} longer than {limit} characters: {value[:40]!r}…")
    return value


def _prepare(actor: Actor, action: str, obj: AuditObject, request: Any, **extra: Any) -> dict[str, Any]:
    """Every field except the ones fixed under the chain lock (id, occurred_at, hashes)."""
    if not ACTION_PATTERN.match(action):
        raise ValueError(f"audit action must be dotted lower-case, e.g. 'application.accepted': {action!r}")
    actor_id, actor_label = _actor_fields(actor, request)
    object_type, object_id = _object_fields(obj)
    ip, user_agent = _request_fields(request)
    fields = {
        "actor_id": actor_id,
        "actor_label": clean_text(actor_label)[:150],
        "role": clean_text(extra["role"]),
        "scope": clean_text(extra["scope"]),
        "action": action,
        "object_type": clean_text(object_type),
        "object_id": clean_text(object_id),
        "before": json_safe(extra["before"]),
        "after": json_safe(extra["after"]),
        "reason": clean_text(extra["reason"]),
        "ip": ip,
        "user_agent": clean_text(user_agent),
    }
    for name in ("role", "scope", "action", "object_type", "object_id"):
        _check_length(name, fields[name])
    return fields


def _head_from_events() -> dict[str, Any]:
    """Rebuild the head from the newest event (fresh or flushed database)."""
    newest = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    last_id, last_hash = newest if newest else (0, GENESIS_HASH)
    return {"last_event_id": last_id, "last_hash": last_hash}


def lock_head() -> AuditChainHead:
    """Lock the chain head row (creating it if missing). Must run inside a transaction."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1, defaults=_head_from_events())
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _append(fields: dict[str, Any]) -> AuditEvent:
    """Under the chain lock: number, time-stamp, hash and insert the event; advance the head."""
    head = lock_head()
    event_id = head.last_event_id + 1
    occurred_at = timezone.now()
    values = {"id": event_id, "occurred_at": occurred_at, **fields, "prev_hash": head.last_hash}
    digest = row_digest([values[name] for name in HASHED_FIELDS])
    event = AuditEvent.objects.create(
        id=event_id, occurred_at=occurred_at, prev_hash=head.last_hash, hash=digest, **fields
    )
    AuditChainHead.objects.filter(pk=1).update(last_event_id=event_id, last_hash=digest)
    every = settings.AUDIT_CHECKPOINT_EVERY
    if every and event_id % every == 0:
        _store_checkpoint(event_id, digest)
    return event


def record(
    actor: Actor,
    action: str,
    obj: AuditObject = None,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    request: Any = None,
    role: str = "",
    scope: str = "",
) -> AuditEvent:
    """Append one event to the audit trail, inside the caller's transaction.

    ``actor`` is a user (its pk and username are kept), a label string, or ``None`` (``"system"``,
    or ``"anonymous"`` when a request is given). ``obj`` is a model instance or an
    ``("app_label.model", id)`` pair. ``before``/``after`` are made JSON-safe before hashing.
    Raises ``ValueError`` for a malformed action or an over-long field.
    """
    fields = _prepare(actor, action, obj, request, before=before, after=after, reason=reason, role=role, scope=scope)
    with transaction.atomic():
        return _append(fields)


def record_many(entries: Iterable[Mapping[str, Any]], *, batch_size: int = 2000) -> int:
    """Append many events in one transaction under one chain lock (imports, data generation).

    Each entry holds ``record``'s arguments by name (``actor`` and ``action`` required). The chain,
    the ids and the checkpoints are exactly what as many ``record`` calls would produce; only the
    round trips are saved. Returns the number of events appended.
    """
    prepared = [
        _prepare(
            entry.get("actor"),
            entry["action"],
            entry.get("obj"),
            entry.get("request"),
            before=entry.get("before"),
            after=entry.get("after"),
            reason=entry.get("reason", ""),
            role=entry.get("role", ""),
            scope=entry.get("scope", ""),
        )
        for entry in entries
    ]
    if not prepared:
        return 0
    every = settings.AUDIT_CHECKPOINT_EVERY
    with transaction.atomic():
        head = lock_head()
        event_id, prev_hash, pending = head.last_event_id, head.last_hash, []
        for fields in prepared:
            event_id += 1
            occurred_at = timezone.now()
            values = {"id": event_id, "occurred_at": occurred_at, **fields, "prev_hash": prev_hash}
            digest = row_digest([values[name] for name in HASHED_FIELDS])
            pending.append(AuditEvent(id=event_id, occurred_at=occurred_at, prev_hash=prev_hash, hash=digest, **fields))
            prev_hash = digest
            if every and event_id % every == 0:
                AuditEvent.objects.bulk_create(pending, batch_size=batch_size)
                pending = []
                _store_checkpoint(event_id, digest)
        AuditEvent.objects.bulk_create(pending, batch_size=batch_size)
        AuditChainHead.objects.filter(pk=1).update(last_event_id=event_id, last_hash=prev_hash)
    return len(prepared)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """``{field: value}`` of a model instance, for ``before``/``after`` (foreign keys by id)."""
    return {name: getattr(obj, obj._meta.get_field(name).attname) for name in fields}


def _store_checkpoint(last_event_id: int, head_hash: str) -> AuditCheckpoint:
    """Sign the head and store it; logged as well, so a witness exists outside the database."""
    key_id, signature = signing.sign(checkpoint_message(last_event_id, head_hash, last_event_id))
    checkpoint = AuditCheckpoint.objects.create(
        created_at=timezone.now(),
        last_event_id=last_event_id,
        head_hash=head_hash,
        event_count=last_event_id,
        key_id=key_id,
        signature=signature,
    )
    logger.info(
        "audit checkpoint last_event_id=%s head_hash=%s key_id=%s signature=%s",
        last_event_id,
        head_hash,
        key_id,
        signature,
    )
    return checkpoint


def write_checkpoint() -> AuditCheckpoint | None:
    """Sign the current chain head now (periodic task); ``None`` if the chain is empty.

    Returns the newest checkpoint unchanged when it already covers the head.
    """
    with transaction.atomic():
        head = lock_head()
        if head.last_event_id == 0:
            return None
        newest = AuditCheckpoint.objects.order_by("-last_event_id").first()
        if newest is not None and newest.last_event_id >= head.last_event_id:
            return newest
        return _store_checkpoint(head.last_event_id, head.last_hash)
