"""Every state change of consultations and complaints (regulation Art. 15).

Each service is one transaction: lock, check the permission and the state, write, queue the SMS,
record the audit event last (it takes the chain lock). Deadlines are working days
(``core.workdays``: holidays and make-up days; Civil Code Art. 201: the day of the question is not
counted) and are fixed when the case arrives: a transfer never restarts the clock.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.catalog import queries as catalog_queries
from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.core.uploads import check_upload
from govhall.core.workdays.calendar import BEIJING, WorkCalendar

from . import evaluations, notify, queries
from .models import (
    COMPLAINT_WORKING_DAYS,
    CONSULTATION_WORKING_DAYS,
    Channel,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintStatus,
    ComplaintSubject,
    Consultation,
    ConsultationStatus,
    ConsultationTransfer,
    EventKind,
    FaqEntry,
    FaqStatus,
    ReplySnippet,
)

QUESTION_MAX = 2000
TEXT_MAX = 4000
MAX_ATTACHMENTS = 5
# Personal data a public FAQ text must not carry: mainland mobile numbers and resident ID numbers.
PERSONAL_DATA = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _text(value: str, field: str, message: str, *, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    if len(value) > limit:
        raise ValidationError({field: _("内容过长，最多%(limit)d个字。") % {"limit": limit}}, code="too_long")
    return value


def _number(prefix: str, model: type, at: datetime.datetime) -> str:
    """``ZX``/``TS`` + Beijing date + 6 random digits; the unique constraint decides collisions."""
    day = at.astimezone(BEIJING).strftime("%Y%m%d")
    for _attempt in range(10):
        candidate = f"{prefix}{day}{secrets.randbelow(10**6):06d}"
        if not model.objects.filter(number=candidate).exists():
            return candidate
    raise RuntimeError("no free case number")


def _save_new(instance: Any, prefix: str, at: datetime.datetime) -> None:
    for _attempt in range(5):
        instance.number = _number(prefix, type(instance), at)
        try:
            with transaction.atomic():
                instance.save(force_insert=True)
            return
        except IntegrityError:
            if type(instance).objects.filter(number=instance.number).exists():
                continue
            raise
    raise RuntimeError("no free case number")


def due(start: datetime.datetime, days: int) -> tuple[datetime.date, bool]:
    """Art. 15 deadline: the ``days``-th working day after the day of ``start`` (Beijing date)."""
    deadline = WorkCalendar().add_working_days_detail(start, days)
    return deadline.due, deadline.provisional


def recompute_provisional_deadlines(changed: set[datetime.date]) -> int:
    """Registered with ``core.workdays``: when the State Council's notice is published, open cases
    whose due date was provisional get the official one (inside the publication's transaction)."""
    calendar, count = WorkCalendar(), 0
    for model, start, days in (
        (Consultation, "asked_at", CONSULTATION_WORKING_DAYS),
        (Complaint, "filed_at", COMPLAINT_WORKING_DAYS),
    ):
        rows = model.objects.filter(due_provisional=True, status="open").select_for_update(of=("self",))
        for case in rows:
            deadline = calendar.add_working_days_detail(getattr(case, start), days)
            case.due_date, case.due_provisional = deadline.due, deadline.provisional
            case.save(update_fields=["due_date", "due_provisional"])
            count += 1
    return count


def _lock(model: type, obj: Any) -> Any:
    return model.objects.select_for_update(of=("self",)).select_related("department").get(pk=obj.pk)


# --- consultations --------------------------------------------------------------------------------


@transaction.atomic
def ask(
    asker: Any,
    *,
    question: str,
    item: Any = None,
    department: Any = None,
    channel: str = Channel.PORTAL,
    now: datetime.datetime | None = None,
) -> Consultation:
    """A citizen asks a department (the item's, or the one chosen); due in 2 working days."""
    ensure_permission(asker, "feedback.ask")
    question = _text(question, "question", _("请填写咨询内容。"), limit=QUESTION_MAX)
    if item is not None:
        department = item.department
    if department is None or not department.is_active:
        raise ValidationError({"department": _("请选择咨询的部门。")}, code="required")
    at = _now(now)
    due_date, provisional = due(at, CONSULTATION_WORKING_DAYS)
    consultation = Consultation(
        asker=asker,
        item=item,
        department=department,
        channel=channel,
        question=question,
        asked_at=at,
        due_date=due_date,
        due_provisional=provisional,
    )
    _save_new(consultation, "ZX", at)
    record(
        asker, "feedback.consultation_asked", consultation, after={"department": department.pk, "due": str(due_date)}
    )
    return consultation


@transaction.atomic
def answer(consultation: Consultation, by: Any, *, text: str, now: datetime.datetime | None = None) -> Consultation:
    """The responder answers; the asker gets an SMS and an invitation to rate the answer."""
    consultation = _lock(Consultation, consultation)
    ensure_permission(by, "feedback.answer", consultation)
    if consultation.status != ConsultationStatus.OPEN:
        raise ValidationError({"answer": _("该咨询已答复。")}, code="already_answered")
    consultation.answer = _text(text, "answer", _("请填写答复内容。"))
    consultation.status = ConsultationStatus.ANSWERED
    consultation.answered_by, consultation.answered_at = by, _now(now)
    consultation.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    notify.replied(consultation.asker, _("咨询"), consultation.number, f"consultation:{consultation.pk}", consultation)
    evaluations.invite(
        EventKind.CONSULTATION,
        consultation,
        citizen=consultation.asker,
        department=consultation.department,
        item=consultation.item,
        reference=consultation.number,
        now=consultation.answered_at,
    )
    late = consultation.answered_at.astimezone(BEIJING).date() > consultation.due_date
    record(by, "feedback.consultation_answered", consultation, after={"late": late})
    return consultation


@transaction.atomic
def transfer(
    consultation: Consultation, by: Any, *, to_department: Any, reason: str, now: datetime.datetime | None = None
) -> Consultation:
    """Hand the question to the competent department; the due date stays (the clock keeps running)."""
    consultation = _lock(Consultation, consultation)
    ensure_permission(by, "feedback.answer", consultation)
    if consultation.status != ConsultationStatus.OPEN:
        raise ValidationError({"to_department": _("已答复的咨询不能转办。")}, code="already_answered")
    if to_department is None or not to_department.is_active or to_department.pk == consultation.department_id:
        raise ValidationError({"to_department": _("请选择另一个部门。")}, code="invalid")
    reason = _text(reason, "reason", _("请填写转办理由。"), limit=500)
    ConsultationTransfer.objects.create(
        consultation=consultation,
        from_department=consultation.department,
        to_department=to_department,
        reason=reason,
        by=by,
        at=_now(now),
    )
    previous = consultation.department_id
    consultation.department = to_department
    consultation.warned_at = None
    consultation.save(update_fields=["department", "warned_at"])
    record(
        by,
        "feedback.consultation_transferred",
        consultation,
        after={"old": previous, "new": to_department.pk},
        reason=reason,
    )
    return consultation


@transaction.atomic
def add_snippet(department: Any, by: Any, *, title: str, text: str) -> ReplySnippet:
    """A standard reply of the department (常用答复)."""
    ensure_permission(by, "feedback.manage_snippets", department)
    title = _text(title, "title", _("请填写标题。"), limit=60)
    text = _text(text, "text", _("请填写内容。"), limit=2000)
    if ReplySnippet.objects.filter(department=department, title=title).exists():
        raise ValidationError({"title": _("本部门已有同名的常用答复。")}, code="duplicate")
    snippet = ReplySnippet.objects.create(department=department, title=title, text=text, created_by=by)
    record(by, "feedback.snippet_added", snippet, after={"department": department.pk})
    return snippet


def _no_personal_data(consultation: Consultation, **texts: str) -> None:
    name = consultation.asker.name
    for field, text in texts.items():
        if PERSONAL_DATA.search(text) or (len(name) >= 2 and name in text):
            raise ValidationError({field: _("公开文本不得包含姓名、手机号码或证件号码。")}, code="personal_data")


@transaction.atomic
def propose_faq(
    consultation: Consultation, by: Any, *, question: str, answer: str, now: datetime.datetime | None = None
) -> FaqEntry:
    """The responder proposes an answered consultation as a FAQ, with a public text edited to remove
    personal data; it is published only after the office approves it."""
    consultation = _lock(Consultation, consultation)
    ensure_permission(by, "feedback.answer", consultation)
    if consultation.status != ConsultationStatus.ANSWERED:
        raise ValidationError({"question": _("只有已答复的咨询可以提议为常见问题。")}, code="not_answered")
    question = _text(question, "question", _("请填写公开问题。"), limit=1000)
    answer = _text(answer, "answer", _("请填写公开答复。"))
    _no_personal_data(consultation, question=question, answer=answer)
    faq = FaqEntry.objects.filter(consultation=consultation).first()
    if faq is not None and faq.status != FaqStatus.REJECTED:
        raise ValidationError({"question": _("该咨询已提议为常见问题。")}, code="duplicate")
    faq = faq or FaqEntry(consultation=consultation)
    faq.item, faq.department, faq.question, faq.answer = consultation.item, consultation.department, question, answer
    faq.status, faq.proposed_by, faq.proposed_at = FaqStatus.PROPOSED, by, _now(now)
    faq.decided_by, faq.decided_at, faq.decision_note = None, None, ""
    faq.save()
    record(by, "feedback.faq_proposed", faq, after={"consultation": consultation.pk})
    return faq


@transaction.atomic
def decide_faq(
    faq: FaqEntry, by: Any, *, approve: bool, note: str = "", now: datetime.datetime | None = None
) -> FaqEntry:
    """The office approves (published on the item's guide page) or rejects (with a reason)."""
    faq = FaqEntry.objects.select_for_update(of=("self",)).select_related("department").get(pk=faq.pk)
    ensure_permission(by, "feedback.approve_faq", faq)
    if faq.status != FaqStatus.PROPOSED:
        raise ValidationError({"note": _("该常见问题已审核。")}, code="already_decided")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("不予发布时请填写理由。")}, code="required")
    faq.status = FaqStatus.APPROVED if approve else FaqStatus.REJECTED
    faq.decided_by, faq.decided_at, faq.decision_note = by, _now(now), note[:500]
    faq.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        transaction.on_commit(catalog_queries.bump_version)  # the cached guide page shows the FAQ
    record(by, "feedback.faq_decided", faq, after={"approved": approve})
    return faq


# --- complaints -----------------------------------------------------------------------------------


def _route(complainant: Any, subject: str, department: Any, application: Any, centre: Any, staff_member: Any) -> Any:
    """The responsible department: the application's item's department, else the one chosen."""
    if subject not in ComplaintSubject.values:
        raise ValidationError({"subject": _("请选择投诉对象。")}, code="invalid")
    if subject == ComplaintSubject.APPLICATION:
        if application is None:
            raise ValidationError({"application": _("请选择被投诉的办件。")}, code="required")
        if complainant.pk not in (application.applicant_id, application.acting_person_id):
            raise ValidationError({"application": _("只能投诉本人的办件。")}, code="not_own")
        return application.item.department
    if subject == ComplaintSubject.CENTRE and centre is None:
        raise ValidationError({"centre": _("请选择被投诉的服务中心。")}, code="required")
    if subject == ComplaintSubject.STAFF and (staff_member is None or staff_member.kind != "staff"):
        raise ValidationError({"staff_member": _("请选择被投诉的工作人员。")}, code="required")
    if department is None or not department.is_active:
        raise ValidationError({"department": _("请选择责任部门。")}, code="required")
    return department


def staff_by_name(name: str, department: Any) -> Any:
    """The staff member a citizen names (login name or full name) within the chosen department;
    ``None`` for an empty name. Only people of that department can be named."""
    name = (name or "").strip()
    if not name:
        return None
    if department is None:
        raise ValidationError({"department": _("请选择被投诉人员所在的部门。")}, code="required")
    people = (
        get_user_model()
        .objects.filter(
            Q(username=name) | Q(name=name),
            kind="staff",
            role_assignments__department=department,
            role_assignments__revoked_at__isnull=True,
        )
        .distinct()
    )
    if len(people) != 1:
        raise ValidationError({"staff_name": _("在所选部门未找到该工作人员，请核对姓名或工号。")}, code="not_found")
    return people[0]


def served_staff(complainant: Any, choice: Any) -> queries.ServedBy:
    """The picker's choice, checked against the people who actually served the complainant: a
    forged or stale id is refused (a citizen cannot name arbitrary staff through the picker)."""
    try:
        pk = int(choice)
    except (TypeError, ValueError):
        pk = None
    for served in queries.people_who_served(complainant):
        if served.pk == pk:
            return served
    raise ValidationError({"served_by": _("只能选择为您办理过业务的工作人员，请重新选择。")}, code="not_served")


def _attach(complaint: Complaint, files: Iterable[UploadedFile]) -> int:
    """Same upload rules as application materials: judged by content, private storage."""
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"files": _("最多上传%(n)d个附件。") % {"n": MAX_ATTACHMENTS}}, code="too_many")
    max_bytes = getattr(settings, "APPLICATIONS_MATERIAL_MAX_BYTES", 20 * 1024 * 1024)
    checked = []
    for upload in files:
        try:
            checked.append((upload, check_upload(upload, max_bytes=max_bytes)))
        except ValidationError as error:
            raise ValidationError({"files": error.messages}, code="invalid_file") from error
    for upload, info in checked:
        attachment = ComplaintAttachment(
            complaint=complaint,
            original_name=info.name[:255],
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
        )
        attachment._extension = "." + info.name.rsplit(".", 1)[-1].lower() if "." in info.name else ""
        attachment.file.save(info.name, upload, save=False)
        attachment.save()
    return len(checked)


def _event(complaint: Complaint, actor: Any, action: str, note: str = "", at: datetime.datetime | None = None) -> None:
    ComplaintEvent.objects.create(complaint=complaint, actor=actor, action=action, note=note, at=_now(at))


@transaction.atomic
def complain(
    complainant: Any,
    *,
    subject: str,
    content: str,
    department: Any = None,
    application: Any = None,
    centre: Any = None,
    staff_member: Any = None,
    served_by: Any = None,
    files: Iterable[UploadedFile] = (),
    channel: str = Channel.PORTAL,
    now: datetime.datetime | None = None,
) -> Complaint:
    """File a complaint; routed to the responsible department, reply due in 5 working days.

    A staff member is named either through the picker (``served_by``: someone who served the
    complainant; the complaint goes to that person's department) or by name within the chosen
    department (``staff_member`` from :func:`staff_by_name`)."""
    ensure_permission(complainant, "feedback.complain")
    content = _text(content, "content", _("请填写投诉内容。"))
    if subject == ComplaintSubject.STAFF and served_by not in (None, ""):
        served = served_staff(complainant, served_by)
        staff_member, department = served.staff, served.department
    department = _route(complainant, subject, department, application, centre, staff_member)
    at = _now(now)
    due_date, provisional = due(at, COMPLAINT_WORKING_DAYS)
    complaint = Complaint(
        complainant=complainant,
        subject=subject,
        application=application if subject == ComplaintSubject.APPLICATION else None,
        centre=centre if subject == ComplaintSubject.CENTRE else None,
        staff_member=staff_member if subject == ComplaintSubject.STAFF else None,
        department=department,
        content=content,
        channel=channel,
        filed_at=at,
        due_date=due_date,
        due_provisional=provisional,
    )
    _save_new(complaint, "TS", at)
    count = _attach(complaint, files)
    _event(complaint, complainant, "filed", at=at)
    record(
        complainant, "feedback.complaint_filed", complaint, after={"department": department.pk, "attachments": count}
    )
    return complaint


@transaction.atomic
def add_handling_note(complaint: Complaint, by: Any, *, note: str) -> ComplaintEvent:
    """A line in the handling record (核实、约谈、回访…), by whoever handles the complaint now."""
    complaint = _lock(Complaint, complaint)
    perm = (
        "feedback.conclude_escalation" if complaint.status == ComplaintStatus.ESCALATED else "feedback.reply_complaint"
    )
    ensure_permission(by, perm, complaint)
    if complaint.status in (ComplaintStatus.REPLIED, ComplaintStatus.CONCLUDED):
        raise ValidationError({"note": _("该投诉已答复。")}, code="closed")
    note = _text(note, "note", _("请填写办理情况。"))
    event = ComplaintEvent.objects.create(complaint=complaint, actor=by, action="note", note=note, at=timezone.now())
    record(by, "feedback.complaint_noted", complaint)
    return event


def _invite_for_complaint(complaint: Complaint, at: datetime.datetime) -> None:
    evaluations.invite(
        EventKind.COMPLAINT,
        complaint,
        citizen=complaint.complainant,
        department=complaint.department,
        item=complaint.application.item if complaint.application_id else None,
        reference=complaint.number,
        now=at,
    )


@transaction.atomic
def reply_complaint(complaint: Complaint, by: Any, *, text: str, now: datetime.datetime | None = None) -> Complaint:
    """The department replies (Art. 15: within 5 working days); SMS and an invitation to rate."""
    complaint = _lock(Complaint, complaint)
    ensure_permission(by, "feedback.reply_complaint", complaint)
    if complaint.status != ComplaintStatus.OPEN:
        raise ValidationError({"reply": _("该投诉已答复。")}, code="already_replied")
    complaint.reply = _text(text, "reply", _("请填写答复内容。"))
    complaint.status, complaint.replied_by, complaint.replied_at = ComplaintStatus.REPLIED, by, _now(now)
    complaint.save(update_fields=["reply", "status", "replied_by", "replied_at"])
    _event(complaint, by, "replied", complaint.reply, complaint.replied_at)
    notify.replied(complaint.complainant, _("投诉"), complaint.number, f"complaint:{complaint.pk}", complaint)
    _invite_for_complaint(complaint, complaint.replied_at)
    late = complaint.replied_at.astimezone(BEIJING).date() > complaint.due_date
    record(by, "feedback.complaint_replied", complaint, after={"late": late})
    return complaint


@transaction.atomic
def reopen(complaint: Complaint, by: Any, *, reason: str, now: datetime.datetime | None = None) -> Complaint:
    """The unhappy complainant reopens the complaint ONCE: it goes to the office over the
    department's region (district office, or the city office for a city department)."""
    complaint = _lock(Complaint, complaint)
    ensure_permission(by, "feedback.own_complaint", complaint)
    if complaint.reopened_at is not None:
        raise ValidationError({"reason": _("投诉只能申请复查一次。")}, code="reopened_once")
    if complaint.status != ComplaintStatus.REPLIED:
        raise ValidationError({"reason": _("部门答复后才能申请复查。")}, code="not_replied")
    complaint.reopen_reason = _text(reason, "reason", _("请说明不满意的理由。"), limit=1000)
    at = _now(now)
    complaint.reopened_at = at
    complaint.status = ComplaintStatus.ESCALATED
    complaint.escalated_region = complaint.department.region
    complaint.escalation_due_date, _provisional = due(at, settings.FEEDBACK_ESCALATION_WORKING_DAYS)
    complaint.warned_at = complaint.overdue_reported_at = None
    complaint.save()
    _event(complaint, by, "reopened", complaint.reopen_reason, at)
    record(by, "feedback.complaint_reopened", complaint, after={"region": complaint.escalated_region_id})
    return complaint


@transaction.atomic
def conclude_escalation(
    complaint: Complaint, by: Any, *, outcome: str, now: datetime.datetime | None = None
) -> Complaint:
    """The office records the outcome of an escalated complaint; the complainant is told by SMS."""
    complaint = _lock(Complaint, complaint)
    ensure_permission(by, "feedback.conclude_escalation", complaint)
    complaint.outcome = _text(outcome, "outcome", _("请填写办理结果。"))
    complaint.status, complaint.outcome_by, complaint.outcome_at = ComplaintStatus.CONCLUDED, by, _now(now)
    complaint.save(update_fields=["outcome", "status", "outcome_by", "outcome_at"])
    _event(complaint, by, "concluded", complaint.outcome, complaint.outcome_at)
    notify.replied(complaint.complainant, _("投诉"), complaint.number, f"complaint-outcome:{complaint.pk}", complaint)
    record(by, "feedback.complaint_concluded", complaint)
    return complaint


@transaction.atomic
def read_complaint(complaint_id: int, by: Any) -> Complaint:
    """A complaint for a reader after the permission check; every staff read is audited (privacy:
    a complaint about a staff member is read only by the handling chain)."""
    complaint = Complaint.objects.select_related(
        "department", "complainant", "staff_member", "centre", "application__item", "escalated_region"
    ).get(pk=complaint_id)
    ensure_permission(by, "feedback.view_complaint", complaint)
    if getattr(by, "kind", "") == "staff":
        record(by, "feedback.complaint_read", complaint)
    return complaint


@transaction.atomic
def attachment_for_viewing(attachment_id: int, by: Any) -> ComplaintAttachment:
    """An attachment, for a face to stream after the permission check (never a direct URL)."""
    attachment = ComplaintAttachment.objects.select_related("complaint__department").get(pk=attachment_id)
    ensure_permission(by, "feedback.view_complaint", attachment.complaint)
    if getattr(by, "kind", "") == "staff":
        record(by, "feedback.complaint_attachment_read", attachment.complaint, after={"attachment": attachment.pk})
    return attachment
