"""审计日志 — the tamper-evident, append-only audit trail.

Usage from any service: ``from govhall.core import audit`` then
``audit.record(by, "application.accepted", application, reason=note)``. The names are resolved
lazily so importing this package never loads models before the app registry is ready.
"""

from __future__ import annotations

from typing import Any

_SERVICES = {"record", "snapshot", "write_checkpoint"}


def __getattr__(name: str) -> Any:
    if name in _SERVICES:
        from govhall.core.audit import services

        return getattr(services, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
