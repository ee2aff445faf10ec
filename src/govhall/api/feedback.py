"""Consultation, complaint and 好差评 endpoints (tag ``feedback``, Art. 15, 16): ask, my
consultations, complain, my complaints, rate, my evaluations; for staff (OTP-verified) the queues,
answer and reply. The same services as the portal and workbench; a refusal is ``422 {"code",
"message", "fields"}`` keyed by field, another person's case answers 404.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from govhall.api.auth import AUTH
from govhall.applications.models import Application
from govhall.catalog.models import ServiceItem
from govhall.core.crypto import mask_name
from govhall.core.workdays.calendar import BEIJING
from govhall.directory.models import Department, ServiceCentre
from govhall.feedback import evaluations, queries, services
from govhall.feedback.models import Channel, Complaint, Consultation, Invitation

router = Router(tags=["feedback"], auth=AUTH)


class AskIn(Schema):
    question: str
    item: str | None = Field(None, description="事项实施编码（从办事指南咨询）")
    department: int | None = Field(None, description="不指定事项时选择的部门")


class ConsultationOut(Schema):
    id: int
    number: str
    question: str
    department: str
    item: str | None
    status: str
    due_date: datetime.date
    answer: str
    answered_at: datetime.datetime | None
    marker: str | None = None


class ComplainIn(Schema):
    subject: str = Field(description="application / department / centre / staff")
    content: str
    department: int | None = None
    application: str | None = Field(None, description="业务编号")
    centre: str | None = Field(None, description="服务中心代码")
    served_by: int | None = Field(
        None, description="投诉工作人员：为您办理过业务的工作人员 id（见 GET /complaints/staff-choices）"
    )


class ServedByOut(Schema):
    id: int
    name: str = Field(description="脱敏姓名")
    department: str


class ComplaintOut(Schema):
    id: int
    number: str
    subject: str
    department: str
    content: str
    status: str
    due_date: datetime.date
    reply: str
    outcome: str
    complainant: str | None = Field(None, description="工作人员视图：脱敏姓名")
    marker: str | None = None


class InvitationOut(Schema):
    id: int
    kind: str
    reference: str
    department: str
    rated: bool
    level: int | None
    expired: bool = Field(False, description="评价有效期已过，不能再评价")
    expires_on: datetime.date | None = Field(None, description="可评价的最后一天")


class RateIn(Schema):
    level: int
    efficiency: int
    guide_accuracy: int
    convenience: int
    usability: int
    comment: str = ""
    named: bool = True


class TextIn(Schema):
    text: str


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    return moment.astimezone(BEIJING) if moment else None


def _consultation(c: Consultation) -> ConsultationOut:
    return ConsultationOut(
        id=c.pk,
        number=c.number,
        question=c.question,
        department=c.department.name,
        item=c.item.implementation_code if c.item_id else None,
        status=c.status,
        due_date=c.due_date,
        answer=c.answer,
        answered_at=_local(c.answered_at),
        marker=getattr(c, "marker", None),
    )


def _complaint(c: Complaint, *, staff: bool = False, listed: bool = False) -> ComplaintOut:
    """``listed``: a staff queue row carries no content (every staff read of a complaint is audited,
    so the content is read one complaint at a time through ``services.read_complaint``)."""
    return ComplaintOut(
        id=c.pk,
        number=c.number,
        subject=c.subject,
        department=c.department.name,
        content="" if listed else c.content,
        status=c.status,
        due_date=c.current_due_date,
        reply=c.reply,
        outcome=c.outcome,
        complainant=mask_name(c.complainant.name) if staff else None,
        marker=getattr(c, "marker", None),
    )


@router.post("/consultations", response={201: ConsultationOut}, summary="提交咨询")
def ask(request: HttpRequest, payload: AskIn):
    item = get_object_or_404(ServiceItem, implementation_code=payload.item) if payload.item else None
    department = Department.objects.filter(pk=payload.department).first() if payload.department else None
    consultation = services.ask(
        request.auth, question=payload.question, item=item, department=department, channel=Channel.API
    )
    return Status(201, _consultation(consultation))


@router.get("/consultations", response=list[ConsultationOut], summary="我的咨询")
def my_consultations(request: HttpRequest):
    return [_consultation(c) for c in queries.my_consultations(request.auth)[:100]]


@router.get("/complaints/staff-choices", response=list[ServedByOut], summary="可投诉的工作人员（为您办理过业务的）")
def staff_choices(request: HttpRequest):
    """Only the staff who acted on the caller's own applications and appointments, names masked."""
    return [
        ServedByOut(id=p.pk, name=queries.mask_staff_name(p.staff.name), department=p.department.name)
        for p in queries.people_who_served(request.auth)
    ]


@router.post("/complaints", response={201: ComplaintOut}, summary="提交投诉（JSON，无附件）")
def complain(request: HttpRequest, payload: ComplainIn):
    return Status(201, _complaint(_file_complaint(request, payload, [])))


@router.post(
    "/complaints/with-attachments",
    response={201: ComplaintOut},
    summary="提交投诉（multipart/form-data，附件字段 files，最多5个）",
)
def complain_with_attachments(request: HttpRequest, payload: Form[ComplainIn], files: File[list[UploadedFile]] = None):
    """The same complaint with attachments, under the upload rules of the portal form."""
    return Status(201, _complaint(_file_complaint(request, payload, files or [])))


def _file_complaint(request: HttpRequest, payload: ComplainIn, files: list[UploadedFile]) -> Complaint:
    application = (
        Application.objects.filter(business_number=payload.application, applicant=request.auth).first()
        if payload.application
        else None
    )
    complaint = services.complain(
        request.auth,
        subject=payload.subject,
        content=payload.content,
        department=Department.objects.filter(pk=payload.department).first() if payload.department else None,
        application=application,
        centre=ServiceCentre.objects.filter(code=payload.centre).first() if payload.centre else None,
        served_by=payload.served_by,
        files=files,
        channel=Channel.API,
    )
    return complaint


@router.get("/complaints", response=list[ComplaintOut], summary="我的投诉")
def my_complaints(request: HttpRequest):
    return [_complaint(c) for c in queries.my_complaints(request.auth)[:100]]


@router.get("/evaluations", response=list[InvitationOut], summary="我的评价（含待评价）")
def my_evaluations(request: HttpRequest):
    rows = []
    for invitation in queries.my_invitations(request.auth)[:100]:
        evaluation = getattr(invitation, "evaluation", None)
        rows.append(
            InvitationOut(
                id=invitation.pk,
                kind=invitation.kind,
                reference=invitation.reference,
                department=invitation.department.name,
                rated=evaluation is not None,
                level=evaluation.level if evaluation else None,
                expired=evaluation is None and invitation.expired,
                expires_on=invitation.expires_on,
            )
        )
    return rows


@router.post("/evaluations/{pk}/rate", response={201: InvitationOut}, summary="评价一次服务")
def rate(request: HttpRequest, pk: int, payload: RateIn):
    """Only the person served; another person's invitation answers 404."""
    invitation = Invitation.objects.filter(pk=pk, citizen=request.auth).select_related("department").first()
    if invitation is None:
        raise HttpError(404, "请求的对象不存在。")
    data = payload.dict()
    evaluation = evaluations.rate(
        invitation, request.auth, comment=data.pop("comment"), named=data.pop("named"), **data
    )
    out = InvitationOut(
        id=invitation.pk,
        kind=invitation.kind,
        reference=invitation.reference,
        department=invitation.department.name,
        rated=True,
        level=evaluation.level,
        expires_on=invitation.expires_on,
    )
    return Status(201, out)


# --- staff ----------------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> None:
    if getattr(request.auth, "kind", "") != "staff":
        raise PermissionDenied("仅限工作人员。")


@router.get("/staff/consultations", response=list[ConsultationOut], summary="待答复咨询（工作人员）")
def consultation_queue(request: HttpRequest):
    _staff(request)
    return [_consultation(c) for c in queries.consultation_queue(request.auth)]


@router.get("/staff/complaints", response=list[ComplaintOut], summary="待办投诉（工作人员）")
def complaint_queue(request: HttpRequest):
    _staff(request)
    return [_complaint(c, staff=True, listed=True) for c in queries.complaint_queue(request.auth)]


@router.get("/staff/complaints/{pk}", response=ComplaintOut, summary="投诉详情（工作人员，查看记入审计）")
def complaint_detail(request: HttpRequest, pk: int):
    _staff(request)
    try:
        return _complaint(services.read_complaint(pk, request.auth), staff=True)
    except (ObjectDoesNotExist, PermissionDenied):
        raise HttpError(404, "请求的对象不存在。") from None


@router.post("/staff/consultations/{pk}/answer", response=ConsultationOut, summary="答复咨询")
def answer(request: HttpRequest, pk: int, payload: TextIn):
    _staff(request)
    consultation = get_object_or_404(Consultation, pk=pk)
    if not request.auth.has_perm("feedback.view_consultation", consultation):
        raise HttpError(404, "请求的对象不存在。")
    return _consultation(services.answer(consultation, request.auth, text=payload.text))


@router.post("/staff/complaints/{pk}/reply", response=ComplaintOut, summary="答复投诉")
def reply(request: HttpRequest, pk: int, payload: TextIn):
    _staff(request)
    try:
        complaint = services.read_complaint(pk, request.auth)
    except (ObjectDoesNotExist, PermissionDenied):
        raise HttpError(404, "请求的对象不存在。") from None
    return _complaint(services.reply_complaint(complaint, request.auth, text=payload.text), staff=True)
