"""Admin views of appointments: read-only; changes go through the services (permission, audit)."""

from django.contrib import admin

from govhall.appointments.models import (
    Appointment,
    BookingCapacity,
    BookingRestriction,
    CapacityException,
    Slot,
    StaffCancellation,
)
from govhall.core.admin import ReadOnlyAdmin


@admin.register(BookingCapacity)
class BookingCapacityAdmin(ReadOnlyAdmin):
    list_display = ("centre", "item", "slot_minutes", "windows", "is_active")
    list_select_related = ("centre", "item")


@admin.register(CapacityException)
class CapacityExceptionAdmin(ReadOnlyAdmin):
    list_display = ("centre", "date", "window", "windows_open", "reason")
    list_select_related = ("centre", "window")


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ("capacity", "start", "end", "seats", "booked", "provisional")
    list_filter = ("provisional",)
    list_select_related = ("capacity__centre", "capacity__item")


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ("code", "item", "centre", "slot", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("item", "centre", "slot")
    search_fields = ("code",)


@admin.register(StaffCancellation)
class StaffCancellationAdmin(ReadOnlyAdmin):
    list_display = ("appointment", "centre", "by", "reason", "at")
    list_select_related = ("appointment", "centre", "by")


@admin.register(BookingRestriction)
class BookingRestrictionAdmin(ReadOnlyAdmin):
    list_display = ("applicant", "until", "reason", "created_at")
    list_select_related = ("applicant",)
