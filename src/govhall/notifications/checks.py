"""System checks: a production deployment needs a real, fully configured SMS gateway."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register("notifications", deploy=False)
def check_gateways(app_configs, **kwargs) -> list[Error]:
    from govhall.notifications.gateways import configured

    errors = []
    if settings.PRODUCTION and not settings.SMS_GATEWAYS:
        errors.append(Error("No SMS gateway is configured (SMS_GATEWAYS).", id="notifications.E001"))
    try:
        configured()
    except ImproperlyConfigured as error:
        errors.append(Error(str(error), id="notifications.E002"))
    return errors
