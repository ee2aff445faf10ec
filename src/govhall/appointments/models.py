"""Bookable capacity, materialised slots and appointments (regulation Art. 8).

Overbooking is impossible by construction: a slot row carries ``seats`` and ``booked`` with the
database check ``booked <= seats``, and a seat is only ever taken by the conditional UPDATE
``booked = booked + 1 WHERE booked < seats`` (see ``services.take_seat``). History is appended:
every status change is an :class:`AppointmentEvent`; a staff cancellation also leaves a
:class:`StaffCancellation` that the district office reads (Art. 8: the department may not refuse a
booked applicant without a recorded reason).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models import ServiceItem
from govhall.directory.models import ServiceCentre, Window


class BookingCapacity(models.Model):
    """How a centre receives booked visits for one item, or (``item`` empty) for every item it handles."""

    centre = models.ForeignKey(
        ServiceCentre, verbose_name=_("服务中心"), on_delete=models.PROTECT, related_name="booking_capacities"
    )
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="booking_capacities",
        help_text=_("留空表示本中心窗口办理的全部可预约事项"),
    )
    slot_minutes = models.PositiveSmallIntegerField(_("时段长度（分钟）"), default=30)
    windows = models.PositiveSmallIntegerField(_("每时段并行窗口数"), default=1)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("预约容量")
        verbose_name_plural = _("预约容量")
        ordering = ["centre", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "item"], condition=Q(item__isnull=False), name="capacity_one_per_centre_item"
            ),
            models.UniqueConstraint(
                fields=["centre"], condition=Q(item__isnull=True), name="capacity_one_general_per_centre"
            ),
            models.CheckConstraint(
                name="capacity_slot_minutes_range", condition=Q(slot_minutes__gte=5, slot_minutes__lte=240)
            ),
            models.CheckConstraint(name="capacity_windows_positive", condition=Q(windows__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.centre} · {self.item or _('全部事项')}"


class CapacityException(models.Model):
    """A centre's change for one date: one window closed (``window``), or only ``windows_open``
    windows working (0 = no bookings that day). ``capacity`` empty: every capacity of the centre."""

    centre = models.ForeignKey(
        ServiceCentre, verbose_name=_("服务中心"), on_delete=models.PROTECT, related_name="capacity_exceptions"
    )
    date = models.DateField(_("日期"))
    capacity = models.ForeignKey(
        BookingCapacity,
        verbose_name=_("预约容量"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exceptions",
    )
    window = models.ForeignKey(
        Window, verbose_name=_("关闭的窗口"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    windows_open = models.PositiveSmallIntegerField(_("开放窗口数"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预约例外")
        verbose_name_plural = _("预约例外")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["centre", "date"], name="capacity_exception_day")]
        constraints = [
            models.CheckConstraint(
                name="capacity_exception_says_what",
                condition=Q(window__isnull=False) | Q(windows_open__isnull=False),
            ),
            models.CheckConstraint(name="capacity_exception_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.date:%Y-%m-%d} {self.reason}"


class Slot(models.Model):
    """One bookable time of one capacity on one day, materialised by ``slots.ensure_slots``.

    ``provisional``: the day lies in a year whose official holiday schedule is not published yet
    (it is bookable, but the applicant is told it may move)."""

    capacity = models.ForeignKey(
        BookingCapacity, verbose_name=_("预约容量"), on_delete=models.PROTECT, related_name="slots"
    )
    date = models.DateField(_("日期"))
    start = models.DateTimeField(_("开始时间"))
    end = models.DateTimeField(_("结束时间"))
    seats = models.PositiveSmallIntegerField(_("号源数"))
    booked = models.PositiveSmallIntegerField(_("已约数"), default=0)
    provisional = models.BooleanField(_("待国务院通知确认"), default=False)

    class Meta:
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        ordering = ["start", "capacity"]
        indexes = [models.Index(fields=["capacity", "date"], name="slot_capacity_day")]
        constraints = [
            models.UniqueConstraint(fields=["capacity", "date", "start"], name="slot_unique_start"),
            models.CheckConstraint(name="slot_not_overbooked", condition=Q(booked__lte=F("seats"))),
            models.CheckConstraint(name="slot_ends_after_start", condition=Q(end__gt=F("start"))),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}（{self.booked}/{self.seats}）"

    @property
    def free(self) -> int:
        return max(self.seats - self.booked, 0)


class Status(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CHECKED_IN = "checked_in", _("已签到")
    SERVED = "served", _("已办理")
    CANCELLED_BY_APPLICANT = "cancelled_by_applicant", _("本人取消")
    CANCELLED_BY_STAFF = "cancelled_by_staff", _("工作人员取消")
    NO_SHOW = "no_show", _("未到")


LIVE_STATUSES = (Status.BOOKED, Status.CHECKED_IN)

# The whole lifecycle on one screen (issue 6, item 3).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.BOOKED: frozenset(
        {Status.CHECKED_IN, Status.CANCELLED_BY_APPLICANT, Status.CANCELLED_BY_STAFF, Status.NO_SHOW}
    ),
    Status.CHECKED_IN: frozenset({Status.SERVED}),
    Status.SERVED: frozenset(),
    Status.CANCELLED_BY_APPLICANT: frozenset(),
    Status.CANCELLED_BY_STAFF: frozenset(),
    Status.NO_SHOW: frozenset(),
}


class Appointment(models.Model):
    """A booked visit. ``code`` is read out at the window: 8 characters without 0/O/1/I."""

    code = models.CharField(_("预约号"), max_length=8, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("预约人"), on_delete=models.PROTECT, related_name="appointments"
    )
    item = models.ForeignKey(ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="appointments")
    centre = models.ForeignKey(
        ServiceCentre, verbose_name=_("服务中心"), on_delete=models.PROTECT, related_name="appointments"
    )
    slot = models.ForeignKey(Slot, verbose_name=_("时段"), on_delete=models.PROTECT, related_name="appointments")
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices, default=Status.BOOKED)
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    served_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Filled by the applications domain when the visit belongs to an application (Art. 12).
    business_number = models.CharField(_("业务编号"), max_length=48, null=True, blank=True)
    # The pre-reviewed application this visit continues (issue 8); set by ``services.book``.
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["applicant", "status"], name="appointment_applicant_status"),
            models.Index(fields=["centre", "status"], name="appointment_centre_status"),
        ]
        constraints = [
            models.CheckConstraint(name="appointment_status_valid", condition=Q(status__in=Status.values)),
            models.CheckConstraint(
                name="appointment_staff_cancel_has_reason",
                condition=~Q(status=Status.CANCELLED_BY_STAFF) | ~Q(cancel_reason=""),
            ),
            models.CheckConstraint(
                name="appointment_checked_in_has_time",
                condition=~Q(status__in=[Status.CHECKED_IN, Status.SERVED]) | Q(checked_in_at__isnull=False),
            ),
            models.CheckConstraint(
                name="appointment_served_has_time",
                condition=~Q(status=Status.SERVED) | Q(served_at__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["applicant", "slot"],
                condition=Q(status__in=LIVE_STATUSES),
                name="appointment_one_live_per_applicant_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.item}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class AppointmentEvent(models.Model):
    """An appended row of an appointment's history (created, rescheduled, checked in, ...)."""

    appointment = models.ForeignKey(
        Appointment, verbose_name=_("预约"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("动作"), max_length=24)
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("预约记录")
        verbose_name_plural = _("预约记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.appointment.code} {self.action}"


class StaffCancellation(models.Model):
    """Supervision record of a staff cancellation (Art. 8), read by the centre's district office."""

    appointment = models.OneToOneField(
        Appointment, verbose_name=_("预约"), on_delete=models.PROTECT, related_name="staff_cancellation"
    )
    centre = models.ForeignKey(ServiceCentre, verbose_name=_("服务中心"), on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("取消人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=300)
    at = models.DateTimeField(_("取消时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作人员取消预约")
        verbose_name_plural = _("工作人员取消预约")
        ordering = ["-at"]
        constraints = [models.CheckConstraint(name="staff_cancellation_has_reason", condition=~Q(reason=""))]

    def __str__(self) -> str:
        return f"{self.appointment.code} {self.reason}"


class BookingRestriction(models.Model):
    """A temporary stop on online booking after repeated no-shows (issue 6, item 3)."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("预约人"),
        on_delete=models.PROTECT,
        related_name="booking_restrictions",
    )
    until = models.DateField(_("限制至"))
    reason = models.CharField(_("原因"), max_length=300)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预约限制")
        verbose_name_plural = _("预约限制")
        ordering = ["-until"]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.until:%Y-%m-%d}"
