"""我的证照 (issue 9 item 5): the holder's downloads, one-time share links and the access log.

A share link is consumed by an explicit POST, never by a GET, so a chat app's link previewer does
not burn it; only the SHA-256 of its token is stored, so a database reader cannot use a live link.
Every use of a license by staff or by a sharing client is a ``LicenseAccess`` row the holder sees.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.licenses.models import AccessKind, License, LicenseAccess, LicenseStatus, ShareLink
from govhall.licenses.services import pdf_bytes

SHARE_MINUTES = 10
PURPOSE_MAX = 200


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _ttl() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "LICENSES_SHARE_MINUTES", SHARE_MINUTES))


@dataclass
class NewShare:
    link: ShareLink
    token: str  # shown once to the holder; only its hash is stored


def download(license: License, by: Any, kind: str) -> bytes:
    """The holder's own file (``pdf`` or ``jws``); anyone else gets ``PermissionDenied``."""
    ensure_permission(by, "licenses.use_own", license)
    return pdf_bytes(license) if kind == "pdf" else license.jws.encode("ascii")


@transaction.atomic
def create_share_link(license: License, by: Any, *, purpose: str) -> NewShare:
    """A link valid for ten minutes and one use, with the purpose the holder states."""
    ensure_permission(by, "licenses.use_own", license)
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("请填写分享用途。")})
    if len(purpose) > PURPOSE_MAX:
        raise ValidationError({"purpose": _("分享用途不能超过200个字。")})
    if license.status != LicenseStatus.VALID:
        raise ValidationError(_("只有有效的证照可以分享。"))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ShareLink.objects.create(
        license=license,
        token_hash=token_hash(token),
        purpose=purpose,
        created_by=by,
        created_at=now,
        expires_at=now + _ttl(),
    )
    record(by, "licenses.share_created", license, after={"share": link.pk, "purpose": purpose})
    return NewShare(link, token)


def share_state(token: str, now: datetime.datetime | None = None) -> tuple[ShareLink | None, str]:
    """Read-only (a GET): ``(link, "ok" | "used" | "expired" | "unknown")``."""
    link = ShareLink.objects.select_related("license__license_type").filter(token_hash=token_hash(token)).first()
    return link, _state(link, now or timezone.now())


def _state(link: ShareLink | None, now: datetime.datetime) -> str:
    if link is None:
        return "unknown"
    if link.consumed_at is not None:
        return "used"
    if link.expires_at <= now:
        return "expired"
    return "ok"


STATE_MESSAGES = {
    "unknown": gettext_noop("分享链接无效。"),
    "used": gettext_noop("该分享链接已被使用过，每个链接只能使用一次。请联系持证人重新分享。"),
    "expired": gettext_noop("该分享链接已过期（有效期%(minutes)s分钟）。请联系持证人重新分享。"),
}


def state_message(state: str) -> str:
    minutes = int(_ttl().total_seconds() // 60)
    return _(STATE_MESSAGES[state]) % {"minutes": minutes} if state == "expired" else _(STATE_MESSAGES[state])


@transaction.atomic
def consume_share(token: str, *, by: Any = None, ip: str | None = None) -> tuple[License, bytes]:
    """The explicit use (a POST): locks the link, marks it used, logs the access, returns the PDF."""
    link = ShareLink.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    state = _state(link, timezone.now())
    if state != "ok":
        raise ValidationError(state_message(state), code=state)
    link.consumed_at = timezone.now()
    link.save(update_fields=["consumed_at"])
    license = License.objects.select_related("license_type").get(pk=link.license_id)
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    LicenseAccess.objects.create(
        license=license,
        kind=AccessKind.SHARE,
        accessor=user,
        accessor_label=user.name if user is not None else _("分享链接使用者"),
        purpose=link.purpose,
        share_link=link,
        ip=ip or None,
        at=link.consumed_at,
    )
    record(user or "anonymous", "licenses.share_used", license, after={"share": link.pk, "ip": ip or ""})
    return license, pdf_bytes(license)


def record_staff_access(
    license: License, by: Any, *, purpose: str, reference: str = "", department: Any = None
) -> LicenseAccess:
    """A staff member used the license (e.g. 受理审查 of an application that cites it)."""
    label = f"{department.name} {by.name}" if department is not None else by.name
    return LicenseAccess.objects.create(
        license=license,
        kind=AccessKind.STAFF,
        accessor=by,
        accessor_label=label[:200],
        purpose=purpose[:200],
        reference=reference[:64],
    )
