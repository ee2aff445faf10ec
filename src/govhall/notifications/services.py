"""Every state change of the SMS outbox: send, resend, edit a template, apply a delivery receipt.

``send`` writes the message row inside the caller's transaction (Art. 11: the receipt of a
submitted application is part of the submission: rolled back with it, never lost after it). Delivery
is the workers' job (:mod:`govhall.notifications.delivery`); an on-commit task only starts it early.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.audit import services as audit
from govhall.core.crypto import blind_index
from govhall.core.permissions import ensure_permission
from govhall.core.validators import validate_mobile
from govhall.notifications import catalog, limits
from govhall.notifications.base import Receipt
from govhall.notifications.models import FINAL, DeliveryReceipt, Message, SmsTemplate, Status

logger = logging.getLogger(__name__)

BusinessObject = models.Model | tuple[str, object] | None


# --- Templates -------------------------------------------------------------------------------------


def _create_default(code: str) -> SmsTemplate:
    default = catalog.DEFAULT_TEMPLATES[code]
    return SmsTemplate.objects.create(
        code=code,
        version=1,
        name=default.name,
        text_zh=default.text_zh,
        text_en=default.text_en,
        provider_template_id=default.provider_template_id,
        params=list(default.params),
        urgent=default.urgent,
        active=True,
        note=default.note,
    )


def ensure_templates() -> int:
    """Seed version 1 of every built-in template that has no version yet; return how many were made.

    Idempotent; called by ``load_demo`` and by ``manage.py ensure_sms_templates``.
    """
    existing = set(SmsTemplate.objects.values_list("code", flat=True).distinct())
    created = 0
    for code in catalog.DEFAULT_TEMPLATES:
        if code not in existing:
            active_template(code)
            created += 1
    return created


def active_template(code: str) -> SmsTemplate:
    """The active version of ``code``, created from :data:`catalog.DEFAULT_TEMPLATES` if missing."""
    template = SmsTemplate.objects.filter(code=code, active=True).first()
    if template is not None:
        return template
    if code not in catalog.DEFAULT_TEMPLATES:
        raise ValueError(f"unknown SMS template code {code!r}")
    try:
        with transaction.atomic():
            return _create_default(code)
    except IntegrityError:  # created meanwhile by another transaction (or deactivated versions exist)
        template = SmsTemplate.objects.filter(code=code, active=True).first()
        if template is None:
            raise
        return template


def check_template_text(code: str, text_zh: str, text_en: str) -> None:
    """The texts may use only the parameters the code supplies for this event."""
    allowed = set(catalog.DEFAULT_TEMPLATES[code].params) if code in catalog.DEFAULT_TEMPLATES else set()
    for field, text in (("text_zh", text_zh), ("text_en", text_en)):
        unknown = sorted(set(catalog.placeholders(text)) - allowed)
        if unknown:
            raise ValidationError(
                {
                    field: _("模板中有未知参数：%(names)s；可用参数：%(allowed)s")
                    % {"names": "、".join(unknown), "allowed": "、".join(sorted(allowed))}
                }
            )
    if not text_zh.strip():
        raise ValidationError({"text_zh": _("请填写中文短信内容。")})


@transaction.atomic
def edit_template(
    code: str,
    *,
    by: Any,
    text_zh: str,
    text_en: str,
    provider_template_id: str,
    note: str = "",
) -> SmsTemplate:
    """Publish a new version of a template (the old one stays for the messages that used it)."""
    ensure_permission(by, "notifications.edit_template")
    active_template(code)
    current = SmsTemplate.objects.select_for_update().get(code=code, active=True)
    check_template_text(code, text_zh, text_en)
    SmsTemplate.objects.filter(pk=current.pk).update(active=False)
    latest = SmsTemplate.objects.filter(code=code).aggregate(models.Max("version"))["version__max"]
    new = SmsTemplate.objects.create(
        code=code,
        version=latest + 1,
        name=current.name,
        text_zh=text_zh.strip(),
        text_en=text_en.strip(),
        provider_template_id=provider_template_id.strip(),
        params=current.params,
        urgent=current.urgent,
        active=True,
        created_by=by,
        note=note,
    )
    fields = ("version", "text_zh", "text_en", "provider_template_id")
    audit.record(
        by,
        "notification.template_changed",
        new,
        before=audit.snapshot(current, fields),
        after=audit.snapshot(new, fields),
        reason=note,
    )
    return new


# --- Sending ---------------------------------------------------------------------------------------


def _recipient(recipient: Any) -> tuple[str, str]:
    """``(mobile, language)`` of a mobile number string or a user."""
    if isinstance(recipient, str):
        return validate_mobile(recipient), "zh-hans"
    mobile = getattr(recipient, "mobile", "") or ""
    if not mobile:
        raise ValidationError(_("该用户未登记手机号码，无法发送短信。"), code="no_mobile")
    language = "en" if getattr(recipient, "preferred_language", "") == "en" else "zh-hans"
    return validate_mobile(mobile), language


def _object_ref(obj: BusinessObject) -> tuple[str, str]:
    if obj is None:
        return "", ""
    if isinstance(obj, tuple):
        return str(obj[0]), str(obj[1])
    return obj._meta.label_lower, str(obj.pk)


def _render(template: SmsTemplate, context: dict[str, Any], language: str) -> tuple[dict[str, str], str]:
    """Declared parameters as strings, and the text in the recipient's language."""
    missing = [name for name in template.params if name not in context]
    if missing:
        raise ValueError(f"SMS template {template.code!r} needs parameters {missing}")
    params = {name: str(context[name]) for name in template.params}
    source = template.text_en if language == "en" and template.text_en else template.text_zh
    return params, catalog.render(source, params)


def send(
    template_code: str,
    recipient: Any,
    context: dict[str, Any],
    *,
    dedupe_key: str | None = None,
    obj: BusinessObject = None,
    urgent: bool = False,
) -> Message:
    """Queue one SMS in the caller's transaction and return its row (Art. 11: SMS receipt).

    ``recipient`` is a mobile number or a user (their ``mobile``). A repeated ``dedupe_key`` returns
    the existing row and sends nothing. Verification codes are rate-limited (``ValidationError``
    "发送过于频繁，请60秒后再试"). Non-urgent messages created in quiet hours wait until they end.
    """
    if dedupe_key:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    mobile, language = _recipient(recipient)
    template = active_template(template_code)
    params, text = _render(template, context, language)
    recipient_hash = blind_index(mobile, "mobile")
    default = catalog.DEFAULT_TEMPLATES.get(template_code)
    if default is not None and default.throttled:
        limits.check_code_limits(recipient_hash)
    urgent = urgent or template.urgent
    object_type, object_id = _object_ref(obj)
    message = Message(
        template=template,
        template_code=template.code,
        language=language,
        recipient=mobile,
        recipient_hash=recipient_hash,
        text=text,
        urgent=urgent,
        next_attempt_at=limits.earliest_send(timezone.now(), urgent=urgent),
        dedupe_key=dedupe_key or None,
        object_type=object_type,
        object_id=object_id,
    )
    message.params = params
    return _insert(message)


def _insert(message: Message) -> Message:
    """Insert in a savepoint; a concurrent insert of the same dedupe key returns that row instead."""
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        if not message.dedupe_key:
            raise
        existing = Message.objects.filter(dedupe_key=message.dedupe_key).first()
        if existing is None:
            raise
        return existing
    schedule_hint()
    return message


def schedule_hint() -> None:
    """After commit, ask django-q2 to start delivering now (once per transaction; only a hint)."""
    if not settings.SMS_ENQUEUE_HINT:
        return
    pending = getattr(connection, "run_on_commit", [])
    if any(entry[1] is _enqueue_hint for entry in pending):
        return
    transaction.on_commit(_enqueue_hint, robust=True)


def _enqueue_hint() -> None:
    try:
        from django_q.tasks import async_task

        async_task("govhall.notifications.tasks.deliver_soon", task_name="notifications.deliver_soon")
    except Exception:  # the sweep delivers anyway
        logger.warning("could not enqueue the SMS delivery hint; the periodic sweep will deliver", exc_info=True)


@transaction.atomic
def resend(message_id: int, by: Any, *, reason: str = "") -> Message:
    """The city office resends a failed message as a new row linked to the old one (audited)."""
    ensure_permission(by, "notifications.resend")
    old = Message.objects.select_for_update().get(pk=message_id)
    if not old.is_failed:
        raise ValidationError(_("只能重发发送失败的短信。"), code="not_failed")
    if old.resends.exclude(status__in=[Status.PERMANENT_FAILURE, Status.TECHNICAL_FAILURE]).exists():
        raise ValidationError(_("这条短信已经重发过，请等待重发结果。"), code="already_resent")
    new = Message(
        template=old.template,
        template_code=old.template_code,
        language=old.language,
        recipient=old.recipient,
        recipient_hash=old.recipient_hash,
        params_sealed=old.params_sealed,
        text=old.text,
        urgent=old.urgent,
        next_attempt_at=limits.earliest_send(timezone.now(), urgent=old.urgent),
        object_type=old.object_type,
        object_id=old.object_id,
        resend_of=old,
    )
    new = _insert(new)
    audit.record(
        by,
        "notification.resent",
        new,
        before={"message": old.pk, "status": old.status, "error": old.last_error[:200]},
        after={"message": new.pk},
        reason=reason,
    )
    return new


# --- Delivery receipts -----------------------------------------------------------------------------

STATUS_TIME_FIELD = {
    Status.DELIVERED: "delivered_at",
    Status.PERMANENT_FAILURE: "failed_at",
    Status.TEMPORARY_FAILURE: "failed_at",
}


def _find_message(gateway: str, receipt: Receipt) -> Message | None:
    query = Message.objects.select_for_update()
    if receipt.reference:
        try:
            return query.filter(uuid=receipt.reference).first()
        except ValidationError:  # not a UUID
            return None
    if receipt.provider_message_id:
        return query.filter(provider=gateway, provider_message_id=receipt.provider_message_id).first()
    return None


def _outcome(message: Message | None, gateway: str, receipt: Receipt) -> str:
    """Why a receipt changes the message, or why it is ignored (out-of-order, stale, foreign)."""
    if message is None:
        return "unknown"
    if message.provider and message.provider != gateway:
        return "foreign"
    if message.status == Status.DELIVERED:
        return "stale"  # delivered is final: a late 'sending' or 'failed' never overwrites it
    if message.last_receipt_at and receipt.occurred_at <= message.last_receipt_at:
        return "stale"
    if receipt.status == Status.SENDING and message.status in FINAL:
        return "stale"
    return "applied"


def _apply(message: Message, gateway: str, receipt: Receipt) -> None:
    """Move the message to the receipt's status; a pending retry is cancelled by a final answer."""
    changes: dict[str, Any] = {
        "status": receipt.status,
        "last_receipt_at": receipt.occurred_at,
        "provider": gateway,
    }
    if receipt.provider_message_id and not message.provider_message_id:
        changes["provider_message_id"] = receipt.provider_message_id
    if receipt.status != Status.SENDING:
        changes[STATUS_TIME_FIELD[receipt.status]] = receipt.occurred_at
        changes["next_attempt_at"] = None  # the provider's answer is final for this row
    if message.sent_at is None:
        changes["sent_at"] = receipt.occurred_at
    if receipt.status in (Status.PERMANENT_FAILURE, Status.TEMPORARY_FAILURE):
        changes["last_error"] = _("服务商回执：%(status)s") % {"status": Status(receipt.status).label}
    Message.objects.filter(pk=message.pk).update(**changes)


@transaction.atomic
def apply_receipt(gateway: str, receipt: Receipt) -> str:
    """Record one verified receipt; return its outcome.

    ``duplicate`` (this receipt id was seen: a retry or a replay), ``stale`` (older than what we
    know, e.g. 'sending' after 'delivered'), ``unknown``/``foreign`` (not our message, or sent through
    another gateway), or ``applied``. Every receipt is kept, so a replay is recognised forever.
    """
    if DeliveryReceipt.objects.filter(gateway=gateway, receipt_id=receipt.receipt_id).exists():
        return "duplicate"
    message = _find_message(gateway, receipt)
    outcome = _outcome(message, gateway, receipt)
    try:
        with transaction.atomic():
            DeliveryReceipt.objects.create(
                gateway=gateway,
                receipt_id=receipt.receipt_id,
                message=message,
                status=receipt.status,
                occurred_at=receipt.occurred_at,
                outcome=outcome,
            )
    except IntegrityError:  # the same receipt arrived twice at once
        return "duplicate"
    if outcome == "applied" and message is not None:
        _apply(message, gateway, receipt)
    return outcome
