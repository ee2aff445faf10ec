"""Who holds an application, for apps (issue 8 item 4, tag ``applications``, under
``/api/v1/applications/assignment``): claim and release by staff who may act on it now, the
department admin's reassignment of many (each with the holder the caller saw, ``null`` for
unclaimed) and handover of everything one person holds. Staff only, fully authenticated
(``api.auth``).

A refusal is ``422 {"code", "message", "fields"}``; a claim held by someone else or a stale
reassignment is ``code: "conflict"``; a role that may not do it ``403``; an application the caller
may not read ``404``.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from govhall.accounts.models import User
from govhall.api.auth import AUTH
from govhall.api.errors import error_response, fields_from_django
from govhall.applications import assignment, queries, services
from govhall.applications.models import Application
from govhall.directory.models import Department

router = Router(tags=["applications"], auth=AUTH)


class HoldingOut(Schema):
    uid: uuid.UUID
    business_number: str | None
    status: str
    holder: int | None
    holder_name: str | None
    claim_expires_at: datetime.datetime | None


class PickIn(Schema):
    uid: uuid.UUID
    expected_holder: int | None


class ReassignIn(Schema):
    applications: list[PickIn]
    to: int
    reason: str


class HandoverIn(Schema):
    department: int
    holder: int
    to: int
    reason: str


class MovedOut(Schema):
    moved: int
    results: list[HoldingOut]


def _staff(request: HttpRequest) -> Any:
    user = request.auth
    if getattr(user, "kind", "") != "staff":
        raise PermissionDenied("仅限工作人员使用。")
    return user


def _out(application: Application) -> dict[str, Any]:
    held = assignment.holder(application)
    return {
        "uid": application.uid,
        "business_number": application.business_number,
        "status": application.status,
        "holder": held.pk if held else None,
        "holder_name": held.name if held else None,
        "claim_expires_at": application.claim_expires_at if held else None,
    }


def _load(user: Any, uid: uuid.UUID) -> Application:
    try:
        return queries.staff_application(user, uid)
    except PermissionDenied as refused:
        raise HttpError(404, "请求的对象不存在。") from refused


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    code = getattr(error, "code", None) or "invalid"
    return error_response(request, 422, code, " ".join(error.messages), fields_from_django(error))


def _staff_member(pk: int) -> User | None:
    return User.objects.filter(pk=pk, kind="staff").first()


@router.post("/{uuid:uid}/claim", response={200: HoldingOut}, summary="认领办件")
def claim(request: HttpRequest, uid: uuid.UUID) -> Any:
    user = _staff(request)
    try:
        return _out(services.claim(_load(user, uid), user))
    except ValidationError as error:
        return _refused(request, error)


@router.post("/{uuid:uid}/release", response={200: HoldingOut}, summary="释放认领")
def release(request: HttpRequest, uid: uuid.UUID) -> Any:
    user = _staff(request)
    try:
        return _out(services.release(_load(user, uid), user))
    except ValidationError as error:
        return _refused(request, error)


@router.post("/reassign", response={200: MovedOut}, summary="改派办件（可多件）")
def reassign(request: HttpRequest, payload: ReassignIn) -> Any:
    """All or nothing: if any application's holder is no longer ``expected_holder``, nothing moves."""
    user = _staff(request)
    found = {a.uid: a for a in Application.objects.filter(uid__in=[pick.uid for pick in payload.applications])}
    if len(found) != len({pick.uid for pick in payload.applications}):
        raise HttpError(404, "请求的对象不存在。")
    expected = {found[pick.uid].pk: pick.expected_holder for pick in payload.applications}
    try:
        moved = services.reassign(
            list(expected), _staff_member(payload.to), by=user, reason=payload.reason, expected=expected
        )
    except ValidationError as error:
        return _refused(request, error)
    return {"moved": len(moved), "results": [_out(application) for application in moved]}


@router.post("/handover", response={200: MovedOut}, summary="交接某人承办的全部办件")
def handover(request: HttpRequest, payload: HandoverIn) -> Any:
    user = _staff(request)
    department = Department.objects.filter(pk=payload.department).first()
    holder = _staff_member(payload.holder)
    if department is None or holder is None:
        raise HttpError(404, "请求的对象不存在。")
    before = list(assignment.held_by(holder, department).values_list("pk", flat=True))
    try:
        moved = services.hand_over(
            holder, _staff_member(payload.to), department=department, by=user, reason=payload.reason
        )
    except ValidationError as error:
        return _refused(request, error)
    rows = Application.objects.filter(pk__in=before).order_by("pk")
    return {"moved": moved, "results": [_out(application) for application in rows]}
