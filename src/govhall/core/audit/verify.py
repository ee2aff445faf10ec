"""Verifying the audit trail: recompute every hash, follow every link, check every signature.

Why: the regulation requires that unauthorised addition, deletion or change of system data be
detectable (Art. 20 (四)) and that an audit trail exist (Art. 23). The verifier finds

* a changed row — its content no longer matches its hash;
* a deleted, inserted or reordered row — a gap in the ids or a broken ``prev_hash`` link;
* a chain recomputed by someone without the checkpoint key — a signed checkpoint's head hash no
  longer matches the recomputed hash at its event; a forged checkpoint fails its signature
  (Electronic Signature Law Art. 13: later changes to a signed record are detectable);
* truncated newest rows — the chain ends before the newest checkpoint, or before the chain head.

It streams the chain in id order with a server-side cursor over plain tuples, so memory stays flat;
with ``workers > 1`` the id range is split between forked processes whose ends are stitched back
together (the link between two segments is checked exactly like any other link).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import connection, connections
from django.db.models import Max

from govhall.core.audit import signing
from govhall.core.audit.chain import GENESIS_HASH, checkpoint_message
from govhall.core.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent
from govhall.core.audit.segments import (
    ChainBroken,
    Segment,
    SegmentResult,
    SignedHead,
    verify_segment,
    verify_segment_in_worker,
)

CHUNK_SIZE = 5000
PARALLEL_FROM = 100_000  # events; below this, forking costs more than it saves
CHECKPOINT_FIELDS = ("id", "last_event_id", "head_hash", "event_count", "key_id", "signature")


@dataclass(frozen=True)
class VerifyResult:
    """What :func:`verify_chain` found: ``ok`` or the first bad row with the reason."""

    ok: bool
    events: int
    checkpoints: int
    bad_event_id: int | None = None
    reason_zh: str = ""
    reason_en: str = ""

    def message(self) -> str:
        if self.ok:
            return f"OK: {self.events} events, {self.checkpoints} checkpoints"
        where = f"第 {self.bad_event_id} 号事件 / event {self.bad_event_id}: " if self.bad_event_id else ""
        return f"FAILED 审计链校验失败: {where}{self.reason_zh} / {self.reason_en}"


def _judge(row: Sequence[Any], keys: dict[str, Ed25519PublicKey]) -> SignedHead:
    """Check a checkpoint's key, signature and count; the problem is reported when the stream gets there."""
    cp_id, last_event_id, head_hash, event_count, key_id, signature = row
    head = SignedHead(cp_id, last_event_id, head_hash)
    message = checkpoint_message(last_event_id, head_hash, event_count)
    if key_id not in keys:
        head.problem = (f"检查点 #{cp_id} 的签名密钥 {key_id} 未知", f"checkpoint #{cp_id}: unknown key {key_id}")
    elif not signing.signature_valid(keys[key_id], message, signature):
        head.problem = (f"检查点 #{cp_id} 签名无效", f"checkpoint #{cp_id}: invalid signature")
    elif event_count != last_event_id:
        head.problem = (
            f"检查点 #{cp_id} 的事件数 {event_count} 与序号不符",
            f"checkpoint #{cp_id}: event count {event_count} does not match its event id",
        )
    return head


def _starting_head(judged: list[SignedHead], since: int | bool | None) -> SignedHead | None:
    """``--since-checkpoint``: the newest checkpoint (``True``) or the one with that id."""
    if since is None or since is False:
        return None
    candidates = judged if since is True else [head for head in judged if head.id == since]
    if not candidates:
        raise ChainBroken(None, f"找不到检查点 {since}", f"no checkpoint {since} to start from")
    start = candidates[-1]
    if start.problem:
        raise ChainBroken(start.last_event_id, *start.problem)
    return start


def _load_signed_heads(
    keys: dict[str, Ed25519PublicKey], since: int | bool | None
) -> tuple[SignedHead | None, dict[int, list[SignedHead]]]:
    """All checkpoints (from the starting one on, with ``since``), grouped by the event they sign."""
    rows = AuditCheckpoint.objects.order_by("last_event_id", "id").values_list(*CHECKPOINT_FIELDS)
    judged = [_judge(row, keys) for row in rows]
    start = _starting_head(judged, since)
    grouped: dict[int, list[SignedHead]] = defaultdict(list)
    for head in judged:
        if start is None or head.last_event_id >= start.last_event_id:
            grouped[head.last_event_id].append(head)
    return start, dict(grouped)


def _fork_available() -> bool:
    """Workers need fork(), a server database (an SQLite handle must not cross a fork) and no open
    transaction in this process (its connection is closed before forking)."""
    return (
        connection.vendor == "postgresql"
        and "fork" in multiprocessing.get_all_start_methods()
        and not connection.in_atomic_block
    )


def _worker_count(requested: int | None, first_id: int, newest_id: int) -> int:
    """``None`` = automatic: one worker per CPU (at most 4) for a long chain, else one."""
    if requested is None:
        long_chain = newest_id - first_id + 1 >= PARALLEL_FROM
        requested = min(os.cpu_count() or 1, 4) if long_chain else 1
    if requested > 1 and not _fork_available():
        return 1  # inside a transaction (tests) or without fork(): stay in this process
    return max(1, min(requested, newest_id - first_id + 1))


def _segments(first_id: int, prev_hash: str | None, newest_id: int, workers: int, **common: Any) -> list[Segment]:
    """Split ``first_id``…``newest_id`` into equal id ranges; the last one stays open-ended."""
    size = -(-(newest_id - first_id + 1) // workers)
    starts = [first_id + index * size for index in range(workers)]
    ends: list[int | None] = [start + size - 1 for start in starts[:-1]] + [None]
    links = [prev_hash] + [None] * (workers - 1)
    return [Segment(start, end, link, **common) for start, end, link in zip(starts, ends, links, strict=True)]


def _run_segments(segments: list[Segment]) -> list[SegmentResult]:
    """One forked child per segment, each answering on its own pipe.

    Not ``multiprocessing.Pool``: its workers share queue locks, and a fork from a threaded parent
    (gunicorn, pytest-xdist) can copy such a lock in its held state and hang the pool for ever.
    """
    if len(segments) == 1:
        return [verify_segment(segments[0])]
    connections.close_all()  # a forked child must never share the parent's socket
    context = multiprocessing.get_context("fork")
    children = []
    for segment in segments:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_segment_child, args=(segment, sender), daemon=True)
        child.start()
        sender.close()
        children.append((child, receiver))
    results = []
    for child, receiver in children:
        try:
            results.append(receiver.recv())
        except EOFError:
            raise RuntimeError(f"verification worker {child.pid} died (exit code {child.exitcode})") from None
        finally:
            receiver.close()
            child.join()
    return results


def _segment_child(segment: Segment, sender) -> None:
    try:
        sender.send(verify_segment_in_worker(segment))
    finally:
        sender.close()


def _stitch(segments: list[Segment], results: list[SegmentResult]) -> tuple[int, str | None, int]:
    """Join the segments in id order: the first failure wins; each boundary is a checked link."""
    prev_hash, count = segments[0].prev_hash, 0
    for index, (segment, result) in enumerate(zip(segments, results, strict=True)):
        if index and result.first_prev_hash is not None and result.first_prev_hash != prev_hash:
            raise ChainBroken(
                segment.first_id,
                "前一哈希与上一事件不符（事件被删除、插入或调换）",
                "prev_hash does not link to the previous event (deleted, inserted or reordered rows)",
            )
        if result.failure:
            raise ChainBroken(*result.failure)
        if segment.last_id is not None and result.last_id != segment.last_id:
            raise ChainBroken(result.last_id + 1, "事件缺失", "event missing")
        prev_hash, count = result.last_hash, count + result.count
    return results[-1].last_id, prev_hash, count


def _check_not_truncated(
    last_id: int, last_hash: str | None, signed: dict[int, list[SignedHead]], head: tuple[int, str] | None
) -> None:
    """The chain must reach the newest checkpoint and the chain head row."""
    beyond = [cp for event_id, cps in signed.items() if event_id > last_id for cp in cps]
    if beyond:
        newest = max(beyond, key=lambda cp: cp.last_event_id)
        raise ChainBroken(
            last_id + 1,
            f"链在第 {last_id} 号事件处结束，但检查点 #{newest.id} "
            f"签署到第 {newest.last_event_id} 号（最新记录被截断）",
            f"chain ends at event {last_id} but checkpoint #{newest.id} "
            f"signs event {newest.last_event_id} (newest rows truncated)",
        )
    if head is None:
        return
    head_id, head_hash = head
    if last_id < head_id:
        raise ChainBroken(
            last_id + 1,
            f"链头记录为第 {head_id} 号事件，但链在第 {last_id} 号处结束（最新记录被截断）",
            f"chain head row says event {head_id} but the chain ends at event {last_id} (truncated)",
        )
    if last_id == head_id and head_hash != last_hash:
        raise ChainBroken(head_id, "链头记录的哈希与该事件不符", "chain head row's hash does not match this event")


def _run(
    since: int | bool | None, keys: dict[str, Ed25519PublicKey], workers: int | None, chunk_size: int
) -> VerifyResult:
    # Order matters under concurrent appends: checkpoints, then the head, then the events, so every
    # checkpoint and the head are at or below the newest event the stream can see.
    start, signed = _load_signed_heads(keys, since)
    head = AuditChainHead.objects.filter(pk=1).values_list("last_event_id", "last_hash").first()
    newest_id = AuditEvent.objects.aggregate(newest=Max("id"))["newest"] or 0
    first_id, prev_hash = (1, GENESIS_HASH) if start is None else (start.last_event_id, None)
    count = _worker_count(workers, first_id, newest_id)
    segments = _segments(first_id, prev_hash, newest_id, count, signed=signed, chunk_size=chunk_size)
    last_id, last_hash, events = _stitch(segments, _run_segments(segments))
    _check_not_truncated(last_id, last_hash, signed, head)
    return VerifyResult(ok=True, events=events, checkpoints=sum(len(cps) for cps in signed.values()))


def verify_chain(
    *,
    since_checkpoint: int | bool | None = None,
    public_keys: dict[str, Ed25519PublicKey] | None = None,
    workers: int | None = 1,
    chunk_size: int = CHUNK_SIZE,
) -> VerifyResult:
    """Verify the whole chain, or from a checkpoint on (``True`` = the newest, or a checkpoint id).

    ``public_keys`` defaults to :func:`signing.verification_keys` (the key file and retired keys).
    ``workers``: processes to split the work between (``None`` = one per CPU for long chains); runs
    in this process when called inside a transaction or where ``fork()`` is unavailable. Never
    raises for a broken chain: the result names the first bad row.
    """
    keys = signing.verification_keys() if public_keys is None else public_keys
    try:
        return _run(since_checkpoint, keys, workers, chunk_size)
    except ChainBroken as broken:
        return VerifyResult(False, 0, 0, broken.event_id, broken.zh, broken.en)
