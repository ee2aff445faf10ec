"""Cache versions: pages cache fragments under the version of what they show; a write bumps it.

A lost or evicted version key restarts from the current time, never from 1, so a fragment cached
under an old version number can never be served again.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def _key(name: str) -> str:
    return f"version:{name}"


def version(name: str) -> int:
    return cache.get_or_set(_key(name), time.time_ns, timeout=None)


def versions(*names: str) -> tuple[int, ...]:
    """Several versions in one cache round trip (a page that shows the catalog and the directory)."""
    found = cache.get_many([_key(name) for name in names])
    missing = {_key(name): time.time_ns() for name in names if _key(name) not in found}
    for key, value in missing.items():
        found[key] = value if cache.add(key, value, timeout=None) else cache.get(key, value)
    return tuple(found[_key(name)] for name in names)


def bump(name: str) -> None:
    """Call on commit after a change. ``touch`` again makes the key permanent: the database cache's
    ``incr`` re-stores the value with the default five-minute timeout."""
    key = _key(name)
    try:
        cache.incr(key)
        cache.touch(key, None)
    except ValueError:
        cache.set(key, time.time_ns(), timeout=None)
