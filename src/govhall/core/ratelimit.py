"""Rate-limit counters in the shared cache (database or Redis), never in process memory, so a limit
holds across every server process and machine."""

from __future__ import annotations

import time

from django.core.cache import cache


def hit(name: str, window: int, amount: int = 1) -> int:
    """Count ``amount`` events in the current fixed window of ``window`` seconds; return the total.

    The key names the window, and its expiry is re-set after ``incr``: Django's generic ``incr``
    (database cache) re-stores the value with the DEFAULT timeout, which would otherwise turn an
    hourly limit into a five-minute one.
    """
    now = time.time()
    bucket = int(now // window)
    key = f"{name}:{bucket}"
    remaining = max(1, int((bucket + 1) * window - now) + 1)
    cache.add(key, 0, remaining)
    try:
        total = cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.set(key, amount, remaining)
        return amount
    cache.touch(key, remaining)
    return total


def gap_respected(key: str, gap: int) -> bool:
    """At most one event per ``gap`` seconds: an atomic ``add``; the stored time decides when the
    cache's own expiry runs on another clock (Redis keeps real time while tests travel)."""
    now = time.time()
    if cache.add(key, now, gap):
        return True
    last = cache.get(key)
    if last is not None and now - last < gap:
        return False
    cache.set(key, now, gap)
    return True
