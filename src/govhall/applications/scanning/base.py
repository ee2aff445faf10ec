"""Virus scanning of uploaded materials: a plugin point (issue 7, item 9).

The default ``noop`` scanner passes every file (the content type check of ``core.uploads`` still
refuses executables); a ClamAV plugin can be registered under ``contrib/clamav`` where clamd runs
and chosen with ``APPLICATIONS_SCANNER``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    detail: str = ""


class Scanner(ABC):
    identifier: str = ""

    @abstractmethod
    def scan(self, stream: IO[bytes]) -> ScanResult:
        """Read ``stream`` from its start and say whether it is clean (rewind it afterwards)."""
