"""证照核验 (issue 9 item 4): the public verification page and the published PKI files.

No login: anyone holding a license file, its signed data or its identifier may check it; attempts
are limited per IP. The views parse, call one verification, and render.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from govhall.licenses import pki, queries, verification

TEMPLATE = "portal/verify.html"


def _answer(request: HttpRequest) -> verification.Verdict | None:
    """The verdict for the submitted file, JWS or identifier (in that order of preference)."""
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > settings.LICENSES_VERIFY_MAX_BYTES:
            return verification.Verdict(verification.Result.INSUFFICIENT, "too_large", _("文件过大，无法核验。"))
        return verification.verify_upload(upload.read())
    token = request.POST.get("jws", "").strip()
    if token:
        return verification.verify_jws(token[:200_000])
    identifier = request.POST.get("identifier", "").strip()
    if identifier:
        return verification.verify_identifier(identifier[:200])
    return None


def verify(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"identifier": ""}
    status = 200
    if request.method == "POST":
        context["identifier"] = request.POST.get("identifier", "").strip()[:200]
        if not queries.verify_allowed(getattr(request, "client_ip", "")):
            context["limited"] = True
            status = 429
        else:
            context["verdict"] = _answer(request)
            context["empty"] = context["verdict"] is None
    return render(request, TEMPLATE, context, status=status)


@require_GET
def verify_identifier(request: HttpRequest, identifier: str) -> HttpResponse:
    """The short URL in the QR code: the license's status by its identifier."""
    context: dict[str, Any] = {"identifier": identifier[:200]}
    if not queries.verify_allowed(getattr(request, "client_ip", "")):
        return render(request, TEMPLATE, {**context, "limited": True}, status=429)
    context["verdict"] = verification.verify_identifier(identifier[:200])
    return render(request, TEMPLATE, context)


@require_GET
def root_certificate(request: HttpRequest) -> HttpResponse:
    """The city root certificate (PEM) third parties install to trust licenses."""
    root = queries.published_root()
    if root is None:
        raise Http404
    response = HttpResponse(root.pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="govhall-root.crt"'
    return response


@require_GET
def crl(request: HttpRequest, issuer: str) -> HttpResponse:
    """The newest CRL of ``issuer`` (its serial number), at the URL printed in every certificate."""
    root = queries.issuer_for_crl(issuer)
    der = pki.latest_crl(root) if root is not None else None
    if der is None:
        raise Http404
    response = HttpResponse(der, content_type="application/pkix-crl")
    response["Cache-Control"] = "public, max-age=300"
    return response
