"""Fixtures for the audit trail's tests: a throw-away checkpoint key and a way to play the attacker."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from govhall.core.audit.chain import HASHED_FIELDS, row_digest
from govhall.core.audit.models import AuditEvent
from govhall.core.audit.services import record

guards = importlib.import_module("govhall.core.audit.migrations.0002_append_only_triggers")

CHECKPOINT_EVERY = 10


@pytest.fixture(autouse=True)
def checkpoint_key(settings: Any, tmp_path: Path) -> Path:
    """Every test signs with its own key in ``tmp_path``; a checkpoint every 10 events."""
    settings.AUDIT_CHECKPOINT_KEY_FILE = tmp_path / "keys" / "audit-checkpoint.pem"
    settings.AUDIT_CHECKPOINT_EVERY = CHECKPOINT_EVERY
    return settings.AUDIT_CHECKPOINT_KEY_FILE


class StubUser:
    """Just what ``record`` reads from a user: ``pk`` and ``get_username()``."""

    is_anonymous = False

    def __init__(self, pk: int, username: str) -> None:
        self.pk, self.username = pk, username

    def get_username(self) -> str:
        return self.username


def _payload(number: int) -> dict[str, Any]:
    """Awkward but realistic values: CJK outside the BMP, dates, Decimals, UUIDs, nesting."""
    return {
        "status": "accepted" if number % 2 else "submitted",
        "applicant": "阿依古丽·买买提 𠮷",
        "deadline": dt.date(2027, 1, 4) + dt.timedelta(days=number),
        "fee_fen": Decimal("12.50") * number,
        "ref": uuid.UUID(int=number),
        "nested": {"z": [1, 2, {"b": None, "a": True}], "a": number},
    }


@pytest.fixture
def make_chain() -> Callable[[int], list[AuditEvent]]:
    """Append ``n`` varied events (with checkpoints every 10)."""

    def make(n: int) -> list[AuditEvent]:
        staff = StubUser(7, "zhang.wei")
        return [
            record(
                staff if number % 3 else None,
                "application.accepted" if number % 2 else "application.submitted",
                ("applications.application", 1000 + number),
                before={"n": number - 1},
                after=_payload(number),
                reason=f"第 {number} 次",
                role="acceptor",
                scope="department:12",
            )
            for number in range(1, n + 1)
        ]

    return make


@contextlib.contextmanager
def guards_off() -> Iterator[None]:
    """Play a database administrator: switch the append-only triggers off, then on again."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            for table in guards.TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        else:
            for sql in guards.statements(vendor, drop=True):
                cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                for table in guards.TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
            else:
                for sql in guards.statements(vendor):
                    cursor.execute(sql)


def sql(statement: str, params: list[Any] | tuple[Any, ...] = ()) -> None:
    """Run raw SQL, as an attacker with database access would."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def rehash_from(first_id: int) -> str:
    """Recompute every hash from ``first_id`` on, consistently — the attacker lacks only the key."""
    rows = AuditEvent.objects.filter(id__gte=first_id - 1).order_by("id").values_list(*HASHED_FIELDS, "hash")
    previous = None
    for row in rows:
        if row[0] < first_id:
            previous = row[-1]
            continue
        digest = row_digest((*row[:14], previous))
        sql("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [previous, digest, row[0]])
        previous = digest
    sql("UPDATE audit_auditchainhead SET last_hash = %s WHERE id = 1", [previous])
    return previous
