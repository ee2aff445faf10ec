"""The verifier's hot path: stream one id range of the chain and check every row.

Why this is its own module: verifying the trail must be cheap enough to run often (regulation
Art. 20 (四): tampering must be *detected*, which only happens if someone checks). A segment is
checked in one process; :mod:`govhall.core.audit.verify` runs one segment, or several in forked
worker processes, and stitches their ends together.
"""

from __future__ import annotations

import contextlib
import itertools
import uuid
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections, transaction

from govhall.core.audit.chain import HASHED_FIELDS, row_digest, row_digest_json_text
from govhall.core.audit.models import AuditEvent

Digest = Callable[[Sequence[Any]], str]
Failure = tuple[int | None, str, str]  # (event id, Chinese, English)


class ChainBroken(Exception):
    """The first defect found; ``event_id`` names the row where the chain stops being trustworthy."""

    def __init__(self, event_id: int | None, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.event_id, self.zh, self.en = event_id, zh, en


@dataclass
class SignedHead:
    """A checkpoint as the stream needs it; ``problem`` is set when its signature did not verify."""

    id: int
    last_event_id: int
    head_hash: str
    problem: tuple[str, str] | None = None


@dataclass(frozen=True)
class Segment:
    """Events ``first_id``…``last_id`` (``None``: to the end); ``prev_hash`` is the link into the
    first one when known (``None``: the caller checks the link)."""

    first_id: int
    last_id: int | None
    prev_hash: str | None
    signed: dict[int, list[SignedHead]] = field(default_factory=dict)
    chunk_size: int = 5000


@dataclass(frozen=True)
class SegmentResult:
    """What a segment found: its ends (for stitching), its size, and its first failure."""

    first_prev_hash: str | None  # stored prev_hash of the first row, if that row had the expected id
    last_id: int
    last_hash: str | None
    count: int
    failure: Failure | None = None


def _check_row(row: Sequence[Any], expected_id: int, prev_hash: str | None, digest_of: Digest) -> str:
    """Verify one row's place in the chain and its content; return its recomputed hash."""
    event_id = row[0]
    if event_id != expected_id:
        raise ChainBroken(
            expected_id,
            f"事件缺失或序号被改动（下一行为第 {event_id} 号）",
            f"event missing or renumbered (next row found is {event_id})",
        )
    if prev_hash is not None and row[14] != prev_hash:
        raise ChainBroken(
            event_id,
            "前一哈希与上一事件不符（事件被删除、插入或调换）",
            "prev_hash does not link to the previous event (deleted, inserted or reordered rows)",
        )
    try:
        digest = digest_of(row)
    except (TypeError, ValueError):  # e.g. text where a number belongs, or a malformed address
        digest = None
    if digest != row[15]:
        raise ChainBroken(event_id, "内容与哈希不符（记录被篡改）", "content does not match its hash (row modified)")
    return digest


def check_signed_head(event_id: int, digest: str, heads: list[SignedHead]) -> None:
    """Every checkpoint signing this event must be valid and agree with the recomputed hash."""
    for head in heads:
        if head.problem:
            raise ChainBroken(event_id, *head.problem)
        if head.head_hash != digest:
            raise ChainBroken(
                event_id,
                f"检查点 #{head.id} 签署的链头哈希与重新计算的哈希不符（链被重算或篡改）",
                f"checkpoint #{head.id} signed a different head hash (chain recomputed or altered)",
            )


def _stream(rows: Iterable[Sequence[Any]], segment: Segment, digest_of: Digest) -> tuple[int, str | None, int]:
    """The hot loop; returns ``(last id, last hash, count)`` or raises :class:`ChainBroken`."""
    expected_id, prev_hash, count, signed = segment.first_id, segment.prev_hash, 0, segment.signed
    for row in rows:
        digest = _check_row(row, expected_id, prev_hash, digest_of)
        heads = signed.get(expected_id)
        if heads:
            check_signed_head(expected_id, digest, heads)
        expected_id += 1
        prev_hash = digest
        count += 1
    return expected_id - 1, prev_hash, count


def _psycopg3() -> bool:
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3


def _raw_rows(queryset: Any, chunk_size: int) -> Generator[Sequence[Any], None, None]:
    """A psycopg server-side cursor with ``timestamptz`` through psycopg's C loader.

    Django's loader for ``timestamptz`` is pure Python and costs as much as the rest of the fetch;
    the session time zone is UTC, so the C loader returns the same instants. JSON stays text until
    hashed (Django registers a text loader for ``jsonb``).
    """
    from psycopg.types.datetime import TimestamptzLoader

    sql, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    with connection.connection.cursor(name=f"audit_verify_{uuid.uuid4().hex}") as cursor:
        cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            yield from rows


def _event_rows(segment: Segment) -> tuple[Generator[Sequence[Any], None, None], Digest]:
    """The segment's events, oldest first, and the digest function for rows of that shape."""
    queryset = AuditEvent.objects.filter(id__gte=segment.first_id)
    if segment.last_id is not None:
        queryset = queryset.filter(id__lte=segment.last_id)
    queryset = queryset.order_by("id").values_list(*HASHED_FIELDS, "hash")
    if _psycopg3():
        return _raw_rows(queryset, segment.chunk_size), row_digest_json_text
    return queryset.iterator(chunk_size=segment.chunk_size), row_digest


def read_snapshot() -> contextlib.AbstractContextManager[Any]:
    """PostgreSQL: one transaction, so the server-side cursor streams (no WITH HOLD copy).

    SQLite: no transaction — under ``IMMEDIATE`` mode it would take the write lock.
    """
    return transaction.atomic() if connection.vendor == "postgresql" else contextlib.nullcontext()


def verify_segment(segment: Segment) -> SegmentResult:
    """Check one segment in this process."""
    rows, digest_of = _event_rows(segment)
    first_prev = None
    try:
        with read_snapshot(), contextlib.closing(rows):  # close the cursor before the transaction
            first = next(rows, None)
            if first is None:
                return SegmentResult(None, segment.first_id - 1, segment.prev_hash, 0)
            first_prev = first[14] if first[0] == segment.first_id else None
            last_id, last_hash, count = _stream(itertools.chain((first,), rows), segment, digest_of)
    except ChainBroken as broken:
        return SegmentResult(first_prev, 0, None, 0, (broken.event_id, broken.zh, broken.en))
    return SegmentResult(first_prev, last_id, last_hash, count)


def verify_segment_in_worker(segment: Segment) -> SegmentResult:
    """:func:`verify_segment` in a forked worker, with its own connection, closed afterwards."""
    try:
        return verify_segment(segment)
    finally:
        connections.close_all()
