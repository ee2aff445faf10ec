"""Import the shipped backends so they register; ``backend(name)`` returns one."""

from __future__ import annotations

from django.conf import settings

from govhall.licenses.signing.base import SigningBackend, registry
from govhall.licenses.signing.contrib import file  # noqa: F401 (registers "file")


def backend(identifier: str | None = None) -> SigningBackend:
    return registry.get(identifier or settings.LICENSES_SIGNING_BACKEND)
