"""Periodic work of the core: the worker heartbeat that /healthz reads."""

from __future__ import annotations

import time

from django.core.cache import cache

HEARTBEAT_KEY = "worker:heartbeat"
HEARTBEAT_STALE_SECONDS = 180


def heartbeat() -> float:
    """Run every minute by the worker's schedule; /healthz calls the worker stale after 3 minutes."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, HEARTBEAT_STALE_SECONDS * 10)
    return now
