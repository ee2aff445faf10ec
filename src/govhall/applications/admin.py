"""Admin views of applications: read-only; changes go through the services (permission, audit)."""

from django.contrib import admin

from govhall.applications.models import Application, Notice, TimelineEntry
from govhall.core.admin import ReadOnlyAdmin


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("business_number", "item", "status", "acceptance_due", "decision_due", "marker")
    list_filter = ("status", "channel", "marker")
    search_fields = ("business_number",)
    list_select_related = ("item",)
    exclude = ("form_data",)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "created_at")
    exclude = ("content", "pdf")


@admin.register(TimelineEntry)
class TimelineEntryAdmin(ReadOnlyAdmin):
    list_display = ("application", "at", "action", "from_status", "to_status", "role", "scope_label")
    list_select_related = ("application",)
