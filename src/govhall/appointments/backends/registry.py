"""Which backend schedules a centre: ``APPOINTMENT_CENTRE_BACKENDS`` by centre code, else the default."""

from __future__ import annotations

from django.conf import settings

from govhall.core.plugins import Registry
from govhall.directory.models import ServiceCentre

from .base import AppointmentBackend

registry: Registry[AppointmentBackend] = Registry("appointment backends")


def backend_for(centre: ServiceCentre) -> AppointmentBackend:
    """The backend configured for ``centre`` (``ImproperlyConfigured`` names an unknown one)."""
    identifier = settings.APPOINTMENT_CENTRE_BACKENDS.get(centre.code, settings.APPOINTMENT_DEFAULT_BACKEND)
    return registry.get(identifier)


import govhall.appointments.contrib.builtin.backend  # noqa: E402, F401 (registers the built-in scheduler)
