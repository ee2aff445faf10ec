"""The configured gateways, in failover order (``settings.SMS_GATEWAYS``)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import govhall.notifications.contrib.console.gateway
import govhall.notifications.contrib.http.gateway  # noqa: F401 (registers the provider)
from govhall.notifications.base import SmsGateway, registry


def configured() -> list[SmsGateway]:
    """Every configured gateway, primary first. Built per call: settings may change in tests."""
    return [
        registry.get(str(entry["plugin"])).configure(str(entry["name"]), dict(entry)) for entry in settings.SMS_GATEWAYS
    ]


def by_name(name: str) -> SmsGateway | None:
    """The configured gateway called ``name``, or ``None``."""
    for entry in settings.SMS_GATEWAYS:
        if entry["name"] == name:
            return registry.get(str(entry["plugin"])).configure(name, dict(entry))
    return None


def require_configured() -> list[SmsGateway]:
    gateways = configured()
    if not gateways:
        raise ImproperlyConfigured("No SMS gateway is configured: set SMS_GATEWAYS.")
    return gateways


def console_active() -> bool:
    """Is the demo console gateway in use (the local SMS inbox is shown only then)?"""
    return not settings.PRODUCTION and any(entry["plugin"] == "console" for entry in settings.SMS_GATEWAYS)
