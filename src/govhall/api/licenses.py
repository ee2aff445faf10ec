"""License endpoints (issue 9, tag ``licenses``): public verification and status, no login.

The same verification as the ``/verify/`` page, with the same per-IP limit. The wallet, downloads
and sharing (step 2) will join this router.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from govhall.licenses import queries, verification

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
