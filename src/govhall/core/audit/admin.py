"""Read-only admin views of the audit trail.

Why: nothing may add, change or delete audit rows outside :func:`services.record` (regulation
Art. 20 (四): unauthorised addition, deletion or change of system data), the admin included.
"""

from __future__ import annotations

from django.contrib import admin

from govhall.core.admin import ReadOnlyAdmin
from govhall.core.audit.models import AuditCheckpoint, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "occurred_at", "actor_label", "role", "scope", "action", "object_type", "object_id")
    # Exact and prefix searches only, and no list_filter / date_hierarchy: each of those runs a
    # DISTINCT over the whole table on every page load. The workbench has the full search.
    search_fields = ("=actor_label", "=object_id", "^action")
    ordering = ("-id",)


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "last_event_id", "event_count", "key_id")
    ordering = ("-last_event_id",)
