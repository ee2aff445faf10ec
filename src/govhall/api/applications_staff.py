"""The department's side of applications for apps (issue 7, tag ``applications``): the queues per
role and scope, one application, and every action. Staff only, fully authenticated (a bearer token
is issued after password + second factor; a session must be OTP-verified, see ``api.auth``).

The decision needs ``otp_token``, a fresh TOTP code, in its body (regulation Art. 20). A refusal is
``422 {"code", "message", "fields"}``; a stale action ``code: "conflict"`` with
"该申请已被他人处理，请刷新后重试". Another department's application answers 404.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from govhall.api.auth import AUTH
from govhall.api.errors import error_response, fields_from_django
from govhall.applications import queries
from govhall.applications.models import Application
from govhall.core.crypto import mask_name
from govhall.workbench.views.applications import answers
from govhall.workbench.views.applications_actions import ACTIONS, offered, perform

router = Router(tags=["applications"], auth=AUTH)
PAGE_SIZE = 50


class QueueOut(Schema):
    key: str
    label: str


class RowOut(Schema):
    uid: uuid.UUID
    business_number: str | None
    item: str
    item_name: str
    applicant: str = Field(description="脱敏姓名")
    status: str
    status_label: str
    stage: str | None
    marker: str
    submitted_at: datetime.datetime | None
    due: datetime.date | None


class PageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[RowOut]


class EntryOut(Schema):
    at: datetime.datetime
    action: str
    status: str
    status_label: str
    role: str
    department: str
    comment: str
    notice: str | None


class DetailOut(RowOut):
    department: str
    version: int
    answers: list[dict[str, str]]
    materials: list[dict[str, Any]]
    acceptance_due: datetime.date | None
    decision_due: datetime.date | None
    statutory_due: datetime.date | None
    issuance_due: datetime.date | None
    extension_days: int
    correction_rounds: int
    actions: list[str]
    timeline: list[EntryOut]


class CorrectionItemIn(Schema):
    material: int | None = None
    field: str | None = None
    reason: str


class ActionIn(Schema):
    expected: str | None = None
    reason: str = ""
    legal_basis: str = ""
    items: list[CorrectionItemIn] = []
    round_reason: str = ""
    opinion: str = ""
    procedure: str = ""
    comment: str = ""
    days: int = 0
    outcome: str = ""
    reasons: str = ""
    otp_token: str = ""


def _staff(request: HttpRequest) -> Any:
    user = request.auth
    if getattr(user, "kind", "") != "staff" or not queries.queues_for(user):
        raise PermissionDenied("仅限办件工作人员使用。")
    return user


def _row(application: Application) -> dict[str, Any]:
    stage = application.stage if application.status == "in_review" else None
    return {
        "uid": application.uid,
        "business_number": application.business_number,
        "item": application.item.implementation_code,
        "item_name": application.item.name,
        "applicant": mask_name(application.applicant.name),
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "stage": (stage or {}).get("name"),
        "marker": application.marker,
        "submitted_at": application.submitted_at,
        "due": application.decision_due or application.acceptance_due,
    }


def _load(user: Any, uid: uuid.UUID) -> Application:
    try:
        return queries.staff_application(user, uid)
    except PermissionDenied as refused:
        raise HttpError(404, "请求的对象不存在。") from refused


@router.get("/queues", response=list[QueueOut], summary="我的办件队列")
def queues(request: HttpRequest):
    return [QueueOut(key=key, label=label) for key, label in queries.queues_for(_staff(request))]


@router.get("/queue", response=PageOut, summary="办件队列（每页50条）")
def queue(
    request: HttpRequest,
    queue: str = "acceptance",
    item: int | None = None,
    status: str | None = None,
    marker: str | None = None,
    q: str = "",
    page: int = 1,
):
    rows = queries.staff_queue(_staff(request), queue, item=item, status=status, marker=marker, search=q[:60])
    found = Paginator(rows, PAGE_SIZE).get_page(page)
    return {
        "count": found.paginator.count,
        "page": found.number,
        "pages": found.paginator.num_pages,
        "results": [_row(application) for application in found.object_list],
    }


@router.get("/{uuid:uid}", response=DetailOut, summary="办件详情")
def detail(request: HttpRequest, uid: uuid.UUID):
    user = _staff(request)
    application = _load(user, uid)
    return {
        **_row(application),
        "department": application.item.department.name,
        "version": application.version.number,
        "answers": answers(application),
        "materials": [
            {
                "id": m.pk,
                "material": m.requirement.name,
                "content_type": m.content_type,
                "size": m.size,
                "current": m.superseded_by_id is None,
            }
            for m in queries.staff_materials(application)
        ],
        "acceptance_due": application.acceptance_due,
        "decision_due": application.decision_due,
        "statutory_due": application.statutory_due,
        "issuance_due": application.issuance_due,
        "extension_days": application.extension_days,
        "correction_rounds": application.correction_rounds,
        "actions": [action for action in ACTIONS if offered(user, application, action)],
        "timeline": [
            {
                "at": entry.at,
                "action": entry.action,
                "status": entry.to_status,
                "status_label": entry.to_status_label,
                "role": entry.role,
                "department": entry.scope_label,
                "comment": entry.comment,
                "notice": entry.notice.number if entry.notice else None,
            }
            for entry in queries.timeline(application)
        ],
    }


@router.post("/{uuid:uid}/actions/{action}", response={200: RowOut}, summary="办理动作")
def act(request: HttpRequest, uid: uuid.UUID, action: str, payload: ActionIn) -> Any:
    """``accept``, ``not_accept`` (reason, legal_basis), ``correction`` (items, round_reason),
    ``stage`` (opinion), ``suspend`` (procedure, reason), ``resume`` (comment), ``extend`` (days,
    reason), ``decide`` (outcome approve/refuse, reasons, legal_basis, **otp_token**), ``issue``,
    ``conclude``."""
    user = _staff(request)
    application = _load(user, uid)
    if action not in ACTIONS:
        raise HttpError(404, "没有这个办理动作。")
    if not user.has_perm(ACTIONS[action][1], application):
        raise PermissionDenied("您没有执行此操作的权限。")
    data = payload.dict()
    data["items"] = [{k: v for k, v in item.items() if v is not None} for item in data["items"]]
    if action == "decide" and not data["otp_token"]:
        return _refused(
            request, ValidationError({"otp_token": ["作出决定前请重新输入动态验证码。"]}, code="step_up_required")
        )
    request.user = user
    _done, refused = perform(request, application, action, data)
    if refused is not None:
        return _refused(request, refused)
    application.refresh_from_db()
    return Status(200, _row(application))


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    code = getattr(error, "code", None) or "invalid"
    if hasattr(error, "error_dict"):
        code = "step_up_required" if "otp_token" in error.error_dict else code
    return error_response(request, 422, code, " ".join(error.messages), fields_from_django(error))
