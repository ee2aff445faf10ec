"""Applying online for apps (issue 7, item 7): everything the portal does for the applicant — start a
draft, read the form and the materials needed, save answers, upload materials, submit, my
applications with the timeline and notices, correction response, withdraw — and the public
progress query (rate limited, no personal data).

The same services and queries as the portal, so every face refuses with the same Chinese message:
``422 {"code": <reason>, "message": <the service's message>, "fields": {...}}``. An application
that is not the caller's is ``404`` exactly like one that does not exist.
"""

from __future__ import annotations

import datetime
import json
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from govhall.accounts.queries import authorisations_for
from govhall.api.auth import AUTH
from govhall.api.errors import error_response, fields_from_django
from govhall.applications import queries, services
from govhall.applications.models import WITHDRAWABLE, Application, Capacity, MaterialSubmission
from govhall.applications.submission import needed_requirements
from govhall.catalog.models import ServiceItem

router = Router(tags=["applications"])


class StartIn(Schema):
    item: str
    capacity: str = Capacity.SELF
    enterprise: int | None = None


class AnswersIn(Schema):
    answers: dict[str, Any]


class WithdrawIn(Schema):
    reason: str = ""


class ProgressIn(Schema):
    business_number: str
    mobile: str


class FileOut(Schema):
    id: int
    requirement: int
    name: str
    size: int
    content_type: str
    uploaded_at: datetime.datetime


class MaterialOut(Schema):
    id: int
    name: str
    necessity: str
    needed: bool
    count: int
    acceptance_standard: str
    e_license_replaceable: bool
    files: list[FileOut]


class FormOut(Schema):
    definition: dict[str, Any]
    answers: dict[str, Any]


class NoticeOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    issued_at: datetime.datetime


class TimelineOut(Schema):
    at: datetime.datetime
    action: str
    status: str
    status_label: str
    department: str
    comment: str
    notice: int | None


class CorrectionItemOut(Schema):
    material: int | None
    field: str
    label: str
    reason: str


class ApplicationOut(Schema):
    uid: UUID
    business_number: str | None
    status: str
    status_label: str
    item: str
    item_name: str
    department: str
    capacity: str
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    acceptance_due: datetime.date | None
    decision_due: datetime.date | None
    issuance_due: datetime.date | None
    withdrawable: bool


class ApplicationDetailOut(ApplicationOut):
    timeline: list[TimelineOut]
    notices: list[NoticeOut]
    correction: list[CorrectionItemOut]


class ProgressStepOut(Schema):
    at: datetime.datetime
    status: str
    label: str


class ProgressOut(Schema):
    business_number: str
    item: str
    department: str
    status: str
    label: str
    steps: list[ProgressStepOut]


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


NOT_FOUND = "办件不存在。"


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """The service's own message(s) and reason code; completeness problems keyed per field/material."""
    code = getattr(error, "code", None) or "invalid"
    return error_response(request, 422, code, " ".join(error.messages), fields_from_django(error))


def _mine(request: HttpRequest, uid: UUID) -> Application:
    application = queries.my_application(request.auth, uid)
    if application is None:
        raise HttpError(404, NOT_FOUND)
    return application


def _out(application: Application) -> dict[str, Any]:
    return {
        "uid": application.uid,
        "business_number": application.business_number,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "item": application.item.implementation_code,
        "item_name": application.item.name,
        "department": application.item.department.name,
        "capacity": application.capacity,
        "created_at": application.created_at,
        "submitted_at": application.submitted_at,
        "acceptance_due": application.acceptance_due,
        "decision_due": application.decision_due,
        "issuance_due": application.issuance_due,
        "withdrawable": application.status in WITHDRAWABLE,
    }


def _file(submission: MaterialSubmission) -> FileOut:
    return FileOut(
        id=submission.pk,
        requirement=submission.requirement_id,
        name=submission.original_name,
        size=submission.size,
        content_type=submission.content_type,
        uploaded_at=submission.uploaded_at,
    )


def _labels(application: Application) -> dict[str, str]:
    return {spec["name"]: spec["label"] for spec in (application.version.form_definition or {}).get("fields", [])}


def _detail(application: Application) -> dict[str, Any]:
    department = application.item.department.name
    labels = _labels(application)
    return {
        **_out(application),
        "timeline": [
            TimelineOut(
                at=entry.at,
                action=entry.action,
                status=entry.to_status,
                status_label=entry.to_status_label,
                department="" if entry.role == "applicant" else entry.scope_label or department,
                comment=entry.comment,
                notice=entry.notice_id if entry.notice_id and entry.notice.pdf else None,
            )
            for entry in queries.timeline(application)
        ],
        "notices": [
            NoticeOut(
                id=n.pk, kind=n.kind, kind_label=str(n.get_kind_display()), number=n.number, issued_at=n.created_at
            )
            for n in application.notices.exclude(pdf="")
        ],
        "correction": [
            CorrectionItemOut(
                material=item.requirement_id,
                field=item.field,
                label=item.requirement.name if item.requirement_id else labels.get(item.field, item.field),
                reason=item.reason,
            )
            for item in queries.correction_items(application)
        ],
    }


@router.post("/drafts", response={201: ApplicationOut, 422: ErrorOut}, auth=AUTH, summary="开始申请（创建草稿）")
def start(request: HttpRequest, payload: StartIn):
    """``capacity``: ``self``, or ``operator`` with ``enterprise`` (an enterprise one operates for)."""
    item = ServiceItem.objects.filter(
        implementation_code=payload.item, published_version__isnull=False, full_online=True
    ).first()
    if item is None:
        raise HttpError(404, "该事项不存在或不提供在线办理。")
    enterprise = None
    if payload.capacity == Capacity.OPERATOR:
        authorisation = authorisations_for(request.auth).filter(enterprise_id=payload.enterprise or 0).first()
        enterprise = authorisation.enterprise if authorisation else None
    try:
        application = services.start_draft(request.auth, item, capacity=payload.capacity, enterprise=enterprise)
    except ValidationError as error:
        return _refused(request, error)
    except PermissionDenied as error:
        raise PermissionDenied("只有实名认证的个人或法人账号可以在线申请。") from error
    return Status(201, _out(application))


@router.get("", response=list[ApplicationOut], auth=AUTH, summary="我的办件（含草稿）")
def mine(request: HttpRequest):
    return [_out(application) for application in queries.mine(request.auth)[:200]]


@router.get("/{uuid:uid}", response=ApplicationDetailOut, auth=AUTH, summary="办件详情（含办理进度、文书、补正告知）")
def detail(request: HttpRequest, uid: UUID):
    return _detail(_mine(request, uid))


@router.get("/{uuid:uid}/form", response=FormOut, auth=AUTH, summary="申请表定义和已填内容")
def form(request: HttpRequest, uid: UUID):
    application = _mine(request, uid)
    return FormOut(definition=application.version.form_definition or {"fields": []}, answers=application.form_data)


@router.put("/{uuid:uid}/answers", response={200: FormOut, 422: ErrorOut}, auth=AUTH, summary="保存申请表（草稿）")
def save_answers(request: HttpRequest, uid: UUID, payload: AnswersIn):
    """Partial answers are kept (a draft); they are validated in full at submission."""
    try:
        application = services.save_draft(_mine(request, uid), request.auth, payload.answers)
    except ValidationError as error:
        return _refused(request, error)
    return Status(200, FormOut(definition=application.version.form_definition or {}, answers=application.form_data))


@router.get("/{uuid:uid}/materials", response=list[MaterialOut], auth=AUTH, summary="申请材料及已上传文件")
def materials(request: HttpRequest, uid: UUID):
    """Every material of the bound guide; ``needed``: required, or a condition the answers meet."""
    application = _mine(request, uid)
    needed = {requirement.pk for requirement in needed_requirements(application)}
    files: dict[int, list[FileOut]] = {}
    for submission in queries.current_materials(application):
        files.setdefault(submission.requirement_id, []).append(_file(submission))
    return [
        MaterialOut(
            id=r.pk,
            name=r.name,
            necessity=r.necessity,
            needed=r.pk in needed,
            count=r.count,
            acceptance_standard=r.acceptance_standard,
            e_license_replaceable=bool(r.replacing_license_types.all()),
            files=files.get(r.pk, []),
        )
        for r in application.version.materials.prefetch_related("replacing_license_types").order_by("order")
    ]


@router.post(
    "/{uuid:uid}/materials/{requirement}", response={201: FileOut, 422: ErrorOut}, auth=AUTH, summary="上传材料文件"
)
def upload(request: HttpRequest, uid: UUID, requirement: int, file: File[UploadedFile]):
    """Multipart ``file``; PDF, JPEG, PNG or OFD judged by content, size and count limits."""
    try:
        submission = services.add_material(_mine(request, uid), request.auth, requirement, file)
    except ValidationError as error:
        return _refused(request, error)
    return Status(201, _file(submission))


@router.delete(
    "/{uuid:uid}/files/{file_id}", response={204: None, 422: ErrorOut}, auth=AUTH, summary="删除草稿中的文件"
)
def remove(request: HttpRequest, uid: UUID, file_id: int):
    submission = queries.current_materials(_mine(request, uid)).filter(pk=file_id).first()
    if submission is None:
        raise HttpError(404, "文件不存在。")
    try:
        services.remove_material(submission, request.auth)
    except ValidationError as error:
        return _refused(request, error)
    return Status(204, None)


@router.get("/{uuid:uid}/files/{file_id}", auth=AUTH, summary="下载本人上传的文件")
def download_file(request: HttpRequest, uid: UUID, file_id: int):
    application = _mine(request, uid)
    if not application.materials.filter(pk=file_id, license__isnull=True).exists():
        raise HttpError(404, "文件不存在。")
    submission = services.material_for_viewing(file_id, request.auth)
    return FileResponse(
        submission.file.open("rb"),
        content_type=submission.content_type,
        as_attachment=True,
        filename=submission.original_name,
    )


@router.post("/{uuid:uid}/submit", response={200: ApplicationDetailOut, 422: ErrorOut}, auth=AUTH, summary="提交申请")
def submit(request: HttpRequest, uid: UUID):
    """Every missing piece at once in ``fields`` (``form.<field>``, ``material.<id>``)."""
    try:
        application = services.submit(_mine(request, uid), request.auth)
    except ValidationError as error:
        return _refused(request, error)
    return Status(200, _detail(application))


@router.get("/{uuid:uid}/notices/{notice_id}", auth=AUTH, summary="下载文书（PDF）")
def notice_pdf(request: HttpRequest, uid: UUID, notice_id: int):
    notice = queries.notice_of(_mine(request, uid), notice_id)
    if notice is None:
        raise HttpError(404, "文书不存在。")
    response = FileResponse(notice.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice.number}.pdf"'
    return response


@router.post(
    "/{uuid:uid}/correction", response={200: ApplicationDetailOut, 422: ErrorOut}, auth=AUTH, summary="补正并重新提交"
)
def correct(request: HttpRequest, uid: UUID):
    """Multipart: ``answers`` (JSON object of the listed fields) and files ``material_<id>`` for the
    listed materials. Anything the notice does not list is refused, nothing changed (Art. 12)."""
    application = _mine(request, uid)
    try:
        answers = json.loads(request.POST.get("answers") or "{}")
    except ValueError:
        answers = None
    if not isinstance(answers, dict):
        return error_response(request, 422, "form", "answers 须为JSON对象。")
    uploads = {
        int(name.removeprefix("material_")): request.FILES.getlist(name)
        for name in request.FILES
        if name.startswith("material_") and name.removeprefix("material_").isdigit()
    }
    try:
        application = services.respond_to_correction(application, request.auth, answers=answers, uploads=uploads)
    except ValidationError as error:
        return _refused(request, error)
    return Status(200, _detail(application))


@router.post("/{uuid:uid}/withdraw", response={200: ApplicationOut, 422: ErrorOut}, auth=AUTH, summary="撤回申请")
def withdraw(request: HttpRequest, uid: UUID, payload: WithdrawIn):
    try:
        application = services.withdraw(_mine(request, uid), request.auth, reason=payload.reason[:500])
    except ValidationError as error:
        return _refused(request, error)
    return Status(200, _out(application))


@router.post("/progress", response={200: ProgressOut, 404: ErrorOut, 429: ErrorOut}, summary="办件进度查询（公开）")
def progress(request: HttpRequest, payload: ProgressIn):
    """Business number + the applicant's mobile number → status steps only. A wrong pair and an
    unknown number give the same 404; attempts are limited per IP and per business number (429)."""
    number = payload.business_number.strip()[:48]
    if not queries.progress_allowed(getattr(request, "client_ip", ""), number):
        return error_response(request, 429, "rate_limited", "查询过于频繁，请一小时后再试。")
    found = queries.public_progress(number, payload.mobile[:20])
    if found is None:
        return error_response(request, 404, "not_found", "未查询到办件。请核对业务编号和手机号码后重试。")
    return Status(
        200,
        ProgressOut(
            business_number=found.business_number,
            item=found.item,
            department=found.department,
            status=found.status,
            label=found.label,
            steps=[ProgressStepOut(at=s.at, status=s.status, label=s.label) for s in found.steps],
        ),
    )
