"""The default scanner: passes every file (no scanning engine installed)."""

from __future__ import annotations

from typing import IO

from govhall.applications.scanning.base import Scanner, ScanResult
from govhall.applications.scanning.registry import registry


@registry.register("noop")
class NoopScanner(Scanner):
    def scan(self, stream: IO[bytes]) -> ScanResult:
        return ScanResult(clean=True)
