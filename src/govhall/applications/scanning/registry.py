"""The scanner registry; ``APPLICATIONS_SCANNER`` chooses the plugin (default ``noop``)."""

from __future__ import annotations

from django.conf import settings

from govhall.core.plugins import Registry

from .base import Scanner

registry: Registry[Scanner] = Registry("applications.scanning")


def active_scanner() -> Scanner:
    return registry.get(settings.APPLICATIONS_SCANNER)


from govhall.applications.contrib.noop import scanner as _noop  # noqa: E402,F401 (registers "noop")
