"""Read-only admin views of the outbox: every change goes through ``notifications.services``."""

from __future__ import annotations

from django.contrib import admin

from govhall.notifications.models import DeliveryReceipt, Message, SmsTemplate


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "masked_recipient", "template_code", "status", "attempts", "provider")
    list_filter = ("status", "template_code", "provider")
    fields = (
        "uuid", "template", "masked_recipient", "status", "attempts", "next_attempt_at", "lease_expires_at",
        "leased_by", "provider", "provider_message_id", "last_error", "object_type", "object_id",
        "resend_of", "created_at", "sent_at", "delivered_at", "failed_at",
    )  # fmt: skip
    readonly_fields = fields


@admin.register(SmsTemplate)
class SmsTemplateAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "name", "active", "provider_template_id", "created_at")
    list_filter = ("active", "code")


@admin.register(DeliveryReceipt)
class DeliveryReceiptAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "gateway", "receipt_id", "status", "outcome", "message_id")
    list_filter = ("gateway", "outcome", "status")
