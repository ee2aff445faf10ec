"""Admin views of the catalog: read-only; changes go through the services (permission, audit)."""

from django.contrib import admin

from govhall.catalog.models import GuideVersion, LicenseType, MaterialRequirement, ServiceItem
from govhall.core.admin import ReadOnlyAdmin


@admin.register(LicenseType)
class LicenseTypeAdmin(ReadOnlyAdmin):
    list_display = ("type_code", "name", "defining_department", "is_active")
    list_select_related = ("defining_department",)


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnlyAdmin):
    list_display = ("implementation_code", "name", "item_type", "department", "region", "case_type")
    list_filter = ("item_type", "case_type")
    list_select_related = ("department", "region")
    search_fields = ("implementation_code", "name")


@admin.register(GuideVersion)
class GuideVersionAdmin(ReadOnlyAdmin):
    list_display = ("item", "number", "status", "submitted_at", "published_at")
    list_filter = ("status",)
    list_select_related = ("item",)


@admin.register(MaterialRequirement)
class MaterialRequirementAdmin(ReadOnlyAdmin):
    list_display = ("version", "order", "name", "necessity", "source")
    list_select_related = ("version__item",)
