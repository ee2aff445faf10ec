"""Applications (办件): one record per application, whatever the channel (issue 7).

Regulation Art. 10–12 and the Administrative Licensing Law timing rules (STANDARDS.md). The status
moves only through :data:`ALLOWED_TRANSITIONS`, applied by ``transitions.transition`` under a row
lock; every change is a :class:`TimelineEntry`, which is append-only (the model refuses updates and
deletes, and so does the database, see migration 0002). Deadlines are computed by ``clocks`` from
the working-day calendar and stored on the row, with a flag when a counted day is provisional.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govhall.accounts.models import EnterpriseProfile
from govhall.catalog.models import GuideVersion, MaterialRequirement, ServiceItem
from govhall.core.audit.models import AppendOnlyModel
from govhall.directory.models import Department

from .storage import material_path, notice_path, private_storage


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待预审")
    PRE_REVIEWED = "pre_reviewed", _("预审通过，待现场核验")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("已提交，待受理")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    ACCEPTED = "accepted", _("已受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    IN_REVIEW = "in_review", _("审查中")
    SUSPENDED = "suspended", _("特别程序中")
    APPROVED = "approved", _("准予许可")
    REFUSED = "refused", _("不予许可")
    RESULT_ISSUED = "result_issued", _("已送达结果")
    CONCLUDED = "concluded", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")
    TERMINATED = "terminated", _("已终止")


S = Status
# Before a decision the applicant may withdraw (issue 7); afterwards the decision stands.
WITHDRAWABLE = (
    S.DRAFT,
    S.SUBMITTED,
    S.PRE_REVIEWED,
    S.AWAITING_ACCEPTANCE,
    S.CORRECTION_REQUESTED,
    S.ACCEPTED,
    S.IN_REVIEW,
    S.SUSPENDED,
)

# The whole lifecycle on one screen. "In review stage N" is IN_REVIEW + ``current_stage``, so moving
# to the next stage is IN_REVIEW -> IN_REVIEW. An extension is not a status: the application stays
# in review (it may still be suspended); it is recorded on the row and in the timeline.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.AWAITING_ACCEPTANCE, S.WITHDRAWN}),
    # Pre-review (Art. 12, issue 8): passed -> PRE_REVIEWED, then the on-site continuation; returned ->
    # CORRECTION_REQUESTED, and the response comes back to SUBMITTED (pre-review again).
    S.SUBMITTED: frozenset(
        {S.PRE_REVIEWED, S.AWAITING_ACCEPTANCE, S.CORRECTION_REQUESTED, S.NOT_ACCEPTED, S.WITHDRAWN}
    ),
    S.PRE_REVIEWED: frozenset({S.AWAITING_ACCEPTANCE, S.WITHDRAWN}),
    S.AWAITING_ACCEPTANCE: frozenset({S.ACCEPTED, S.NOT_ACCEPTED, S.CORRECTION_REQUESTED, S.WITHDRAWN}),
    S.CORRECTION_REQUESTED: frozenset({S.SUBMITTED, S.AWAITING_ACCEPTANCE, S.WITHDRAWN, S.TERMINATED}),
    S.ACCEPTED: frozenset({S.IN_REVIEW, S.APPROVED, S.REFUSED, S.WITHDRAWN, S.TERMINATED}),
    S.IN_REVIEW: frozenset({S.IN_REVIEW, S.SUSPENDED, S.APPROVED, S.REFUSED, S.WITHDRAWN, S.TERMINATED}),
    S.SUSPENDED: frozenset({S.IN_REVIEW, S.WITHDRAWN, S.TERMINATED}),
    S.APPROVED: frozenset({S.RESULT_ISSUED}),
    S.REFUSED: frozenset({S.RESULT_ISSUED}),
    S.RESULT_ISSUED: frozenset({S.CONCLUDED}),
    S.CONCLUDED: frozenset(),
    S.NOT_ACCEPTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.TERMINATED: frozenset(),
}

OPEN_STATUSES = tuple(status for status, targets in ALLOWED_TRANSITIONS.items() if targets and status != S.DRAFT)


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申请")
    PRE_REVIEW = "pre_review", _("网上预审")
    WINDOW = "window", _("窗口受理")


class Capacity(models.TextChoices):
    """Who acts: the applicant, an enterprise's authorised operator (经办人), or an agent (代理人)."""

    SELF = "self", _("本人")
    OPERATOR = "operator", _("经办人")
    AGENT = "agent", _("代理人")


class Marker(models.TextChoices):
    """Deadline marker shown in the queues (issue 7: green / yellow / red)."""

    GREEN = "green", _("正常")
    YELLOW = "yellow", _("临近到期")
    RED = "red", _("已超期")


class SpecialProcedure(models.TextChoices):
    """Licensing Law Art. 45: procedures whose time does not count towards the limit."""

    HEARING = "hearing", _("听证")
    TENDER = "tender", _("招标")
    AUCTION = "auction", _("拍卖")
    TESTING = "testing", _("检测")
    INSPECTION = "inspection", _("检验")
    QUARANTINE = "quarantine", _("检疫")
    APPRAISAL = "appraisal", _("鉴定")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    PUBLICITY = "publicity", _("公示")
    SITE_INSPECTION = "site_inspection", _("现场核查")


class BusinessNumberSequence(models.Model):
    """The last daily sequence used per implementation code and Beijing date; only ever incremented
    (``numbers.next_business_number``), so a business number is never given twice."""

    implementation_code = models.CharField(_("实施编码"), max_length=31)
    date = models.DateField(_("日期"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("业务编号序列")
        verbose_name_plural = _("业务编号序列")
        constraints = [
            models.UniqueConstraint(fields=["implementation_code", "date"], name="business_number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.implementation_code}{self.date:%Y%m%d} → {self.last}"


class Application(models.Model):
    """办件: what was applied for, by whom, under which guide version, and where it stands."""

    uid = models.UUIDField(_("标识"), default=uuid.uuid4, unique=True, editable=False)
    business_number = models.CharField(_("业务编号"), max_length=48, unique=True, null=True, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="applications"
    )
    acting_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.CharField(_("办理身份"), max_length=10, choices=Capacity.choices, default=Capacity.SELF)
    enterprise = models.ForeignKey(
        EnterpriseProfile, verbose_name=_("企业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="applications")
    # The item's implementing department, copied at creation (a published item's department never
    # changes): every staff queue filters and sorts on it with one index, however many items it has.
    department = models.ForeignKey(
        Department, verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="applications", editable=False
    )
    version = models.ForeignKey(
        GuideVersion, verbose_name=_("指南版本"), on_delete=models.PROTECT, related_name="applications"
    )
    channel = models.CharField(_("申请渠道"), max_length=12, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    current_stage = models.PositiveSmallIntegerField(_("当前审查环节"), default=0)
    form_data = models.JSONField(_("申请表单"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("材料接收时间"), null=True, blank=True, help_text=_("最近一次完整提交或补正"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("视为受理"), default=False)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # Deadlines (Beijing dates), stored so queues need no recomputation; *_provisional: a counted day
    # lies in a year without the State Council's notice, recomputed when it is published.
    acceptance_due = models.DateField(_("受理期限"), null=True, blank=True)
    acceptance_due_provisional = models.BooleanField(default=False)
    decision_due = models.DateField(_("办结期限"), null=True, blank=True)
    decision_due_provisional = models.BooleanField(default=False)
    statutory_due = models.DateField(_("法定期限"), null=True, blank=True)
    statutory_due_provisional = models.BooleanField(default=False)
    issuance_due = models.DateField(_("送达期限"), null=True, blank=True)
    issuance_due_provisional = models.BooleanField(default=False)
    suspended_days = models.PositiveIntegerField(_("特别程序扣除时长"), default=0, help_text=_("按时限单位计"))
    extension_days = models.PositiveSmallIntegerField(_("延长工作日数"), default=0)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    correction_rounds = models.PositiveSmallIntegerField(_("补正次数"), default=0)
    marker = models.CharField(_("期限标识"), max_length=6, choices=Marker.choices, default=Marker.GREEN)
    decision_reasons = models.TextField(_("决定理由"), blank=True)
    decision_legal_basis = models.TextField(_("决定依据"), blank=True)
    # Who holds the application now (issue 8: claim from a shared queue, reassignment, handover).
    # A claim lapses at ``claim_expires_at`` unless the holder acts; an assignment by the department
    # admin has no expiry.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_applications",
    )
    assigned_at = models.DateTimeField(_("认领/分派时间"), null=True, blank=True)
    claim_expires_at = models.DateTimeField(_("认领失效时间"), null=True, blank=True)
    # Channels (issue 8). Pre-review (Art. 12): due within 30 office minutes of the handling
    # department (``office_clock``); a special-or-complex item is exempt, with its own limit.
    pre_review_due = models.DateTimeField(_("预审期限"), null=True, blank=True)
    pre_review_exempt = models.BooleanField(_("特殊复杂事项（不适用30分钟预审时限）"), default=False)
    pre_reviewed_at = models.DateTimeField(_("预审完成时间"), null=True, blank=True)
    # Window intake (Art. 9): the centre whose comprehensive window registered or continued it.
    intake_centre = models.ForeignKey(
        "directory.ServiceCentre",
        verbose_name=_("受理窗口所在中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Agent (代办): the principal's authorisation document, private and content-checked like materials.
    authorisation = models.FileField(
        _("授权委托书"), storage=private_storage, upload_to=material_path, max_length=200, blank=True
    )
    authorisation_name = models.CharField(_("授权委托书原文件名"), max_length=255, blank=True)
    authorisation_sha256 = models.CharField(_("授权委托书SHA-256"), max_length=64, blank=True)
    # A walk-in agent (Art. 9): the window compared the signed original with the scan (who and when).
    authorisation_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("授权委托书原件核验人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    authorisation_verified_at = models.DateTimeField(_("授权委托书原件核验时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["applicant", "-created_at"], name="application_applicant"),
            models.Index(fields=["item", "status"], name="application_item_status"),
            models.Index(fields=["status", "acceptance_due"], name="application_acceptance_due"),
            models.Index(fields=["status", "decision_due"], name="application_decision_due"),
            models.Index(fields=["assignee", "status"], name="application_assignee"),
            # The staff queues, read in their own order (no sort of the whole queue at 1M rows).
            models.Index(
                fields=["department", "acceptance_due", "id"],
                condition=Q(status__in=["submitted", "awaiting_acceptance"]),
                name="application_queue_acceptance",
            ),
            models.Index(
                fields=["department", "decision_due", "acceptance_due", "id"],
                condition=Q(status__in=["accepted", "in_review"]),
                name="application_queue_review",
            ),
        ]
        constraints = [
            models.CheckConstraint(name="application_status_valid", condition=Q(status__in=Status.values)),
            models.CheckConstraint(name="application_channel_valid", condition=Q(channel__in=Channel.values)),
            models.CheckConstraint(name="application_capacity_valid", condition=Q(capacity__in=Capacity.values)),
            models.CheckConstraint(
                name="application_number_after_draft",
                condition=Q(status=Status.DRAFT) | Q(business_number__isnull=False),
            ),
            models.CheckConstraint(
                name="application_operator_has_enterprise",
                condition=~Q(capacity=Capacity.OPERATOR) | Q(enterprise__isnull=False),
            ),
            models.CheckConstraint(name="application_extension_at_most_10", condition=Q(extension_days__lte=10)),
            models.CheckConstraint(
                name="application_claim_needs_assignee",
                condition=Q(claim_expires_at__isnull=True) | Q(assignee__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business_number or _('草稿')} {self.item}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.department_id is None and self.item_id is not None:
            self.department_id = self.item.department_id
        super().save(*args, **kwargs)

    @property
    def stages(self) -> list[dict[str, Any]]:
        return list(self.version.review_stages or [])

    @property
    def stage(self) -> dict[str, Any] | None:
        """The review stage being worked on, or ``None`` when every stage is done."""
        stages = self.stages
        return stages[self.current_stage] if self.current_stage < len(stages) else None


class Source(models.TextChoices):
    UPLOAD = "upload", _("申请人上传")
    E_LICENSE = "e_license", _("电子证照")
    WINDOW_SCAN = "window_scan", _("窗口扫描")


class SignatureStatus(models.TextChoices):
    """Art. 13 (second kind): the digital signature an uploaded PDF carries, as the acceptor sees it."""

    UNCHECKED = "", _("未检查")
    NONE = "none", _("无数字签名")
    VALID = "valid", _("签名有效")
    INVALID = "invalid", _("签名无效")
    UNTRUSTED = "untrusted", _("签名完整但证书不受信任")


class MaterialSubmission(models.Model):
    """One file given for one material requirement of the bound guide version.

    A correction never edits a file: the new one is added and the old one points to it with
    ``superseded_by`` (Art. 10: what was given once stays on record and is not asked for again)."""

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="materials"
    )
    requirement = models.ForeignKey(
        MaterialRequirement, verbose_name=_("申请材料"), on_delete=models.PROTECT, related_name="+"
    )
    # Empty when the material is satisfied by a reference to an e-license (Art. 13: no repeated proof).
    file = models.FileField(_("文件"), storage=private_storage, upload_to=material_path, max_length=200, blank=True)
    license = models.ForeignKey(
        "licenses.License",
        verbose_name=_("电子证照"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="material_uses",
    )
    signature_status = models.CharField(
        _("数字签名"), max_length=10, choices=SignatureStatus.choices, default=SignatureStatus.UNCHECKED, blank=True
    )
    signature_detail = models.JSONField(_("签名检查详情"), default=dict, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, help_text=_("仅用于显示"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("内容类型"), max_length=100)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, default=Source.UPLOAD)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    superseded_by = models.ForeignKey(
        "self", verbose_name=_("被替换为"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(_("删除时间"), null=True, blank=True, help_text=_("草稿中删除"))
    # Art. 9: the window checked the original document against this file (who and when).
    original_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("原件核验人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    original_verified_at = models.DateTimeField(_("原件核验时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申请材料文件")
        verbose_name_plural = _("申请材料文件")
        ordering = ["requirement__order", "uploaded_at", "pk"]
        indexes = [models.Index(fields=["application", "requirement"], name="material_submission_req")]
        constraints = [
            models.CheckConstraint(
                name="material_submission_license_or_file",
                condition=(Q(source=Source.E_LICENSE) & Q(license__isnull=False))
                | (~Q(source=Source.E_LICENSE) & Q(license__isnull=True) & ~Q(file="")),
            ),
            models.CheckConstraint(
                name="material_submission_signature_valid",
                condition=Q(signature_status__in=SignatureStatus.values),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None and self.removed_at is None


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("受理通知书")
    NON_ACCEPTANCE = "non_acceptance", _("不予受理通知书")
    CORRECTION = "correction", _("补正材料告知书")
    SPECIAL_PROCEDURE = "special_procedure", _("特别程序告知书")
    EXTENSION = "extension", _("延长期限告知书")
    DECISION = "decision", _("行政许可决定书")


class Notice(models.Model):
    """A written notice to the applicant (Licensing Law Art. 32, 38, 42, 45): its content as JSON
    and the PDF rendered from it once, at issue; both never change."""

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    number = models.CharField(_("文书编号"), max_length=64, unique=True)
    content = models.JSONField(_("内容"), default=dict)
    pdf = models.FileField(_("文书"), storage=private_storage, upload_to=notice_path, max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(name="notice_kind_valid", condition=Q(kind__in=NoticeKind.values))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class CorrectionItem(models.Model):
    """One deficiency of a correction notice: a material or a form field, with the reason (Art. 12:
    one notice lists them all; the applicant may change only what is listed)."""

    notice = models.ForeignKey(Notice, verbose_name=_("补正告知书"), on_delete=models.PROTECT, related_name="items")
    requirement = models.ForeignKey(
        MaterialRequirement,
        verbose_name=_("申请材料"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    field = models.CharField(_("表单字段"), max_length=60, blank=True)
    reason = models.CharField(_("补正内容"), max_length=500)

    class Meta:
        verbose_name = _("补正事项")
        verbose_name_plural = _("补正事项")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="correction_item_names_one_thing",
                condition=(Q(requirement__isnull=False) & Q(field="")) | (Q(requirement__isnull=True) & ~Q(field="")),
            ),
            models.CheckConstraint(name="correction_item_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.requirement or self.field}：{self.reason}"


class Suspension(models.Model):
    """A special procedure (Art. 45): its time does not count towards the limit."""

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="suspensions"
    )
    procedure = models.CharField(_("特别程序"), max_length=20, choices=SpecialProcedure.choices)
    reason = models.TextField(_("理由"))
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    excluded = models.PositiveIntegerField(_("扣除时长"), default=0, help_text=_("按时限单位计，结束时写入"))
    notice = models.ForeignKey(Notice, verbose_name=_("告知书"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(ended_at__isnull=True), name="suspension_one_open_per_application"
            ),
            models.CheckConstraint(
                name="suspension_procedure_valid", condition=Q(procedure__in=SpecialProcedure.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_procedure_display()} {self.started_at:%Y-%m-%d}"


class TimelineEntry(AppendOnlyModel):
    """One appended row of an application's history: who (role and scope), when, what, notice."""

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="timeline"
    )
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("角色"), max_length=30, blank=True)
    scope_label = models.CharField(_("责任单位"), max_length=200, blank=True)
    action = models.CharField(_("动作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=24, blank=True)
    to_status = models.CharField(_("新状态"), max_length=24)
    stage = models.PositiveSmallIntegerField(_("审查环节"), null=True, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    notice = models.ForeignKey(
        Notice, verbose_name=_("文书"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["application", "at"], name="timeline_application_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def to_status_label(self) -> str:
        return str(Status(self.to_status).label) if self.to_status in Status.values else self.to_status
