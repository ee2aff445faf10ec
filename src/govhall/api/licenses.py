"""License endpoints (issue 9, tag ``licenses``): public verification and status, no login.

The same verification as the ``/verify/`` page, with the same per-IP limit. Step 2: the holder's
wallet (list, PDF and JWS downloads, one-time share links, the access log) with applicant auth;
the share link's consumption (public, POST only); the outage list for staff.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from govhall.api.auth import AUTH
from govhall.api.errors import error_response, fields_from_django
from govhall.licenses import queries, verification, wallet
from govhall.licenses.models import License

router = Router(tags=["licenses"])


class LicenseSummaryOut(Schema):
    identifier: str
    type_name: str
    holder_name: str
    issuer_name: str
    version: int
    valid_from: datetime.date
    valid_until: datetime.date | None
    status: str
    status_label: str


class VerdictOut(Schema):
    result: int
    valid: bool
    reason: str
    message: str
    checked: list[str]
    license: LicenseSummaryOut | None


class JwsIn(Schema):
    jws: str


class IdentifierIn(Schema):
    identifier: str


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


def _limit(request: HttpRequest) -> None:
    if not queries.verify_allowed(getattr(request, "client_ip", "")):
        raise HttpError(429, "核验过于频繁，请一小时后再试。")


def _out(verdict: verification.Verdict) -> dict[str, Any]:
    return {
        "result": int(verdict.result),
        "valid": verdict.valid,
        "reason": verdict.reason,
        "message": verdict.message,
        "checked": [str(item) for item in verdict.checked],
        "license": verdict.summary() or None,
    }


@router.post("/verify/file", response={200: VerdictOut, 429: ErrorOut}, summary="核验上传的证照文件（PDF 或 JWS）")
def verify_file(request: HttpRequest, file: File[UploadedFile]):
    _limit(request)
    if file.size > settings.LICENSES_VERIFY_MAX_BYTES:
        raise HttpError(413, "文件过大，无法核验。")
    return _out(verification.verify_upload(file.read()))


@router.post("/verify/jws", response={200: VerdictOut, 429: ErrorOut}, summary="核验签名结构化数据（JWS）")
def verify_jws(request: HttpRequest, payload: JwsIn):
    _limit(request)
    return _out(verification.verify_jws(payload.jws[:200_000]))


@router.post("/verify/identifier", response={200: VerdictOut, 429: ErrorOut}, summary="按证照标识核对状态")
def verify_identifier(request: HttpRequest, payload: IdentifierIn):
    _limit(request)
    return _out(verification.verify_identifier(payload.identifier[:200]))


@router.get("/status/{identifier}", response={200: VerdictOut, 429: ErrorOut}, summary="证照当前状态")
def status(request: HttpRequest, identifier: str):
    _limit(request)
    return _out(verification.verify_identifier(identifier[:200]))


# --- step 2: the wallet (我的证照), sharing, the access log, outages ----------------------------------


class WalletLicenseOut(Schema):
    identifier: str
    type_name: str
    type_code: str
    holder_name: str
    serial: str
    version: int
    issuer_name: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    status: str
    status_label: str
    source_reference: str
    data: dict[str, str]


class ShareIn(Schema):
    purpose: str


class ShareOut(Schema):
    url: str
    token: str
    purpose: str
    expires_at: datetime.datetime


class SharePreviewOut(Schema):
    type_name: str
    purpose: str
    expires_at: datetime.datetime


class AccessOut(Schema):
    at: datetime.datetime
    kind: str
    kind_label: str
    accessor: str
    purpose: str
    reference: str


class OutageOut(Schema):
    id: int
    department: str
    license_types: list[str]
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    reason: str
    active: bool


def _wallet_out(license: License) -> dict[str, Any]:
    return {
        "identifier": license.identifier,
        "type_name": license.license_type.name,
        "type_code": license.license_type.type_code,
        "holder_name": license.holder_name,
        "serial": license.serial,
        "version": license.version,
        "issuer_name": license.issuing_department.name,
        "valid_from": license.valid_from,
        "valid_until": license.valid_until,
        "status": license.status,
        "status_label": str(license.get_status_display()),
        "source_reference": license.source_reference,
        "data": {key: str(value) for key, value in license.data.items()},
    }


def _mine(request: HttpRequest, identifier: str) -> License:
    license = queries.my_license(request.auth, identifier)
    if license is None:
        raise HttpError(404, _("证照不存在。"))
    return license


def _file(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/wallet", response=list[WalletLicenseOut], auth=AUTH, summary="我的证照")
def wallet_list(request: HttpRequest):
    return [_wallet_out(license) for license in queries.wallet(request.auth)[:500]]


@router.get("/wallet/{identifier}", response=WalletLicenseOut, auth=AUTH, summary="我的证照详情")
def wallet_detail(request: HttpRequest, identifier: str):
    return _wallet_out(_mine(request, identifier))


@router.get("/wallet/{identifier}/pdf", auth=AUTH, summary="下载签名PDF（仅持证人）")
def wallet_pdf(request: HttpRequest, identifier: str):
    license = _mine(request, identifier)
    try:
        data = wallet.download(license, request.auth, "pdf")
    except PermissionDenied as refused:
        raise HttpError(404, _("证照不存在。")) from refused
    return _file(data, "application/pdf", f"{license.serial}-{license.version:03d}.pdf")


@router.get("/wallet/{identifier}/jws", auth=AUTH, summary="下载签名结构化数据JWS（仅持证人）")
def wallet_jws(request: HttpRequest, identifier: str):
    license = _mine(request, identifier)
    try:
        data = wallet.download(license, request.auth, "jws")
    except PermissionDenied as refused:
        raise HttpError(404, _("证照不存在。")) from refused
    return _file(data, "application/jose", f"{license.serial}-{license.version:03d}.jws")


@router.post(
    "/wallet/{identifier}/shares",
    response={201: ShareOut, 422: ErrorOut},
    auth=AUTH,
    summary="生成一次性分享链接（10分钟有效）",
)
def wallet_share(request: HttpRequest, identifier: str, payload: ShareIn):
    license = _mine(request, identifier)
    try:
        created = wallet.create_share_link(license, request.auth, purpose=payload.purpose)
    except ValidationError as refused:
        return error_response(request, 422, "invalid", " ".join(refused.messages), fields_from_django(refused))
    url = request.build_absolute_uri(reverse("portal:license_shared", args=[created.token]))
    out = {"url": url, "token": created.token, "purpose": created.link.purpose, "expires_at": created.link.expires_at}
    return Status(201, out)


@router.get("/wallet/{identifier}/accesses", response=list[AccessOut], auth=AUTH, summary="谁使用了我的证照")
def wallet_accesses(request: HttpRequest, identifier: str):
    license = _mine(request, identifier)
    return [
        {
            "at": access.at,
            "kind": access.kind,
            "kind_label": str(access.get_kind_display()),
            "accessor": access.accessor_label,
            "purpose": access.purpose,
            "reference": access.reference,
        }
        for access in queries.access_log(license)[:500]
    ]


@router.get("/shared/{token}", response={200: SharePreviewOut, 410: ErrorOut}, summary="查看分享链接（不消耗）")
def shared_preview(request: HttpRequest, token: str):
    link, state = wallet.share_state(token)
    if state != "ok":
        return error_response(request, 410, state, wallet.state_message(state))
    return {"type_name": link.license.license_type.name, "purpose": link.purpose, "expires_at": link.expires_at}


@router.post("/shared/{token}", response={410: ErrorOut}, summary="使用分享链接获取证照PDF（一次性）")
def shared_consume(request: HttpRequest, token: str):
    try:
        license, data = wallet.consume_share(token, by=request.user, ip=getattr(request, "client_ip", ""))
    except ValidationError as refused:
        return error_response(request, 410, refused.code or "gone", refused.messages[0])
    return _file(data, "application/pdf", f"{license.serial}-{license.version:03d}.pdf")


@router.get("/outages", response=list[OutageOut], auth=AUTH, summary="证照服务中断告知（工作人员）")
def outage_list(request: HttpRequest):
    from govhall.licenses import outages

    user = request.auth
    if not queries.can_see_outages(user):
        raise PermissionDenied
    active = set(outages.active().values_list("pk", flat=True))
    rows = queries.outage_list(user)[:500]
    return [
        {
            "id": outage.pk,
            "department": outage.department.name,
            "license_types": [license_type.name for license_type in outage.license_types.all()],
            "starts_at": outage.starts_at,
            "ends_at": outage.ends_at,
            "reason": outage.reason,
            "active": outage.pk in active,
        }
        for outage in rows
    ]
