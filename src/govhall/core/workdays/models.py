"""The working-day calendar (工作日历): one row per calendar year and one per day.

Licensing Law Art. 82: periods are counted in working days, statutory holidays excluded; the State
Council's yearly notice (国务院办公厅关于部分节假日安排的通知) also moves weekend days to working
days (调休上班). A year is *official* once that notice is entered (or shipped by ``chinesecalendar``)
and *provisional* before: statutory holidays only, no bridging or make-up days.

Only ``services`` writes these tables; every write gives the year a new ``revision`` so that readers
in any process know their cached copy is stale.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The lunar tables of the ``holidays`` package cover 1950-2100; outside that a provisional year would
# silently have no Spring Festival.
MIN_YEAR = 1950
MAX_YEAR = 2100


class CalendarYear(models.Model):
    class Status(models.TextChoices):
        OFFICIAL = "official", _("正式（已按国务院通知发布）")
        PROVISIONAL = "provisional", _("暂定（仅含法定节假日）")

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices)
    source = models.CharField(
        _("来源"),
        max_length=200,
        help_text=_("如 chinesecalendar 1.11.0、国务院办公厅通知 国办发明电〔2025〕7号"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by_id = models.BigIntegerField(_("发布人ID"), null=True, blank=True)
    revision = models.UUIDField(
        _("版本"), default=uuid.uuid4, editable=False, help_text=_("每次改写该年日历时更新，用作缓存键")
    )

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["official", "provisional"]), name="workdays_year_status_valid"
            ),
            models.CheckConstraint(condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="workdays_year_in_range"),
            models.CheckConstraint(condition=~Q(source=""), name="workdays_year_source_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.year}（{self.get_status_display()}）"

    @property
    def is_provisional(self) -> bool:
        return self.status == self.Status.PROVISIONAL


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        WORKDAY = "workday", _("工作日")
        REST = "rest", _("休息日")
        HOLIDAY = "holiday", _("节假日")
        MAKEUP_WORKDAY = "makeup_workday", _("调休上班")

    WORKING_KINDS = frozenset({Kind.WORKDAY, Kind.MAKEUP_WORKDAY})

    date = models.DateField(_("日期"), primary_key=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    holiday_name = models.CharField(_("节日名称"), max_length=40, blank=True)
    year = models.ForeignKey(
        CalendarYear,
        on_delete=models.CASCADE,
        to_field="year",
        db_column="year",
        related_name="days",
        verbose_name=_("年度"),
    )

    class Meta:
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["workday", "rest", "holiday", "makeup_workday"]),
                name="workdays_day_kind_valid",
            ),
            # A holiday is always named; a plain workday or weekend never is.
            models.CheckConstraint(
                condition=(Q(kind="holiday") & ~Q(holiday_name=""))
                | (Q(kind__in=["workday", "rest"]) & Q(holiday_name=""))
                | Q(kind="makeup_workday"),
                name="workdays_day_name_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
        return f"{label}（{self.holiday_name}）" if self.holiday_name else label

    @property
    def is_working_day(self) -> bool:
        return self.kind in self.WORKING_KINDS
