"""Read-only admin: the calendar is written only by ``services`` (publishing goes through
``publish_official_year``; the workbench form comes later)."""

from __future__ import annotations

from django.contrib import admin

from govhall.core.admin import ReadOnlyAdmin

from .models import CalendarDay, CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "status", "source", "published_at", "published_by_id"]
    list_filter = ["status"]
    readonly_fields = ["year", "status", "source", "published_at", "published_by_id", "revision"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "weekday", "kind", "holiday_name", "year"]
    list_filter = ["kind", "year"]
    search_fields = ["holiday_name"]
    date_hierarchy = "date"
    list_select_related = ["year"]
    readonly_fields = ["date", "kind", "holiday_name", "year"]

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return "周" + "一二三四五六日"[obj.date.weekday()]
