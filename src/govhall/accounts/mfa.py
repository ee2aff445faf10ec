"""Staff authentication: password, then a TOTP code (or a one-time recovery code).

Art. 23 of the regulation asks for identity authentication and safe keeping of accounts, passwords
and keys; staff act on citizens' data, so one factor is never enough. django-otp refuses a TOTP code
that was already used (replay) and throttles wrong codes; failures also count towards the lockout.
"""

from __future__ import annotations

import base64
import secrets

import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from govhall.accounts.models import User, UserKind
from govhall.accounts.services import LoginResult, register_failed_login
from govhall.core.audit.services import record

RECOVERY_CODE_COUNT = 10


def check_staff_password(request: HttpRequest, username: str, password: str) -> LoginResult:
    """First factor for staff. The caller must still ask for the second factor before login."""
    generic = _("账号或密码错误。")
    user = User.objects.filter(username=username.strip(), kind=UserKind.STAFF).first()
    if user is None:
        User().set_password(password)
        return LoginResult(None, generic)
    if user.locked_until and user.locked_until > timezone.now():
        until = timezone.localtime(user.locked_until).strftime("%H:%M")
        return LoginResult(None, _("密码错误次数过多，账号已锁定至%(time)s。") % {"time": until})
    if not user.is_active or not user.check_password(password):
        register_failed_login(user, request)
        return LoginResult(None, generic)
    return LoginResult(user)


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def start_enrolment(user: User) -> TOTPDevice:
    """The unconfirmed authenticator a new staff member scans (one per user until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code (rendered locally, no external service)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, title=_("动态口令二维码"))


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


@transaction.atomic
def confirm_enrolment(user: User, token: str, request: HttpRequest | None = None) -> tuple[Device, list[str]] | None:
    """Confirm the authenticator with a first code; issue one-time recovery codes (shown once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        register_failed_login(user, request)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = issue_recovery_codes(user)
    record(user, "mfa.enrolled", user, request=request, after={"device": device.persistent_id})
    return device, codes


def issue_recovery_codes(user: User) -> list[str]:
    static, _created = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


@transaction.atomic
def verify_second_factor(user: User, token: str, request: HttpRequest | None = None) -> Device | None:
    """A TOTP code from a confirmed authenticator, or an unused recovery code (then spent)."""
    token = token.strip().replace(" ", "")
    for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if device.verify_token(token):
            record(user, "mfa.recovery_code_used", user, request=request)
            return device
    register_failed_login(user, request)
    return None
