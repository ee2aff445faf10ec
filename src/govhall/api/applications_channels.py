"""Every channel into one record, for apps (issue 8, tag ``applications``): start a pre-review or
an agent's application (applicant), and the comprehensive window (staff: find by business number,
verify originals, scan, continue on site, register a walk-in (also with an agent, 代办), submit,
decide an instant item with a fresh TOTP code). The acceptor's pre-review pass / return are
actions of the staff API (``pass_pre_review``, ``correction``). Supervision: the share of
pre-reviews within 30 minutes.

The same services as the workbench and the portal: a refusal is ``422 {code, message, fields}``; an
application the caller may not take at the window is ``404`` like one that does not exist.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from govhall.accounts import mfa
from govhall.api.auth import AUTH
from govhall.api.errors import error_response, fields_from_django
from govhall.applications import queries, services
from govhall.applications.models import Application, Channel, MaterialSubmission
from govhall.catalog.models import ServiceItem

router = Router(tags=["applications"], auth=AUTH)
NOT_FOUND = "办件不存在。"


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ChannelOut(Schema):
    uid: UUID
    business_number: str | None
    status: str
    status_label: str
    channel: str
    capacity: str
    pre_review_due: Any = None


class StartIn(Schema):
    item: str
    channel: str = Channel.PRE_REVIEW


class WalkInIn(Schema):
    item: str
    name: str
    document_number: str
    mobile: str = ""
    answers: dict[str, Any] = {}


class InstantIn(Schema):
    approve: bool
    reasons: str
    legal_basis: str
    otp_token: str


class TimelinessOut(Schema):
    finished: int
    in_time: int
    open: int
    share: float | None


def _out(application: Application) -> dict[str, Any]:
    return {
        "uid": application.uid,
        "business_number": application.business_number,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "channel": application.channel,
        "capacity": application.capacity,
        "pre_review_due": application.pre_review_due,
    }


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    code = getattr(error, "code", None) or "invalid"
    return error_response(request, 422, code, " ".join(error.messages), fields_from_django(error))


def _item(code: str, **flags: bool) -> ServiceItem:
    item = ServiceItem.objects.filter(implementation_code=code, published_version__isnull=False, **flags).first()
    if item is None:
        raise HttpError(404, "该事项不存在或不提供该办理方式。")
    return item


def _at_window(request: HttpRequest, uid: UUID) -> Application:
    application = Application.objects.select_related("item", "version").filter(uid=uid).first()
    if application is None or not request.auth.has_perm("applications.window", application):
        raise HttpError(404, NOT_FOUND)
    return application


# --- applicant --------------------------------------------------------------------------------------


@router.post("/drafts", response={201: ChannelOut, 422: ErrorOut}, summary="开始网上预审（创建草稿）")
def start(request: HttpRequest, payload: StartIn):
    """``channel``: ``pre_review`` (items offering 网上预审; only the materials the guide marks for
    pre-review are asked) or ``online``. Then the usual draft endpoints and ``submit``."""
    item = _item(payload.item, full_online=True)
    try:
        application = services.start_draft(request.auth, item, channel=payload.channel)
    except ValidationError as error:
        return _refused(request, error)
    return Status(201, _out(application))


@router.post("/agent-drafts", response={201: ChannelOut, 422: ErrorOut}, summary="代办：为委托人创建申请草稿")
def start_as_agent(
    request: HttpRequest,
    item: Form[str],
    principal_name: Form[str],
    principal_document_number: Form[str],
    authorisation: File[UploadedFile],
    channel: Form[str] = Channel.ONLINE,
):
    """Multipart: the principal (a registered person, by name and resident ID number) becomes the
    applicant; the caller is the agent; ``authorisation`` is the signed power of attorney."""
    found = _item(item, full_online=True)
    try:
        application = services.start_agent_draft(
            request.auth,
            found,
            principal_name=principal_name,
            principal_document_number=principal_document_number,
            authorisation=authorisation,
            channel=channel,
        )
    except ValidationError as error:
        return _refused(request, error)
    return Status(201, _out(application))


# --- the comprehensive window (staff) --------------------------------------------------------------


@router.get("/window/find", response=ChannelOut, summary="综合窗口：按业务编号查找申请")
def find(request: HttpRequest, number: str):
    application = queries.window_application(request.auth, number)
    if application is None:
        raise HttpError(404, NOT_FOUND)
    return _out(application)


@router.post("/window/{uuid:uid}/files/{file_id}/verify", response={200: ChannelOut, 422: ErrorOut}, summary="核验原件")
def verify(request: HttpRequest, uid: UUID, file_id: int):
    application = _at_window(request, uid)
    submission = MaterialSubmission.objects.filter(pk=file_id, application=application).first()
    if submission is None:
        raise HttpError(404, "文件不存在。")
    try:
        services.verify_original(submission, request.auth)
    except ValidationError as error:
        return _refused(request, error)
    return _out(application)


@router.post(
    "/window/{uuid:uid}/scans/{requirement}", response={201: ChannelOut, 422: ErrorOut}, summary="上传窗口扫描件"
)
def scan(request: HttpRequest, uid: UUID, requirement: int, file: File[UploadedFile]):
    application = _at_window(request, uid)
    try:
        services.scan_material(application, request.auth, requirement, file)
    except ValidationError as error:
        return _refused(request, error)
    return Status(201, _out(application))


@router.post("/window/{uuid:uid}/continue", response={200: ChannelOut, 422: ErrorOut}, summary="现场核验后转入待受理")
def continue_on_site(request: HttpRequest, uid: UUID):
    application = _at_window(request, uid)
    try:
        application = services.continue_on_site(application, request.auth)
    except ValidationError as error:
        return _refused(request, error)
    return _out(application)


@router.post("/window/walk-ins", response={201: ChannelOut, 422: ErrorOut}, summary="现场申请登记")
def walk_in(request: HttpRequest, payload: WalkInIn):
    item = _item(payload.item)
    try:
        application = services.register_walk_in(
            request.auth,
            item,
            name=payload.name,
            document_number=payload.document_number,
            mobile=payload.mobile,
            answers=payload.answers,
        )
    except ValidationError as error:
        return _refused(request, error)
    except PermissionDenied as error:
        raise HttpError(404, "该事项不存在或不提供该办理方式。") from error
    return Status(201, _out(application))


@router.post(
    "/window/agent-walk-ins", response={201: ChannelOut, 422: ErrorOut}, summary="现场申请登记（代办人代为办理）"
)
def agent_walk_in(
    request: HttpRequest,
    item: Form[str],
    name: Form[str],
    document_number: Form[str],
    agent_name: Form[str],
    agent_document_number: Form[str],
    authorisation: File[UploadedFile],
    mobile: Form[str] = "",
    agent_mobile: Form[str] = "",
    answers: Form[str] = "{}",
):
    """Multipart (the scanned authorisation is a file; ``answers`` a JSON object as text): the
    walk-in of ``/window/walk-ins`` with an agent at the window. ``name`` / ``document_number`` /
    ``mobile`` are the principal's (the applicant), ``agent_*`` the agent's, both identified the
    same way; ``authorisation`` is the principal's signed authorisation whose original the caller
    has checked (recorded as verified by the caller)."""
    found = _item(item)
    try:
        parsed = json.loads(answers or "{}")
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        return error_response(request, 422, "invalid", "申请表内容格式不正确。", {"answers": ["须为JSON对象。"]})
    agent = {"name": agent_name, "document_number": agent_document_number, "mobile": agent_mobile}
    try:
        application = services.register_walk_in(
            request.auth,
            found,
            name=name,
            document_number=document_number,
            mobile=mobile,
            answers=parsed,
            agent={**agent, "authorisation": authorisation},
        )
    except ValidationError as error:
        return _refused(request, error)
    except PermissionDenied as error:
        raise HttpError(404, "该事项不存在或不提供该办理方式。") from error
    return Status(201, _out(application))


@router.post("/window/{uuid:uid}/submit", response={200: ChannelOut, 422: ErrorOut}, summary="提交现场登记的申请")
def submit(request: HttpRequest, uid: UUID):
    application = _at_window(request, uid)
    try:
        application = services.submit_at_window(application, request.auth)
    except ValidationError as error:
        return _refused(request, error)
    return _out(application)


@router.post(
    "/window/{uuid:uid}/instant", response={200: ChannelOut, 403: ErrorOut, 422: ErrorOut}, summary="即办件当场决定"
)
def instant(request: HttpRequest, uid: UUID, payload: InstantIn):
    """Accept and decide at once (即办件); ``otp_token`` is a fresh TOTP code (Art. 20)."""
    application = _at_window(request, uid)
    if mfa.verify_second_factor(request.auth, payload.otp_token, request) is None:
        return error_response(
            request, 422, "step_up_required", "动态验证码不正确或已使用，请等待下一个验证码后重试。", {}
        )
    try:
        application = services.decide_instantly(
            application,
            request.auth,
            approve=payload.approve,
            reasons=payload.reasons,
            legal_basis=payload.legal_basis,
            stepped_up_at=timezone.now(),
        )
    except ValidationError as error:
        return _refused(request, error)
    return _out(application)


@router.get("/pre-review/timeliness", response=TimelinessOut, summary="监督：网上预审30分钟内完成率")
def timeliness(request: HttpRequest):
    figures = queries.pre_review_timeliness(queries.supervised(request.auth))
    return {"finished": figures.finished, "in_time": figures.in_time, "open": figures.open, "share": figures.share}
