"""Read-only admin views: every change goes through the services (audit, SMS, permissions)."""

from django.contrib import admin

from .models import Complaint, Consultation, Evaluation, FaqEntry, ReplySnippet


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ("number", "department", "status", "due_date", "asked_at")
    list_filter = ("status",)


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("number", "department", "subject", "status", "due_date", "filed_at")
    list_filter = ("status", "subject")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("invitation", "level", "named", "rated_at")


@admin.register(FaqEntry)
class FaqEntryAdmin(ReadOnlyAdmin):
    list_display = ("question", "department", "status")


@admin.register(ReplySnippet)
class ReplySnippetAdmin(ReadOnlyAdmin):
    list_display = ("title", "department", "is_active")
