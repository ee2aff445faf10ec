"""Staff sessions for tests: past password and TOTP (the workbench's two factors), and the code a
decider re-enters for a step-up."""

from __future__ import annotations

from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def otp_login(client: Any, user: Any) -> Any:
    """Log ``user`` into ``client`` as if they had entered password and TOTP."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def current_code(user: Any) -> str:
    """The user's TOTP code for now (used once per 30-second step)."""
    device = TOTPDevice.objects.get(user=user, name="test")
    return f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}"
