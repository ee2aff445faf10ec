"""Admin views of accounts: read-only, except new privacy-notice versions. Changes to people and
roles go through the workbench, whose services check permissions and write audit events."""

from django.contrib import admin

from govhall.accounts.models import PrivacyNotice, RoleAssignment, User
from govhall.core.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "name", "kind", "masked_mobile", "is_active", "date_joined")
    list_filter = ("kind", "is_active")
    search_fields = ("username", "name")
    exclude = ("password", "mobile", "mobile_hash")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "department", "region", "centre", "valid_from", "valid_until", "revoked_at")
    list_filter = ("role",)
    list_select_related = ("user", "department", "region", "centre")


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    """A published notice is never edited: a change is a new version (consents name the version)."""

    list_display = ("version", "title", "published_at")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
