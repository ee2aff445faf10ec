"""Issuing licenses and changing their status (issue 9 items 2 and 3; Art. 13, 14).

Every service is one transaction: permission first, audit last. ``issue_license`` is what the
applications decision will call (step 2 passes ``source_application``); ``by=None`` is the system
itself (the expiry sweep, management commands).
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as official  # stored and signed text: always Chinese

from govhall.catalog.models import LicenseType
from govhall.catalog.pdf import render_pdf
from govhall.core.audit.services import record
from govhall.core.validators import IdentityDocumentType
from govhall.directory.models import Department
from govhall.licenses import identifiers, jws, pdfsign
from govhall.licenses.models import (
    HolderCodeType,
    IssuanceRecord,
    License,
    LicenseSerialSequence,
    LicenseStatus,
    LicenseStatusChange,
)
from govhall.licenses.pki import active_certificate, ensure_allowed

LICENSE_TEMPLATE = "licenses/license.html"
# Status changes a department may make by hand; "expired" is the sweep's alone.
MANUAL_STATUSES = {
    LicenseStatus.VALID,
    LicenseStatus.SUSPENDED,
    LicenseStatus.CANCELLED,
    LicenseStatus.DEREGISTERED,
    LicenseStatus.REVOKED,
    LicenseStatus.OTHER,
}
FINAL_STATUSES = {LicenseStatus.CANCELLED, LicenseStatus.DEREGISTERED, LicenseStatus.EXPIRED, LicenseStatus.REVOKED}


# --- files -----------------------------------------------------------------------------------------


def _file_path(identifier: str) -> Path:
    return Path(settings.LICENSES_FILE_ROOT) / f"{identifier}.pdf"


def pdf_bytes(license: License) -> bytes:
    """The signed PDF exactly as issued (callers check permission first)."""
    return (Path(settings.LICENSES_FILE_ROOT) / license.pdf_path).read_bytes()


def verification_url(identifier: str) -> str:
    return f"{settings.LICENSES_PUBLIC_BASE_URL}/verify/{identifier}/"


def _qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=1)


# --- issuance --------------------------------------------------------------------------------------


def _holder_code(holder: Any) -> tuple[str, str]:
    """``(code, code type)`` printed on the license: USCC for an enterprise, the ID number for a person."""
    enterprise = getattr(holder, "enterprise", None) if holder.kind == "enterprise" else None
    if enterprise is not None:
        return enterprise.uscc, HolderCodeType.USCC
    person = getattr(holder, "person", None) if holder.kind == "person" else None
    if person is not None:
        kind = (
            HolderCodeType.RESIDENT_ID
            if person.document_type == IdentityDocumentType.RESIDENT_ID
            else HolderCodeType.OTHER
        )
        return person.document_number, kind
    raise ValidationError(_("持证主体必须是已实名的自然人或法人。"))


def _clean_data(license_type: LicenseType, data: dict[str, Any]) -> dict[str, Any]:
    """Keep the type's fields only, as text; a field the type declares must not be empty."""
    if not isinstance(data, dict):
        raise ValidationError(_("照面信息格式不正确。"))
    cleaned: dict[str, Any] = {}
    missing = []
    for field in license_type.fields or []:
        value = str(data.get(field["name"], "") or "").strip()
        if not value:
            missing.append(field.get("label") or field["name"])
        cleaned[field["name"]] = value[:500]
    if missing:
        raise ValidationError(_("请填写照面信息：%(fields)s。") % {"fields": "、".join(missing)})
    return cleaned


def _increment(rows: QuerySet[LicenseSerialSequence]) -> int | None:
    if not rows.update(last=F("last") + 1):
        return None
    return rows.values_list("last", flat=True).get()


def _next_serial(license_type: LicenseType, issuer_code: str) -> str:
    """Year + a 7-digit sequence per issuer and type, from a row only ever incremented by a
    conditional UPDATE (it holds the row lock until the issuing transaction commits, so a second
    issuance waits and reads the next value). The first issuance of a year seeds the row from the
    licenses already issued that year; two racing on that insert meet the unique constraint and the
    loser increments instead."""
    year = timezone.localdate().year
    rows = LicenseSerialSequence.objects.filter(license_type=license_type, issuer_code=issuer_code, year=year)
    sequence = _increment(rows)
    if sequence is None:
        issued = License.objects.filter(
            license_type=license_type, issuer_code=issuer_code, version=1, serial__startswith=str(year)
        ).count()
        try:
            with transaction.atomic():
                LicenseSerialSequence.objects.create(
                    license_type=license_type, issuer_code=issuer_code, year=year, last=issued + 1
                )
            sequence = issued + 1
        except IntegrityError:
            sequence = _increment(rows)
    if sequence is None or sequence >= 10**7:
        raise RuntimeError(f"license serial sequence exhausted for {license_type.type_code} {issuer_code} {year}")
    return f"{year}{sequence:07d}"


def _rows(license: License) -> list[dict[str, str]]:
    labels = {field["name"]: field.get("label") or field["name"] for field in license.license_type.fields or []}
    return [{"label": labels.get(name, name), "value": value} for name, value in license.data.items()]


def _sign_and_record(license: License, by: Any) -> License:
    """Render, sign (JWS, then PAdES with the JWS attached), store the file, write the ledger row."""
    certificate = active_certificate(license.issuing_department)
    if certificate is None:
        raise ValidationError(_("颁发机构尚无有效的签名证书，暂不能颁发电子证照。"))
    token = jws.sign(license, certificate)
    context = {
        "license": license,
        "rows": _rows(license),
        "issued_on": timezone.localtime(license.issued_at).date(),
        "qr": _qr_data_uri(verification_url(license.identifier)),
    }
    with translation.override(settings.LANGUAGE_CODE):  # a license is issued in Chinese, whoever clicks
        rendered = render_pdf(license.license_type.print_template or LICENSE_TEMPLATE, context)
    signed = pdfsign.sign_pdf(
        rendered,
        certificate,
        token,
        reason=official("电子证照签发"),
        location=settings.HALL["name"],
    )
    path = _file_path(license.identifier)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(signed)
    license.pdf_path = path.name
    license.jws = token
    license.save(update_fields=["pdf_path", "jws"])
    IssuanceRecord.objects.create(
        license=license,
        identifier=license.identifier,
        version=license.version,
        pdf_sha256=hashlib.sha256(signed).hexdigest(),
        jws_sha256=hashlib.sha256(token.encode("ascii")).hexdigest(),
        certificate=certificate,
        signed_at=timezone.now(),
    )
    LicenseStatusChange.objects.create(
        license=license, to_status=LicenseStatus.VALID, reason=official("颁发"), changed_by=_user_or_none(by)
    )
    return license


def _user_or_none(by: Any) -> Any:
    return by if by is not None and getattr(by, "pk", None) else None


def _check_validity(valid_from: datetime.date, valid_until: datetime.date | None) -> None:
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("有效期截止日期不能早于起始日期。")})


@transaction.atomic
def issue_license(
    license_type: LicenseType,
    holder: Any,
    data: dict[str, Any],
    issuing_department: Department,
    by: Any = None,
    source_application: Any = None,
    *,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> License:
    """Issue version 001 of a new license: identifier, signed PDF and JWS, ledger row, audit.

    ``source_application`` (step 2: the approved application) is kept as its business number.
    """
    ensure_allowed(by, "licenses.issue", issuing_department)
    if not license_type.is_active:
        raise ValidationError(_("该证照类型已停用。"))
    holder_code, holder_code_type = _holder_code(holder)
    valid_from = valid_from or timezone.localdate()
    _check_validity(valid_from, valid_until)
    issuer_code = issuing_department.uscc
    identifier = identifiers.build(license_type.type_code, issuer_code, _next_serial(license_type, issuer_code), 1)
    license = License.objects.create(
        identifier=str(identifier),
        license_type=license_type,
        issuer_code=issuer_code,
        serial=identifier.serial,
        version=1,
        check_character=identifier.check,
        holder=holder,
        holder_name=holder.name,
        holder_code=holder_code,
        holder_code_type=holder_code_type,
        data=_clean_data(license_type, data),
        issuing_department=issuing_department,
        valid_from=valid_from,
        valid_until=valid_until,
        source_reference=str(getattr(source_application, "business_number", "") or "")[:64],
    )
    _sign_and_record(license, by)
    record(by, "licenses.issued", license, after={"identifier": license.identifier, "holder": holder.pk})
    return license


@transaction.atomic
def reissue_license(
    license: License,
    data: dict[str, Any],
    by: Any = None,
    *,
    reason: str,
    valid_until: datetime.date | None = None,
    source_application: Any = None,
) -> License:
    """A change (变更): the next version with the new data supersedes the current one, which leaves
    the valid status ("其他", with the reason) so only one version is ever valid."""
    ensure_allowed(by, "licenses.issue", license)
    current = License.objects.select_for_update().get(pk=license.pk)
    if current.status != LicenseStatus.VALID or hasattr(current, "superseded_by"):
        raise ValidationError(_("只有现行有效的证照版本可以变更。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写变更原因。")})
    if current.version >= 999:
        raise ValidationError(_("证照版本已达上限。"))
    identifier = identifiers.build(
        current.license_type.type_code, current.issuer_code, current.serial, current.version + 1
    )
    _check_validity(current.valid_from, valid_until or current.valid_until)
    new = License.objects.create(
        identifier=str(identifier),
        license_type=current.license_type,
        issuer_code=current.issuer_code,
        serial=current.serial,
        version=identifier.version,
        check_character=identifier.check,
        holder=current.holder,
        holder_name=current.holder.name,
        holder_code=current.holder_code,
        holder_code_type=current.holder_code_type,
        data=_clean_data(current.license_type, data),
        issuing_department=current.issuing_department,
        valid_from=current.valid_from,
        valid_until=valid_until or current.valid_until,
        supersedes=current,
        source_reference=str(getattr(source_application, "business_number", "") or current.source_reference)[:64],
    )
    _sign_and_record(new, by)
    _set_status(current, LicenseStatus.OTHER, official("已变更为第%(version)s版") % {"version": new.version}, by)
    record(
        by,
        "licenses.reissued",
        new,
        before={"identifier": current.identifier},
        after={"identifier": new.identifier},
        reason=reason,
    )
    return new


# --- status ----------------------------------------------------------------------------------------


def _set_status(license: License, status: str, reason: str, by: Any) -> None:
    LicenseStatusChange.objects.create(
        license=license,
        from_status=license.status,
        to_status=status,
        reason=reason[:500],
        changed_by=_user_or_none(by),
    )
    license.status = status
    license.save(update_fields=["status"])


@transaction.atomic
def change_status(license: License, status: str, reason: str, by: Any = None) -> License:
    """Suspend, restore, cancel (撤销), deregister (注销) or revoke (吊销) a license (Art. 14),
    with a reason, in the history and the audit trail; the holder is told by SMS."""
    ensure_allowed(by, "licenses.change_status", license)
    license = License.objects.select_for_update().select_related("holder").get(pk=license.pk)
    reason = (reason or "").strip()
    if status not in MANUAL_STATUSES:
        raise ValidationError({"status": _("不能手工设为该状态。")})
    if not reason:
        raise ValidationError({"reason": _("请填写状态变更原因。")})
    if license.status == status:
        raise ValidationError({"status": _("证照已经是该状态。")})
    if license.status in FINAL_STATUSES:
        raise ValidationError(
            _("证照已终止（%(status)s），不能再变更状态。") % {"status": license.get_status_display()}
        )
    before = license.status
    _set_status(license, status, reason, by)
    _notify_holder(license, reason)
    record(by, "licenses.status_changed", license, before={"status": before}, after={"status": status}, reason=reason)
    return license


def _notify_holder(license: License, reason: str) -> None:
    """SMS to the holder through the outbox (a holder without a mobile number gets none)."""
    from govhall.notifications import services as notifications
    from govhall.notifications.catalog import TemplateCode

    if not license.holder.mobile:
        return
    notifications.send(
        TemplateCode.LICENSE_STATUS_CHANGED,
        license.holder,
        {
            "license": license.license_type.name[:20],
            "number": license.serial,
            "status": str(license.get_status_display()),
            "reason": reason[:30],
        },
        obj=license,
    )


def expire_due(today: datetime.date | None = None) -> int:
    """The sweep: every valid or suspended license whose validity has ended becomes "expired"
    (05). One transaction per license, so one failure does not hold back the others."""
    today = today or timezone.localdate()
    due = License.objects.filter(
        status__in=[LicenseStatus.VALID, LicenseStatus.SUSPENDED], valid_until__lt=today
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due[:5000]):
        with transaction.atomic():
            license = License.objects.select_for_update().get(pk=pk)
            if license.status in (LicenseStatus.VALID, LicenseStatus.SUSPENDED) and license.valid_until < today:
                before = license.status
                _set_status(license, LicenseStatus.EXPIRED, official("有效期届满"), None)
                record(None, "licenses.expired", license, before={"status": before}, after={"status": "05"})
                count += 1
    return count
