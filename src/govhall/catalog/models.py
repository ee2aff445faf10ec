"""The item library: service items, license types and guides as immutable versions.

Art. 7: a department confirms an item's name, time limit, materials, steps and conditions, the office
publishes them. Art. 17 lists what a guide contains; STANDARDS.md ("Service items") gives the codes.
A published ``GuideVersion`` never changes (Art. 23: no unauthorised change of processes): a change
is a new version, the old one becomes ``superseded`` and stays readable.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from govhall.catalog.text import normalise
from govhall.catalog.themes import THEME_CODES
from govhall.core.validators import USCC_ALPHABET
from govhall.directory.models import Department, Region, ServiceCentre

BASIC_CODE_RE = r"^[0-9A-Z]{12}$"
IMPLEMENTATION_CODE_RE = r"^[0-9A-Z]{31}$"
LICENSE_TYPE_CODE_RE = rf"^[{USCC_ALPHABET}]{{18}}[0-9]{{3}}$"


def _choice_values(choices: type[models.TextChoices]) -> list[str]:
    return [choice.value for choice in choices]


def validate_basic_code(value: str) -> None:
    """基本编码: 12 characters of ``0-9A-Z`` (its inner structure is unconfirmed: not parsed)."""
    if not re.fullmatch(BASIC_CODE_RE, value or ""):
        raise ValidationError(_("基本编码应为12位数字或大写字母。"), code="basic_code")


def validate_implementation_code(value: str) -> None:
    """实施编码: 31 characters of ``0-9A-Z`` (the implementing body's USCC + 13, unconfirmed)."""
    if not re.fullmatch(IMPLEMENTATION_CODE_RE, value or ""):
        raise ValidationError(_("实施编码应为31位数字或大写字母。"), code="implementation_code")


def validate_license_type_code(value: str) -> None:
    """GB/T 36904 type code: the defining body's USCC (18) + a 3-digit sequence."""
    if not re.fullmatch(LICENSE_TYPE_CODE_RE, value or ""):
        raise ValidationError(
            _("证照类型代码应为21位：定义机构的统一社会信用代码（18位）加3位数字顺序号。"), code="type_code"
        )


def validate_print_template(value: str) -> None:
    """A license type prints with a template the code base ships (never a path from the outside)."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    if not re.fullmatch(r"licenses/[a-z0-9_/-]+\.html", value or ""):
        raise ValidationError(_("打印模板应为 licenses/ 目录下的 .html 模板。"), code="print_template")
    try:
        get_template(value)
    except TemplateDoesNotExist:
        raise ValidationError(_("打印模板“%(name)s”不存在。") % {"name": value}, code="print_template") from None


def validate_themes(value: Any) -> None:
    if not isinstance(value, list) or any(code not in THEME_CODES for code in value):
        raise ValidationError(_("主题分类代码无效。"), code="themes")


class LicenseType(models.Model):
    """证照类型 (GB/T 36903/36904): what a license of this type carries and how long it is valid."""

    type_code = models.CharField(_("证照类型代码"), max_length=21, unique=True, validators=[validate_license_type_code])
    name = models.CharField(_("证照类型名称"), max_length=100)
    defining_department = models.ForeignKey(
        Department, verbose_name=_("定义机构"), on_delete=models.PROTECT, related_name="defined_license_types"
    )
    fields = models.JSONField(_("照面信息项"), default=list, blank=True, help_text=_("[{name, label}]"))
    validity_rule = models.CharField(_("有效期规则"), max_length=200, blank=True)
    print_template = models.CharField(
        _("打印模板"),
        max_length=100,
        default="licenses/license.html",
        validators=[validate_print_template],
        help_text=_("证照版式所用的模板，如 licenses/license.html"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("证照类型")
        verbose_name_plural = _("证照类型")
        ordering = ["type_code"]
        constraints = [
            models.CheckConstraint(name="license_type_code_format", condition=Q(type_code__regex=LICENSE_TYPE_CODE_RE)),
        ]

    def __str__(self) -> str:
        return self.name


class ItemType(models.TextChoices):
    """事项类型 (STANDARDS.md)."""

    LICENSING = "01", _("行政许可")
    PENALTY = "02", _("行政处罚")
    ENFORCEMENT = "03", _("行政强制")
    LEVY = "04", _("行政征收")
    BENEFIT = "05", _("行政给付")
    INSPECTION = "06", _("行政检查")
    CONFIRMATION = "07", _("行政确认")
    REWARD = "08", _("行政奖励")
    ADJUDICATION = "09", _("行政裁决")
    OTHER_POWER = "10", _("其他行政权力")
    PUBLIC_SERVICE = "20", _("公共服务")


class ServiceObject(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人")
    BOTH = "both", _("自然人、法人")


class CaseType(models.TextChoices):
    """办件类型: 1 即办件 (decided on the spot), 2 承诺件 (decided within a promised time)."""

    INSTANT = "1", _("即办件")
    PROMISED = "2", _("承诺件")


ONLINE_DEPTH_FIELDS = ("booking", "pre_review", "full_online", "online_payment", "delivery")


class ServiceItem(models.Model):
    """政务服务事项: one body's implementation of a nationally coded item, shown in its region's sub-hall."""

    basic_code = models.CharField(_("基本编码"), max_length=12, validators=[validate_basic_code])
    implementation_code = models.CharField(
        _("实施编码"), max_length=31, unique=True, validators=[validate_implementation_code]
    )
    name = models.CharField(_("事项名称"), max_length=200)
    item_type = models.CharField(_("事项类型"), max_length=2, choices=ItemType.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="service_items"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="service_items"
    )
    service_object = models.CharField(_("服务对象"), max_length=20, choices=ServiceObject.choices)
    case_type = models.CharField(_("办件类型"), max_length=1, choices=CaseType.choices)
    booking = models.BooleanField(_("网上预约"), default=False)
    pre_review = models.BooleanField(_("网上预审"), default=False)
    full_online = models.BooleanField(_("全流程网上办理"), default=False)
    online_payment = models.BooleanField(_("网上支付"), default=False)
    delivery = models.BooleanField(_("物流快递"), default=False)
    themes = models.JSONField(_("主题分类"), default=list, blank=True, validators=[validate_themes])
    aliases = models.CharField(_("别名"), max_length=300, blank=True, help_text=_("以逗号或空格分隔"))
    keywords = models.CharField(_("关键词"), max_length=300, blank=True)
    result_license_types = models.ManyToManyField(
        LicenseType, verbose_name=_("办理结果证照"), blank=True, related_name="issuing_items"
    )
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    published_version = models.ForeignKey(
        "GuideVersion",
        verbose_name=_("现行指南版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        ordering = ["implementation_code"]
        indexes = [models.Index(fields=["search_text"], name="catalog_item_search_text")]
        constraints = [
            models.CheckConstraint(name="item_basic_code_format", condition=Q(basic_code__regex=BASIC_CODE_RE)),
            models.CheckConstraint(
                name="item_implementation_code_format", condition=Q(implementation_code__regex=IMPLEMENTATION_CODE_RE)
            ),
            models.CheckConstraint(name="item_type_valid", condition=Q(item_type__in=_choice_values(ItemType))),
            models.CheckConstraint(
                name="item_service_object_valid", condition=Q(service_object__in=_choice_values(ServiceObject))
            ),
            models.CheckConstraint(name="item_case_type_valid", condition=Q(case_type__in=_choice_values(CaseType))),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "aliases", "keywords", "department"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        """Name + aliases + keywords + department name, normalised (see ``catalog.text.normalise``)."""
        parts = [self.name, self.aliases, self.keywords, self.department.name if self.department_id else ""]
        return " ".join(normalise(part) for part in parts if part)


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    PUBLISHED = "published", _("已发布")
    RETURNED = "returned", _("已退回")
    SUPERSEDED = "superseded", _("已替代")


OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.RETURNED)
FROZEN_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    NATURAL_DAYS = "natural_days", _("自然日")
    HOURS = "hours", _("小时")


class PublishedVersionImmutable(Exception):
    """A published (or superseded) guide version was about to be changed (Art. 23)."""


class GuideVersion(models.Model):
    """办事指南的一个版本: every element of Art. 17 / STANDARDS.md as a structured field."""

    item = models.ForeignKey(ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    conditions = models.TextField(_("受理条件"), blank=True)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    statutory_limit = models.PositiveIntegerField(_("法定办结时限"), null=True, blank=True)
    statutory_unit = models.CharField(
        _("法定时限单位"), max_length=12, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    statutory_note = models.CharField(_("法定时限说明"), max_length=300, blank=True)
    promised_limit = models.PositiveIntegerField(_("承诺办结时限"), null=True, blank=True)
    promised_unit = models.CharField(
        _("承诺时限单位"), max_length=12, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    promised_note = models.CharField(_("承诺时限说明"), max_length=300, blank=True)
    special_or_complex = models.BooleanField(
        _("特殊复杂事项"), default=False, help_text=_("不适用30分钟网上预审时限（第十二条）")
    )
    on_site_visits = models.PositiveSmallIntegerField(_("到现场次数"), default=0)
    fees = models.JSONField(_("收费"), default=list, blank=True)
    window_steps = models.JSONField(_("窗口办理流程"), default=list, blank=True)
    online_steps = models.JSONField(_("网上办理流程"), default=list, blank=True)
    review_stages = models.JSONField(_("审查环节"), default=list, blank=True)
    special_procedures = models.JSONField(_("特别程序"), default=list, blank=True)
    faq = models.JSONField(_("常见问题"), default=list, blank=True)
    consultation_phone = models.CharField(_("咨询电话"), max_length=50, blank=True)
    complaint_phone = models.CharField(_("投诉电话"), max_length=50, blank=True)
    centres = models.ManyToManyField(ServiceCentre, verbose_name=_("办理地点"), blank=True, related_name="+")
    form_definition = models.JSONField(_("申请表单定义"), default=dict, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    returned_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("办事指南版本")
        verbose_name_plural = _("办事指南版本")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="guide_version_number_unique"),
            models.UniqueConstraint(
                fields=["item"], condition=Q(status__in=OPEN_STATUSES), name="guide_version_one_open_per_item"
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="guide_version_one_published_per_item",
            ),
            models.CheckConstraint(
                name="guide_version_status_valid", condition=Q(status__in=_choice_values(VersionStatus))
            ),
            models.CheckConstraint(
                name="guide_version_units_valid",
                condition=Q(statutory_unit__in=_choice_values(TimeUnit))
                & Q(promised_unit__in=_choice_values(TimeUnit)),
            ),
            models.CheckConstraint(name="guide_version_number_positive", condition=Q(number__gte=1)),
            models.CheckConstraint(
                name="guide_version_published_promised_within_statutory",
                condition=Q(status__in=OPEN_STATUSES)
                | Q(promised_limit__isnull=True)
                | Q(statutory_limit__isnull=True)
                | ~Q(promised_unit=F("statutory_unit"))
                | Q(promised_limit__lte=F("statutory_limit")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse any change to a published or superseded version, except publishing → superseded
        with ``update_fields=["status"]`` (Art. 23; the services never try, this is the last guard)."""
        if self.pk is not None:
            stored = GuideVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored in FROZEN_STATUSES and not self._is_superseding(stored, kwargs.get("update_fields")):
                raise PublishedVersionImmutable(f"guide version {self.pk} is {stored} and cannot be changed")
        super().save(*args, **kwargs)

    def _is_superseding(self, stored: str, update_fields: Any) -> bool:
        return (
            stored == VersionStatus.PUBLISHED
            and self.status == VersionStatus.SUPERSEDED
            and update_fields is not None
            and set(update_fields) == {"status"}
        )

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_frozen:
            raise PublishedVersionImmutable(f"guide version {self.pk} is {self.status} and cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def fees_in_yuan(self) -> list[dict[str, Any]]:
        """The fees with ``amount_yuan`` (``"10.00"``) for display; money is stored in fen."""
        return [{**fee, "amount_yuan": f"{fee.get('amount_fen', 0) / 100:.2f}"} for fee in self.fees]


class Necessity(models.TextChoices):
    REQUIRED = "required", _("必要")
    CONDITIONAL = "conditional", _("容缺或情形必要")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    ELECTRONIC = "electronic", _("电子件")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("申请人自备")
    ISSUING_DEPARTMENT = "issuing_department", _("政府部门核发")
    E_LICENSE = "e_license", _("电子证照")


class MaterialRequirement(models.Model):
    """申请材料 of one guide version (Art. 13, Art. 17; Art. 3(5) for the non-shareable basis)."""

    version = models.ForeignKey(
        GuideVersion, verbose_name=_("指南版本"), on_delete=models.CASCADE, related_name="materials"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("材料名称"), max_length=200)
    necessity = models.CharField(_("必要性"), max_length=12, choices=Necessity.choices, default=Necessity.REQUIRED)
    condition = models.JSONField(
        _("适用情形"), default=dict, blank=True, help_text=_('表单答案条件，如 {"field": "has_agent", "equals": true}')
    )
    form = models.CharField(_("材料形式"), max_length=12, choices=MaterialForm.choices, default=MaterialForm.ELECTRONIC)
    source = models.CharField(
        _("来源渠道"), max_length=20, choices=MaterialSource.choices, default=MaterialSource.APPLICANT
    )
    count = models.PositiveSmallIntegerField(_("份数"), default=1)
    paper_spec = models.CharField(_("纸质规格"), max_length=50, blank=True)
    notes = models.TextField(_("填报须知"), blank=True)
    acceptance_standard = models.TextField(_("受理标准"), blank=True)
    # Art. 12: what an applicant uploads for online pre-review; the rest is checked on site.
    needed_for_pre_review = models.BooleanField(_("网上预审需提交"), default=False)
    replacing_license_types = models.ManyToManyField(
        LicenseType, verbose_name=_("可替代的电子证照"), blank=True, related_name="replaceable_materials"
    )
    non_shareable_legal_basis = models.TextField(_("不能共享获取的法律依据"), blank=True)
    # Public downloads (Art. 17: blank form and filled sample); checked by core.uploads before saving.
    blank_form = models.FileField(_("空白表格"), upload_to="catalog/blank-forms/%Y/", max_length=200, blank=True)
    sample = models.FileField(_("示例样表"), upload_to="catalog/samples/%Y/", max_length=200, blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="material_order_unique_per_version"),
            models.CheckConstraint(
                name="material_necessity_valid", condition=Q(necessity__in=_choice_values(Necessity))
            ),
            models.CheckConstraint(name="material_form_valid", condition=Q(form__in=_choice_values(MaterialForm))),
            models.CheckConstraint(
                name="material_source_valid", condition=Q(source__in=_choice_values(MaterialSource))
            ),
            models.CheckConstraint(name="material_count_positive", condition=Q(count__gte=1)),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        status = GuideVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        if status in FROZEN_STATUSES:
            raise PublishedVersionImmutable(f"materials of guide version {self.version_id} cannot be changed")
        super().save(*args, **kwargs)
