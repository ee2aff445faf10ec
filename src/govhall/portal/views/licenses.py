"""我的证照 (issue 9 item 5): the license wallet, downloads, one-time share links and the access log.

Another holder's license is 404 everywhere (nothing tells it exists). A share link's GET only shows
a confirmation page — a chat app's link previewer does not burn it; the POST consumes it and
returns the file.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from govhall.licenses import queries, wallet
from govhall.licenses.models import License, LicenseStatus

LOGIN = "portal:login"


def _mine(request: HttpRequest, identifier: str) -> License:
    license = queries.my_license(request.user, identifier)
    if license is None:
        raise Http404
    return license


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required(login_url=LOGIN)
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/licenses/mine.html", {"licenses": queries.wallet(request.user)})


@login_required(login_url=LOGIN)
def detail(request: HttpRequest, identifier: str) -> HttpResponse:
    license = _mine(request, identifier)
    context = {
        "license": license,
        "rows": _rows(license),
        "accesses": queries.access_log(license)[:100],
        "can_share": license.status == LicenseStatus.VALID,
        "share_minutes": wallet.SHARE_MINUTES,
    }
    return render(request, "portal/licenses/detail.html", context)


def _rows(license: License) -> list[tuple[str, str]]:
    labels = {field["name"]: field.get("label") or field["name"] for field in license.license_type.fields or []}
    return [(labels.get(name, name), value) for name, value in license.data.items()]


@login_required(login_url=LOGIN)
def download(request: HttpRequest, identifier: str, kind: str) -> HttpResponse:
    license = _mine(request, identifier)
    if kind not in ("pdf", "jws"):
        raise Http404
    try:
        data = wallet.download(license, request.user, kind)
    except PermissionDenied as refused:
        raise Http404 from refused
    if kind == "pdf":
        return _attachment(data, "application/pdf", f"{license.serial}-{license.version:03d}.pdf")
    return _attachment(data, "application/jose", f"{license.serial}-{license.version:03d}.jws")


@require_POST
@login_required(login_url=LOGIN)
def share(request: HttpRequest, identifier: str) -> HttpResponse:
    """Create a one-time link; its URL is shown once, on this page (only its hash is kept)."""
    license = _mine(request, identifier)
    try:
        created = wallet.create_share_link(license, request.user, purpose=request.POST.get("purpose", ""))
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return detail(request, identifier)
    url = request.build_absolute_uri(reverse("portal:license_shared", args=[created.token]))
    return render(
        request, "portal/licenses/shared_created.html", {"license": license, "link": created.link, "url": url}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what is shared and why, and a button; POST: consume the link and return the PDF."""
    if request.method == "POST":
        try:
            license, data = wallet.consume_share(token, by=request.user, ip=getattr(request, "client_ip", ""))
        except ValidationError as refused:
            return _gone(request, refused.messages[0])
        return _attachment(data, "application/pdf", f"{license.serial}-{license.version:03d}.pdf")
    link, state = wallet.share_state(token)
    if state != "ok":
        return _gone(request, wallet.state_message(state))
    return render(request, "portal/licenses/shared.html", {"link": link, "license": link.license})


def _gone(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "portal/licenses/shared_gone.html", {"message": message}, status=410)
