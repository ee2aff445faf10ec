"""Admin views of the directory: read-only; changes go through the workbench and its services."""

from django.contrib import admin

from govhall.core.admin import ReadOnlyAdmin
from govhall.directory.models import Department, Region, ServiceCentre, SubHall, Window


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "parent", "is_official_code")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(SubHall)
class SubHallAdmin(ReadOnlyAdmin):
    list_display = ("title", "region", "is_published", "updated_at")


@admin.register(ServiceCentre)
class ServiceCentreAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "region", "phone")
    list_filter = ("level",)


@admin.register(Window)
class WindowAdmin(ReadOnlyAdmin):
    list_display = ("centre", "number", "name", "kind", "department")
    list_select_related = ("centre", "department")


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "uscc", "region", "level", "consultation_phone")
    list_filter = ("level",)
    search_fields = ("name", "uscc")
