"""SMS-bombing protection and quiet hours.

Counters live in the shared cache (database or Redis), never in process memory, so the limits hold
across every web and worker process. Verification codes (triggered by anonymous visitors) are limited
per number and hall-wide; business messages (receipts, legal notices) are never refused here — they
are caused by the applicant's own actions and deduplicated by their event key.

Quiet hours (22:00-08:00 Beijing time by default) hold back non-urgent messages such as deadline
reminders until the morning; codes and legal notices are urgent and always go at once.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from govhall.core.ratelimit import gap_respected, hit

BEIJING = ZoneInfo("Asia/Shanghai")


def check_code_limits(recipient_hash: str) -> None:
    """Refuse a verification code sent too soon or too often (per number and hall-wide)."""
    gap = settings.SMS_CODE_MIN_INTERVAL_SECONDS
    if gap and not gap_respected(f"sms:gap:{recipient_hash}", gap):
        raise ValidationError(_("发送过于频繁，请%(s)d秒后再试") % {"s": gap}, code="sms_too_soon")
    per_hour = settings.SMS_CODE_MAX_PER_HOUR
    if per_hour and hit(f"sms:hour:{recipient_hash}", 3600) > per_hour:
        raise ValidationError(_("该号码获取短信过于频繁，请一小时后再试"), code="sms_number_limit")
    per_minute = settings.SMS_CODE_GLOBAL_MAX_PER_MINUTE
    if per_minute and hit("sms:global", 60) > per_minute:
        raise ValidationError(_("短信发送繁忙，请稍后再试"), code="sms_global_limit")


def delivery_allowance(wanted: int) -> int:
    """How many messages the workers together may still hand to gateways this minute (reserved)."""
    per_minute = settings.SMS_DELIVERY_MAX_PER_MINUTE
    if not per_minute or wanted <= 0:
        return wanted
    total = hit("sms:delivery", 60, wanted)
    allowed = max(0, min(wanted, per_minute - (total - wanted)))
    return_allowance(wanted - allowed)
    return allowed


def return_allowance(unused: int) -> None:
    """Give back what a claim reserved but did not find due."""
    if settings.SMS_DELIVERY_MAX_PER_MINUTE and unused > 0:
        hit("sms:delivery", 60, -unused)


def _parse_quiet_hours(spec: str) -> tuple[datetime.time, datetime.time] | None:
    """``"22:00-08:00"`` → (22:00, 08:00); ``""`` → no quiet hours."""
    if not spec.strip():
        return None
    start, _, end = spec.partition("-")
    return datetime.time.fromisoformat(start.strip()), datetime.time.fromisoformat(end.strip())


def quiet_until(moment: datetime.datetime) -> datetime.datetime | None:
    """The end of the quiet period ``moment`` falls in (aware), or ``None`` outside quiet hours."""
    window = _parse_quiet_hours(settings.SMS_QUIET_HOURS)
    if window is None:
        return None
    start, end = window
    local = moment.astimezone(BEIJING)
    clock = local.time()
    if start > end:  # spans midnight: 22:00-08:00
        if clock >= start:
            return datetime.datetime.combine(local.date() + datetime.timedelta(days=1), end, BEIJING)
        if clock < end:
            return datetime.datetime.combine(local.date(), end, BEIJING)
        return None
    if start <= clock < end:
        return datetime.datetime.combine(local.date(), end, BEIJING)
    return None


def earliest_send(moment: datetime.datetime, *, urgent: bool) -> datetime.datetime:
    """When a message may go: now if urgent or outside quiet hours, else when they end."""
    if urgent:
        return moment
    return quiet_until(moment) or moment
