"""SMS codes that prove a mobile number (registration, password reset).

6 digits, valid 5 minutes, 5 wrong attempts at most, used once; sent through the notifications
outbox. Rate limits per number and per IP live in the shared cache, so they hold across processes.
"""

from __future__ import annotations

import datetime
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.accounts.models import VerificationCode
from govhall.core.crypto import blind_index
from govhall.core.ratelimit import hit
from govhall.core.validators import validate_mobile

CODE_TTL_MINUTES = 5
MAX_ATTEMPTS = 5
PER_IP_PER_HOUR = 20


def _mobile_key(mobile: str) -> str:
    return blind_index(mobile, "mobile")


def _code_hash(code: str, purpose: str, mobile_hash: str) -> str:
    return blind_index(code, f"code:{purpose}:{mobile_hash}")


def _check_ip_limit(ip: str) -> None:
    """Per-IP limit on code requests; per-number limits are the SMS outbox's (notifications.limits)."""
    if ip and hit(f"sms-code-ip:{ip}", 3600) > PER_IP_PER_HOUR:
        raise ValidationError(_("获取验证码过于频繁，请稍后再试。"), code="ip_limit")


def request_code(mobile: str, purpose: str, *, ip: str = "", deliver: bool = True) -> VerificationCode | None:
    """Create a code and queue its SMS. ``deliver=False`` spends the limits but sends nothing (used
    when a password reset names an unknown number: the answer must not reveal who is registered)."""
    from govhall.notifications import services as notifications

    mobile = validate_mobile(mobile)
    mobile_hash = _mobile_key(mobile)
    _check_ip_limit(ip)
    if not deliver:
        return None
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        record = VerificationCode.objects.create(
            purpose=purpose,
            mobile_hash=mobile_hash,
            code_hash=_code_hash(code, purpose, mobile_hash),
            expires_at=timezone.now() + datetime.timedelta(minutes=CODE_TTL_MINUTES),
            ip=ip or None,
        )
        notifications.send(
            "verification_code",
            mobile,
            {"code": code, "minutes": CODE_TTL_MINUTES},
            dedupe_key=f"verification_code:{record.pk}",
            urgent=True,
        )
    return record


def check_code(mobile: str, purpose: str, code: str) -> None:
    """Consume the newest valid code or raise a ValidationError saying why.

    The attempt is counted in its own committed transaction, before the caller's business write,
    so a wrong guess counts even when the caller then fails.
    """
    error = _consume(_mobile_key(validate_mobile(mobile)), purpose, code.strip())
    if error is not None:
        raise error


@transaction.atomic
def _consume(mobile_hash: str, purpose: str, code: str) -> ValidationError | None:
    record = (
        VerificationCode.objects.select_for_update()
        .filter(mobile_hash=mobile_hash, purpose=purpose, consumed_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if record is None:
        return ValidationError(_("请先获取短信验证码。"), code="missing")
    if record.expires_at <= timezone.now():
        return ValidationError(_("验证码已过期，请重新获取。"), code="expired")
    if record.attempts >= MAX_ATTEMPTS:
        return ValidationError(_("验证码错误次数过多，请重新获取。"), code="exhausted")
    if not hmac.compare_digest(record.code_hash, _code_hash(code, purpose, mobile_hash)):
        record.attempts += 1
        record.save(update_fields=["attempts"])
        left = MAX_ATTEMPTS - record.attempts
        if left == 0:
            return ValidationError(_("验证码错误次数过多，请重新获取。"), code="exhausted")
        return ValidationError(_("验证码错误，还可尝试%(n)d次。") % {"n": left}, code="wrong")
    record.consumed_at = timezone.now()
    record.save(update_fields=["consumed_at"])
    return None
