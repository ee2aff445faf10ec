"""The SMS outbox: the message row IS the queue (ARCHITECTURE.md, "the outbox pattern").

A :class:`Message` is written in the business transaction that causes it (Art. 11: the receipt of
a submitted application), so it rolls back with that transaction and survives a crash after commit.
Workers claim due rows with a conditional UPDATE that sets a lease; the statuses follow GOV.UK
Notify's lifecycle.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.crypto import EncryptedTextField, mask_mobile


class SmsTemplate(models.Model):
    """One version of a template. An edit by the city office is a new version; only one is active."""

    code = models.CharField(_("模板代码"), max_length=50)
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("名称"), max_length=50)
    text_zh = models.TextField(_("中文内容"))
    text_en = models.TextField(_("英文内容"), blank=True)
    provider_template_id = models.CharField(_("服务商模板ID"), max_length=64, blank=True)
    params = models.JSONField(_("参数"), default=list)
    urgent = models.BooleanField(_("紧急（免打扰时段照常发送）"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("修改说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("短信模板")
        verbose_name_plural = _("短信模板")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="sms_template_code_version"),
            models.UniqueConstraint(fields=["code"], condition=Q(active=True), name="sms_template_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code} v{self.version}）"


class Status(models.TextChoices):
    """GOV.UK Notify's lifecycle. ``temporary_failure`` with a next attempt time is a retry waiting;
    without one it is final (the provider gave up after accepting)."""

    CREATED = "created", _("待发送")
    SENDING = "sending", _("发送中")
    DELIVERED = "delivered", _("已送达")
    TEMPORARY_FAILURE = "temporary_failure", _("暂时失败")
    PERMANENT_FAILURE = "permanent_failure", _("永久失败")
    TECHNICAL_FAILURE = "technical_failure", _("技术故障")


CLAIMABLE = (Status.CREATED, Status.TEMPORARY_FAILURE)
FAILED = (Status.TEMPORARY_FAILURE, Status.PERMANENT_FAILURE, Status.TECHNICAL_FAILURE)
FINAL = (Status.DELIVERED, Status.PERMANENT_FAILURE, Status.TECHNICAL_FAILURE)


class Message(models.Model):
    """One SMS to one mobile number. ``uuid`` is the idempotency key sent to every gateway."""

    uuid = models.UUIDField(_("消息标识"), default=uuid.uuid4, unique=True, editable=False)
    template = models.ForeignKey(SmsTemplate, on_delete=models.PROTECT, related_name="messages")
    template_code = models.CharField(_("模板代码"), max_length=50)
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    recipient = EncryptedTextField(_("手机号码"))
    recipient_hash = models.CharField(max_length=64, editable=False)
    params_sealed = EncryptedTextField(_("参数"), default="")
    text = EncryptedTextField(_("短信内容"))
    urgent = models.BooleanField(_("紧急"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.CREATED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("租约到期"), null=True, blank=True)
    leased_by = models.CharField(_("处理进程"), max_length=100, blank=True)
    provider = models.CharField(_("短信通道"), max_length=50, blank=True)
    provider_message_id = models.CharField(_("通道消息ID"), max_length=100, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=200, null=True, blank=True, unique=True)
    object_type = models.CharField(_("业务对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("业务对象ID"), max_length=64, blank=True)
    resend_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="resends")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("提交通道时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    failed_at = models.DateTimeField(_("失败时间"), null=True, blank=True)
    last_receipt_at = models.DateTimeField(_("最近回执时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信")
        indexes = [
            # The claim query: due rows in a claimable status (a small partial index).
            models.Index(
                fields=["-urgent", "next_attempt_at"],
                condition=Q(status__in=["created", "temporary_failure"]),
                name="sms_message_due",
            ),
            models.Index(fields=["object_type", "object_id", "created_at"], name="sms_message_object"),
            models.Index(fields=["status", "created_at"], name="sms_message_status"),
            models.Index(fields=["created_at"], name="sms_message_created"),
            models.Index(fields=["recipient_hash", "created_at"], name="sms_message_recipient"),
            models.Index(fields=["provider", "provider_message_id"], name="sms_message_provider_id"),
        ]
        constraints = [
            models.CheckConstraint(
                name="sms_message_status_valid", condition=Q(status__in=[choice.value for choice in Status])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_code} → {self.masked_recipient} ({self.status})"

    @property
    def masked_recipient(self) -> str:
        return mask_mobile(self.recipient)

    @property
    def params(self) -> dict[str, Any]:
        return json.loads(self.params_sealed) if self.params_sealed else {}

    @params.setter
    def params(self, value: dict[str, Any]) -> None:
        self.params_sealed = json.dumps(value, ensure_ascii=False, sort_keys=True)

    @property
    def retry_pending(self) -> bool:
        return self.status in CLAIMABLE and self.next_attempt_at is not None

    @property
    def is_failed(self) -> bool:
        return self.status in FAILED and not self.retry_pending


class DeliveryReceipt(models.Model):
    """A delivery receipt as a gateway sent it: kept to refuse replays and to explain the status."""

    gateway = models.CharField(_("短信通道"), max_length=50)
    receipt_id = models.CharField(_("回执ID"), max_length=100)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, related_name="receipts")
    status = models.CharField(_("回执状态"), max_length=20)
    occurred_at = models.DateTimeField(_("状态发生时间"))
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    outcome = models.CharField(_("处理结果"), max_length=20)

    class Meta:
        verbose_name = _("送达回执")
        verbose_name_plural = _("送达回执")
        constraints = [
            models.UniqueConstraint(fields=["gateway", "receipt_id"], name="sms_receipt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.gateway}:{self.receipt_id} {self.status} ({self.outcome})"
