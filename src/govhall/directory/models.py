"""The city's structure: regions, sub-halls, service centres with their windows, and departments.

Art. 2 of the regulation: the hall has sub-halls (分厅) for every district and development zone, and
service centres (政务服务大厅) at city, district and street / township level.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.core.workdays.hours import OfficeHours


class RegionKind(models.TextChoices):
    CITY = "city", _("市")
    DISTRICT = "district", _("市辖区")
    COUNTY = "county", _("县")
    COUNTY_CITY = "county_city", _("县级市")
    DEVELOPMENT_ZONE = "development_zone", _("开发区")
    STREET = "street", _("街道")
    TOWNSHIP = "township", _("乡镇")


SUB_HALL_KINDS = (RegionKind.DISTRICT, RegionKind.COUNTY, RegionKind.COUNTY_CITY, RegionKind.DEVELOPMENT_ZONE)


class Region(models.Model):
    """A node of the region tree. ``code`` is the GB/T 2260 code where one exists; development zones
    have a local code (``is_official_code`` False) since GB/T 2260 does not list them."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    is_official_code = models.BooleanField(_("国家标准代码"), default=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                name="region_kind_valid", condition=Q(kind__in=[choice.value for choice in RegionKind])
            ),
            models.CheckConstraint(
                name="region_only_city_is_root", condition=Q(kind=RegionKind.CITY) | Q(parent__isnull=False)
            ),
            models.CheckConstraint(name="region_code_format", condition=Q(code__regex=r"^[0-9]{6}([0-9]{3,6})?$")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_sub_hall(self) -> bool:
        return self.kind in SUB_HALL_KINDS


class SubHall(models.Model):
    """A district's or zone's page inside the platform (Art. 2, Art. 6), edited by its district office."""

    region = models.OneToOneField(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="sub_hall")
    title = models.CharField(_("分厅名称"), max_length=100)
    banner_text = models.CharField(_("横幅文字"), max_length=200, blank=True)
    notice = models.TextField(_("通知公告"), blank=True)
    contact_phone = models.CharField(_("咨询电话"), max_length=50, blank=True)
    contact_address = models.CharField(_("联系地址"), max_length=200, blank=True)
    is_published = models.BooleanField(_("已上线"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("分厅")
        verbose_name_plural = _("分厅")
        ordering = ["region__sort_order", "region__code"]

    def __str__(self) -> str:
        return self.title


class CentreLevel(models.TextChoices):
    CITY = "city", _("市级")
    DISTRICT = "district", _("县（市）区、开发区级")
    STREET = "street", _("街道（乡镇）级")


class ServiceCentre(models.Model):
    """A physical service hall with windows (政务服务中心 / 公共服务中心)."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    level = models.CharField(_("层级"), max_length=10, choices=CentreLevel.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="centres")
    address = models.CharField(_("地址"), max_length=200)
    phone = models.CharField(_("电话"), max_length=50)
    office_hours = models.JSONField(_("办公时间"), default=dict, blank=True)
    transport = models.CharField(_("交通指引"), max_length=300, blank=True)
    notice = models.TextField(_("须知"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("政务服务中心")
        verbose_name_plural = _("政务服务中心")
        ordering = ["region__sort_order", "level", "code"]
        constraints = [
            models.CheckConstraint(
                name="centre_level_valid", condition=Q(level__in=[choice.value for choice in CentreLevel])
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def hours(self) -> OfficeHours:
        return OfficeHours.from_json(self.office_hours)


class WindowKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合窗口")
    SPECIALISED = "specialised", _("专业窗口")


class Window(models.Model):
    """A counter in a service centre. Comprehensive windows accept every department's items (Art. 9)."""

    centre = models.ForeignKey(
        ServiceCentre, verbose_name=_("服务中心"), on_delete=models.CASCADE, related_name="windows"
    )
    number = models.CharField(_("窗口号"), max_length=20)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=WindowKind.choices)
    department = models.ForeignKey(
        "Department",
        verbose_name=_("进驻部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="windows",
    )
    area = models.CharField(_("区域"), max_length=50, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["centre", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="window_number_unique_per_centre"),
            models.CheckConstraint(
                name="window_specialised_has_department",
                condition=Q(kind=WindowKind.COMPREHENSIVE) | Q(department__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre.name} {self.number}号窗口"


class DepartmentLevel(models.TextChoices):
    CITY = "city", _("市级")
    DISTRICT = "district", _("县（市）区、开发区级")
    STREET = "street", _("街道（乡镇）级")


class Department(models.Model):
    """A body that implements service items (事项服务主体, Art. 2 and 5)."""

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    uscc_override_reason = models.CharField(
        _("校验位例外说明"),
        max_length=200,
        blank=True,
        help_text=_("历史代码校验位不符时，由市政务公开办确认并说明原因（已记入审计日志）。"),
    )
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="departments")
    level = models.CharField(_("层级"), max_length=10, choices=DepartmentLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
    )
    centre = models.ForeignKey(
        ServiceCentre,
        verbose_name=_("进驻服务中心"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="departments",
    )
    office_hours = models.JSONField(
        _("办公时间"), default=dict, blank=True, help_text=_("留空则使用所在服务中心的办公时间")
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    consultation_phone = models.CharField(_("咨询电话"), max_length=50)
    complaint_phone = models.CharField(_("投诉电话"), max_length=50)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("事项服务主体")
        verbose_name_plural = _("事项服务主体")
        ordering = ["region__sort_order", "level", "name"]
        constraints = [
            models.CheckConstraint(
                name="department_level_valid",
                condition=Q(level__in=[choice.value for choice in DepartmentLevel]),
            ),
            models.UniqueConstraint(fields=["region", "name"], name="department_name_unique_per_region"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def hours(self) -> OfficeHours:
        """The department's own hours, else those of the centre it sits in, else the default."""
        if self.office_hours:
            return OfficeHours.from_json(self.office_hours)
        if self.centre_id is not None:
            return self.centre.hours
        return OfficeHours()
