"""Admin helpers shared by every domain."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Domain data is changed only through services (permission, audit); the admin just shows it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
