"""The audit trail: append-only, hash-chained, checkpointed with a signature.

Why: the regulation requires an audit trail (Art. 23) in which unauthorised addition, deletion or
change of system data is detectable (Art. 20 (四)). Rows are written only by
:func:`govhall.core.audit.services.record`; the database refuses UPDATE and DELETE (migration 0002)
and this module refuses them in Python too, so a bug cannot rewrite history by accident.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an append-only row: the audit trail, an
    application's timeline, the license ledger and status history (记录只可追加)."""


def _refuse(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise AppendOnlyError("append-only rows / 记录只可追加，不得修改或删除")


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset without bulk ``update()`` or ``delete()``."""

    update = _refuse
    delete = _refuse
    _raw_delete = _refuse


class AppendOnlyModel(models.Model):
    """Rows are inserted once (``objects.create``) and never saved again or deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()


class AuditEvent(AppendOnlyModel):
    """One audited action. ``id`` is a gap-free sequence assigned under the chain lock."""

    id = models.BigIntegerField(_("序号"), primary_key=True, editable=False)
    occurred_at = models.DateTimeField(_("发生时间"))
    # No foreign key: the trail must outlive (and not block) the deletion or anonymisation of users.
    actor_id = models.BigIntegerField(_("操作人编号"), null=True, blank=True)
    actor_label = models.CharField(_("操作人"), max_length=150)
    role = models.CharField(_("角色"), max_length=64, blank=True)
    scope = models.CharField(_("范围"), max_length=64, blank=True)
    action = models.CharField(_("动作"), max_length=100)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=128, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=500, blank=True)
    prev_hash = models.CharField(_("前一哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["actor_id", "-id"], name="audit_event_actor"),
            models.Index(fields=["actor_label", "-id"], name="audit_event_actor_label"),
            models.Index(fields=["object_type", "object_id", "-id"], name="audit_event_object"),
            models.Index(fields=["action", "-id"], name="audit_event_action"),
            models.Index(fields=["occurred_at"], name="audit_event_occurred_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.actor_label}"


class AuditCheckpoint(AppendOnlyModel):
    """A signature over the chain head: ``(last_event_id, head_hash, event_count)``."""

    created_at = models.DateTimeField(_("创建时间"))
    last_event_id = models.BigIntegerField(_("最后事件序号"))
    head_hash = models.CharField(_("链头哈希"), max_length=64)
    event_count = models.BigIntegerField(_("事件数"))
    key_id = models.CharField(_("密钥标识"), max_length=32)
    signature = models.CharField(_("签名"), max_length=128)

    class Meta:
        verbose_name = _("审计检查点")
        verbose_name_plural = _("审计检查点")
        ordering = ["-last_event_id"]
        indexes = [models.Index(fields=["last_event_id"], name="audit_checkpoint_event")]

    def __str__(self) -> str:
        return f"checkpoint #{self.pk} @ event {self.last_event_id}"


class AuditChainHead(models.Model):
    """The single row (id=1) whose row lock serialises appends; mutable by design.

    It is a cache of the newest event's id and hash, updated in the same transaction as the insert.
    If it is missing (a fresh or flushed database) it is rebuilt from the events table.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_singleton")]

    def __str__(self) -> str:
        return f"head @ event {self.last_event_id}"
