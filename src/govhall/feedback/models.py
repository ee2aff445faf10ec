"""Consultations, complaints, supervision and 好差评 (regulation Art. 15, Art. 16).

Art. 15: an online consultation is answered within 2 working days, an online complaint handled with
a reply within 5 working days; the office chases late replies. Art. 16 and the national 好差评 rules
(STANDARDS.md): one evaluation per service event, five levels, call-back and rectification of named
bad reviews, appeal of malicious reviews. Evaluations and annotations are append-only: staff can
never change what a citizen said.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.applications.storage import private_storage
from govhall.core.audit.models import AppendOnlyModel
from govhall.core.workdays.calendar import BEIJING

USER = settings.AUTH_USER_MODEL

CONSULTATION_WORKING_DAYS = 2  # Art. 15 para 1
COMPLAINT_WORKING_DAYS = 5  # Art. 15 para 2


class Channel(models.TextChoices):
    PORTAL = "portal", _("网上办事大厅")
    API = "api", _("开放接口")
    PHONE = "phone", _("电话")
    WINDOW = "window", _("窗口")


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")


class Consultation(models.Model):
    """A question to a department (about an item, or in general); answered within 2 working days.

    ``department`` is the department now responsible; a transfer changes it but never ``due_date``
    (the clock keeps running from the question, Art. 15)."""

    number = models.CharField(_("咨询编号"), max_length=20, unique=True)
    asker = models.ForeignKey(USER, verbose_name=_("咨询人"), on_delete=models.PROTECT, related_name="consultations")
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name=_("事项"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "directory.Department", verbose_name=_("答复部门"), on_delete=models.PROTECT, related_name="consultations"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    question = models.TextField(_("咨询内容"), max_length=2000)
    asked_at = models.DateTimeField(_("提问时间"))
    due_date = models.DateField(_("答复期限"))
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=ConsultationStatus.choices, default="open")
    answer = models.TextField(_("答复内容"), max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        USER, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    warned_at = models.DateTimeField(_("临期提醒时间"), null=True, blank=True)
    overdue_reported_at = models.DateTimeField(_("超期报告时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("咨询")
        verbose_name_plural = _("咨询")
        ordering = ["-asked_at"]
        indexes = [models.Index(fields=["status", "due_date"], name="consultation_status_due")]
        constraints = [
            models.CheckConstraint(
                name="consultation_status_valid", condition=Q(status__in=[c.value for c in ConsultationStatus])
            ),
            models.CheckConstraint(
                name="consultation_answered_complete",
                condition=Q(status="open", answered_at__isnull=True)
                | Q(status="answered", answered_at__isnull=False, answered_by__isnull=False) & ~Q(answer=""),
            ),
            models.CheckConstraint(name="consultation_question_present", condition=~Q(question="")),
        ]

    def __str__(self) -> str:
        return self.number


class ConsultationTransfer(AppendOnlyModel):
    """A consultation handed to another department; recorded, the due date unchanged."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="transfers")
    from_department = models.ForeignKey("directory.Department", on_delete=models.PROTECT, related_name="+")
    to_department = models.ForeignKey("directory.Department", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("转办理由"), max_length=500)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("转办时间"))

    class Meta:
        verbose_name = _("咨询转办")
        verbose_name_plural = _("咨询转办")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="transfer_changes_department", condition=~Q(from_department=models.F("to_department"))
            ),
        ]


class ReplySnippet(models.Model):
    """A department's standard reply text (常用答复), inserted by the responder and edited."""

    department = models.ForeignKey("directory.Department", on_delete=models.CASCADE, related_name="reply_snippets")
    title = models.CharField(_("标题"), max_length=60)
    text = models.TextField(_("内容"), max_length=2000)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("常用答复")
        verbose_name_plural = _("常用答复")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["department", "title"], name="snippet_title_unique_per_department"),
        ]

    def __str__(self) -> str:
        return self.title


class FaqStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审核")
    APPROVED = "approved", _("已发布")
    REJECTED = "rejected", _("未通过")


class FaqEntry(models.Model):
    """A consultation proposed as a public FAQ: an edited text without personal data, published on
    the item's guide page only once the office approved it."""

    consultation = models.OneToOneField(Consultation, on_delete=models.PROTECT, related_name="faq")
    item = models.ForeignKey(
        "catalog.ServiceItem", null=True, blank=True, on_delete=models.PROTECT, related_name="faq_entries"
    )
    department = models.ForeignKey("directory.Department", on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("公开问题"), max_length=1000)
    answer = models.TextField(_("公开答复"), max_length=4000)
    status = models.CharField(_("状态"), max_length=10, choices=FaqStatus.choices, default=FaqStatus.PROPOSED)
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("提议时间"))
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="faq_status_valid", condition=Q(status__in=[c.value for c in FaqStatus])),
            models.CheckConstraint(
                name="faq_decided_complete",
                condition=Q(status="proposed", decided_at__isnull=True)
                | Q(status__in=["approved", "rejected"], decided_at__isnull=False, decided_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.question[:40]


class ComplaintSubject(models.TextChoices):
    APPLICATION = "application", _("办件")
    DEPARTMENT = "department", _("部门")
    CENTRE = "centre", _("服务中心")
    STAFF = "staff", _("工作人员")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("处理中")
    REPLIED = "replied", _("已答复")
    ESCALATED = "escalated", _("已提级办理")
    CONCLUDED = "concluded", _("已办结")


class Complaint(models.Model):
    """A complaint, routed to the responsible department (reply within 5 working days, Art. 15).

    An unhappy complainant may reopen it once: it is then escalated to the office over the
    department's region (``escalated_region``), which records the outcome."""

    number = models.CharField(_("投诉编号"), max_length=20, unique=True)
    complainant = models.ForeignKey(USER, verbose_name=_("投诉人"), on_delete=models.PROTECT, related_name="complaints")
    subject = models.CharField(_("投诉对象"), max_length=12, choices=ComplaintSubject.choices)
    application = models.ForeignKey(
        "applications.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        "directory.ServiceCentre", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff_member = models.ForeignKey(
        USER, verbose_name=_("被投诉人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "directory.Department", verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="complaints"
    )
    content = models.TextField(_("投诉内容"), max_length=4000)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    filed_at = models.DateTimeField(_("投诉时间"))
    due_date = models.DateField(_("答复期限"))
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=ComplaintStatus.choices, default="open")
    reply = models.TextField(_("答复内容"), max_length=4000, blank=True)
    replied_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("申请复查时间"), null=True, blank=True)
    reopen_reason = models.CharField(_("复查理由"), max_length=1000, blank=True)
    escalated_region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("提级办理机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    escalation_due_date = models.DateField(_("复查期限"), null=True, blank=True)
    outcome = models.TextField(_("办理结果"), max_length=4000, blank=True)
    outcome_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    warned_at = models.DateTimeField(_("临期提醒时间"), null=True, blank=True)
    overdue_reported_at = models.DateTimeField(_("超期报告时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-filed_at"]
        indexes = [models.Index(fields=["status", "due_date"], name="complaint_status_due")]
        constraints = [
            models.CheckConstraint(
                name="complaint_status_valid", condition=Q(status__in=[c.value for c in ComplaintStatus])
            ),
            models.CheckConstraint(
                name="complaint_subject_valid", condition=Q(subject__in=[c.value for c in ComplaintSubject])
            ),
            models.CheckConstraint(
                name="complaint_subject_reference",
                condition=Q(subject="application", application__isnull=False)
                | Q(subject="staff", staff_member__isnull=False)
                | Q(subject="centre", centre__isnull=False)
                | Q(subject="department"),
            ),
            models.CheckConstraint(
                name="complaint_replied_complete",
                condition=Q(status="open") | Q(replied_at__isnull=False, replied_by__isnull=False) & ~Q(reply=""),
            ),
            models.CheckConstraint(
                name="complaint_escalation_complete",
                condition=~Q(status__in=["escalated", "concluded"])
                | Q(reopened_at__isnull=False, escalated_region__isnull=False, escalation_due_date__isnull=False),
            ),
            models.CheckConstraint(
                name="complaint_concluded_has_outcome",
                condition=~Q(status="concluded")
                | Q(outcome_at__isnull=False, outcome_by__isnull=False) & ~Q(outcome=""),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def current_due_date(self):
        return self.escalation_due_date if self.status == ComplaintStatus.ESCALATED else self.due_date


def attachment_path(instance: ComplaintAttachment, filename: str) -> str:
    """A random path (never the uploaded name) plus the extension detected from the content."""
    return f"complaints/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{getattr(instance, '_extension', '')}"


class ComplaintAttachment(models.Model):
    """A file attached to a complaint: private storage, streamed only after ``feedback.view_complaint``."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), max_length=200, storage=private_storage, upload_to=attachment_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("内容类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("投诉附件")
        verbose_name_plural = _("投诉附件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class ComplaintEvent(AppendOnlyModel):
    """The handling record (办理记录) of a complaint: who did what, when."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("动作"), max_length=30)
    note = models.TextField(_("说明"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("投诉办理记录")
        verbose_name_plural = _("投诉办理记录")
        ordering = ["at", "pk"]


class ChaseAction(AppendOnlyModel):
    """The office chases (催办) an overdue consultation or complaint (Art. 15 para 3)."""

    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="chases"
    )
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="chases")
    department = models.ForeignKey("directory.Department", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("催办意见"), max_length=500)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("催办时间"))

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                name="chase_one_target",
                condition=Q(consultation__isnull=False, complaint__isnull=True)
                | Q(consultation__isnull=True, complaint__isnull=False),
            ),
        ]


# --- 好差评 ---------------------------------------------------------------------------------------


class EventKind(models.TextChoices):
    CONSULTATION = "consultation", _("咨询答复")
    COMPLAINT = "complaint", _("投诉办理")
    APPLICATION = "application", _("办件办结")
    APPOINTMENT = "appointment", _("预约办理")


class Level(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    FAIRLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


EVENT_FIELDS = ("consultation", "complaint", "application", "appointment")


class Invitation(models.Model):
    """The one invitation to rate one service event (一事一评): the OneToOne on the event is the
    unique constraint; ``citizen`` is the person served, the only one who may rate."""

    kind = models.CharField(_("服务事件"), max_length=12, choices=EventKind.choices)
    consultation = models.OneToOneField(
        Consultation, null=True, blank=True, on_delete=models.PROTECT, related_name="invitation"
    )
    complaint = models.OneToOneField(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="invitation"
    )
    application = models.OneToOneField(
        "applications.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appointment = models.OneToOneField(
        "appointments.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    citizen = models.ForeignKey(USER, verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="invitations")
    department = models.ForeignKey("directory.Department", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("catalog.ServiceItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("业务编号"), max_length=48)
    invited_at = models.DateTimeField(_("邀请时间"))
    reminded_at = models.DateTimeField(_("提醒评价时间"), null=True, blank=True)
    expired_at = models.DateTimeField(_("过期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评价邀请")
        verbose_name_plural = _("评价邀请")
        ordering = ["-invited_at"]
        constraints = [
            models.CheckConstraint(name="invitation_kind_valid", condition=Q(kind__in=[c.value for c in EventKind])),
            models.CheckConstraint(
                name="invitation_event_matches_kind",
                condition=Q(
                    *[
                        Q(
                            kind=kind,
                            **{f"{kind}__isnull": False},
                            **{f"{o}__isnull": True for o in EVENT_FIELDS if o != kind},
                        )
                        for kind in EVENT_FIELDS
                    ],
                    _connector=Q.OR,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def expires_on(self) -> datetime.date:
        """The last day it can be rated: ``FEEDBACK_INVITATION_VALID_DAYS`` natural days after the
        Beijing date of the event (Civil Code Art. 201: the day of the event is not counted)."""
        start = self.invited_at.astimezone(BEIJING).date()
        return start + datetime.timedelta(days=settings.FEEDBACK_INVITATION_VALID_DAYS)

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        if self.expired_at is not None:
            return True
        return (now or timezone.now()).astimezone(BEIJING).date() > self.expires_on

    @property
    def expired(self) -> bool:
        return self.is_expired()


class Evaluation(AppendOnlyModel):
    """A citizen's rating: the overall level and the national online indicators. Never changed."""

    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="evaluation")
    level = models.PositiveSmallIntegerField(_("总体满意度"), choices=Level.choices)
    efficiency = models.PositiveSmallIntegerField(_("办事效率"), choices=Level.choices)
    guide_accuracy = models.PositiveSmallIntegerField(_("指南准确性"), choices=Level.choices)
    convenience = models.PositiveSmallIntegerField(_("便捷程度"), choices=Level.choices)
    usability = models.PositiveSmallIntegerField(_("平台易用性"), choices=Level.choices)
    comment = models.TextField(_("评价内容"), max_length=1000, blank=True)
    named = models.BooleanField(_("实名评价"), default=True)
    rated_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-rated_at"]
        constraints = [
            models.CheckConstraint(
                name=f"evaluation_{name}_range", condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5})
            )
            for name in ("level", "efficiency", "guide_accuracy", "convenience", "usability")
        ]

    @property
    def is_bad(self) -> bool:
        return self.level <= Level.DISSATISFIED


class EvaluationAnnotation(AppendOnlyModel):
    """Staff may only annotate an evaluation (批注), never edit it."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="annotations")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("批注"), max_length=1000)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("评价批注")
        verbose_name_plural = _("评价批注")
        ordering = ["at", "pk"]


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    DONE = "done", _("已整改")


class Rectification(models.Model):
    """A named 1- or 2-star review's call-back and rectification task (100 % call-back)."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="rectification")
    department = models.ForeignKey("directory.Department", on_delete=models.PROTECT, related_name="rectifications")
    due_date = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=6, choices=RectificationStatus.choices, default="open")
    callback_note = models.TextField(_("回访情况"), max_length=2000, blank=True)
    outcome = models.TextField(_("整改结果"), max_length=2000, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    warned_at = models.DateTimeField(_("临期提醒时间"), null=True, blank=True)
    overdue_reported_at = models.DateTimeField(_("超期报告时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="rectification_status_valid", condition=Q(status__in=[c.value for c in RectificationStatus])
            ),
            models.CheckConstraint(
                name="rectification_done_has_outcome",
                condition=Q(status="open")
                | Q(closed_at__isnull=False, closed_by__isnull=False) & ~Q(outcome="") & ~Q(callback_note=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.due_date}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("申诉不成立")


class Appeal(models.Model):
    """The department appeals a review it believes malicious or mistaken (申诉复核); the office
    decides. Upheld: the evaluation is excluded from the statistics (it stays, unchanged)."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="appeal")
    department = models.ForeignKey("directory.Department", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("申诉理由"), max_length=2000)
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("申诉时间"))
    status = models.CharField(_("状态"), max_length=10, choices=AppealStatus.choices, default="pending")
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    decision_note = models.CharField(_("复核意见"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("差评申诉")
        verbose_name_plural = _("差评申诉")
        ordering = ["-filed_at"]
        constraints = [
            models.CheckConstraint(name="appeal_status_valid", condition=Q(status__in=[c.value for c in AppealStatus])),
            models.CheckConstraint(
                name="appeal_decision_complete",
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(decided_at__isnull=False, decided_by__isnull=False) & ~Q(decision_note=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.get_status_display()}"
