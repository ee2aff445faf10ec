"""Public verification of a license (issue 9 item 4; Art. 13, 14; Electronic Signature Law Art. 8).

Validity is only ever decided by the signature AND the license's current status: a screenshot, a
scan or a print carries no signature; an edited, re-saved or appended file is not the file the
ledger recorded; a look-alike certificate does not chain to the city root; a key revoked before the
ledger's signing time invalidates what it signed. Results use the codes of real platforms
(STANDARDS.md): 0 valid, 1 not yet active, 2 suspended, 3 invalid, 4 insufficient, 5 not found.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from dataclasses import dataclass, field
from enum import IntEnum
from io import BytesIO
from typing import Any

from cryptography.exceptions import InvalidSignature
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.crypto import mask_name
from govhall.licenses import identifiers, jws, pki
from govhall.licenses.models import Certificate, CertificateKind, IssuanceRecord, License, LicenseStatus


class Result(IntEnum):
    VALID = 0
    NOT_YET_ACTIVE = 1
    SUSPENDED = 2
    INVALID = 3
    INSUFFICIENT = 4
    NOT_FOUND = 5


@dataclass
class Verdict:
    result: Result
    reason: str  # a stable machine code, e.g. "signature_broken"
    message: str  # a plain Chinese explanation
    license: License | None = None
    checked: list[str] = field(default_factory=list)  # what was checked, for the page
    identifier_only: bool = False

    @property
    def valid(self) -> bool:
        return self.result == Result.VALID

    def summary(self) -> dict[str, Any]:
        """What may be shown publicly: an identifier-only lookup masks the holder's name."""
        license = self.license
        if license is None:
            return {}
        return {
            "identifier": license.identifier,
            "type_name": license.license_type.name,
            "holder_name": mask_name(license.holder_name) if self.identifier_only else license.holder_name,
            "issuer_name": license.issuing_department.name,
            "version": license.version,
            "valid_from": license.valid_from,
            "valid_until": license.valid_until,
            "status": license.status,
            "status_label": str(license.get_status_display()),
        }


def _invalid(reason: str, message: str, license: License | None = None, checked: list[str] | None = None) -> Verdict:
    return Verdict(Result.INVALID, reason, message, license, checked or [])


# --- the license's current status -------------------------------------------------------------------


def status_verdict(license: License, checked: list[str], identifier_only: bool = False) -> Verdict:
    """Map the current status and validity period to a result."""
    today = timezone.localdate()
    status = license.status
    if status == LicenseStatus.VALID and license.valid_until is not None and license.valid_until < today:
        status = LicenseStatus.EXPIRED
    checked = [*checked, _("证照当前状态")]
    if status == LicenseStatus.VALID and license.valid_from > today:
        verdict = Verdict(
            Result.NOT_YET_ACTIVE, "not_yet_active", _("证照真实，但尚未到有效期起始日。"), license, checked
        )
    elif status == LicenseStatus.VALID:
        verdict = Verdict(Result.VALID, "valid", _("证照真实有效：签名完好，证照处于有效状态。"), license, checked)
    elif status == LicenseStatus.SUSPENDED:
        verdict = Verdict(Result.SUSPENDED, "suspended", _("证照已被颁发机构暂停，目前不能使用。"), license, checked)
    elif status == LicenseStatus.OTHER and hasattr(license, "superseded_by"):
        verdict = _invalid("superseded", _("该版本已被新版本替代，请使用最新版本的证照。"), license, checked)
    else:
        label = LicenseStatus(status).label
        verdict = _invalid(f"status_{status}", _("证照已%(status)s，不再有效。") % {"status": label}, license, checked)
    verdict.identifier_only = identifier_only
    return verdict


def _revoked_before_signing(record: IssuanceRecord) -> bool:
    """The ledger decides: signed at or after its certificate's revocation → not valid."""
    certificate = record.certificate
    return certificate.revoked_at is not None and record.signed_at >= certificate.revoked_at


def _ledger_checks(record: IssuanceRecord, checked: list[str]) -> Verdict:
    checked = [*checked, _("签发台账"), _("证书吊销状态")]
    if _revoked_before_signing(record):
        return _invalid(
            "signed_after_revocation",
            _("签名证书已于%(time)s吊销，此证照在吊销之后签名，无效。")
            % {"time": timezone.localtime(record.certificate.revoked_at).strftime("%Y-%m-%d %H:%M")},
            record.license,
            checked,
        )
    return status_verdict(record.license, checked)


# --- an identifier ----------------------------------------------------------------------------------


def verify_identifier(text: str) -> Verdict:
    """Status only: the identifier proves nothing about a document in someone's hands."""
    try:
        identifier = str(identifiers.parse(text))
    except ValidationError as exc:
        return Verdict(Result.INSUFFICIENT, "malformed_identifier", " ".join(exc.messages))
    license = License.objects.select_related("license_type", "issuing_department").filter(identifier=identifier).first()
    if license is None:
        return Verdict(Result.NOT_FOUND, "not_found", _("未找到该证照标识对应的电子证照。"))
    verdict = status_verdict(license, [_("证照标识校验位")], identifier_only=True)
    verdict.message += " " + _("仅核对了证照状态；证照内容请上传原始签名文件核验。")
    return verdict


# --- a JWS ------------------------------------------------------------------------------------------


def _chains_to_root(certificate: Certificate) -> bool:
    issuer = certificate.issuer
    if issuer is None or issuer.kind != CertificateKind.ROOT or issuer.is_revoked:
        return False
    return _issued_by(certificate.pem, issuer.pem)


@functools.lru_cache(maxsize=256)
def _issued_by(pem: str, issuer_pem: str) -> bool:
    """The certificate's signature by the issuer's key (pure function of the two PEMs: cached)."""
    from cryptography import x509

    try:
        x509.load_pem_x509_certificate(pem.encode("ascii")).verify_directly_issued_by(
            x509.load_pem_x509_certificate(issuer_pem.encode("ascii"))
        )
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def verify_jws(token: str) -> Verdict:
    token = (token or "").strip()
    try:
        header = jws.unverified_header(token)
    except jws.JwsError:
        return Verdict(Result.INSUFFICIENT, "malformed_jws", _("这不是有效的 JWS 签名数据。"))
    if header.get("alg") != "ES256":
        return _invalid("bad_algorithm", _("签名算法不被接受（只接受 ES256）。"))
    certificate = (
        Certificate.objects.filter(kind=CertificateKind.DEPARTMENT, serial_number=str(header.get("kid", "")))
        .select_related("issuer", "department")
        .first()
    )
    if certificate is None or not _chains_to_root(certificate):
        return _invalid("untrusted", _("签名证书不是由长春市电子证照根证书签发的部门证书。"))
    checked = [_("数字签名"), _("证书链")]
    try:
        payload = jws.verify(token, certificate)
    except jws.JwsError:
        return _invalid("signature_broken", _("签名校验失败：数据被修改，或不是该部门的密钥签名。"), checked=checked)
    record = (
        IssuanceRecord.objects.select_related("certificate", "license__license_type", "license__issuing_department")
        .filter(jws_sha256=hashlib.sha256(token.encode("ascii")).hexdigest())
        .first()
    )
    if record is None or record.certificate_id != certificate.pk or payload.get("identifier") != record.identifier:
        return _invalid("not_issued", _("签名数据不在签发台账中，不是本大厅签发的证照数据。"), checked=checked)
    if record.license.issuing_department_id != certificate.department_id:
        return _invalid("wrong_department", _("签名部门与颁发机构不一致。"), record.license, checked)
    return _ledger_checks(record, checked)


# --- a PDF ------------------------------------------------------------------------------------------


def _validation_context(moment: datetime.datetime) -> Any:
    """The city root(s) as the only trust anchors, the hall's CRLs, no network fetching; the
    moment is the ledger's signing time (revocation after it does not undo a good signature)."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(pki.der_of(root)) for root in pki.trusted_roots()]
    return ValidationContext(
        trust_roots=roots,
        crls=pki.current_crls(),
        moment=moment,
        allow_fetching=False,
        retroactive_revinfo=True,
    )


def _signature_status(data: bytes, moment: datetime.datetime) -> tuple[Any, Any]:
    """``(embedded signature, status)`` of the first signature, or ``(None, None)``."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    reader = PdfFileReader(BytesIO(data), strict=False)
    signatures = reader.embedded_signatures
    if not signatures:
        return None, None
    signature = signatures[0]
    return signature, validate_pdf_signature(signature, _validation_context(moment))


def verify_pdf(data: bytes) -> Verdict:
    if data.lstrip()[:5] != b"%PDF-":
        return Verdict(
            Result.INSUFFICIENT,
            "not_signed_pdf",
            _("这不是电子证照的 PDF 签名文件。截图、扫描件和打印件不具有效力，请上传颁发的原始文件。"),
        )
    record = (
        IssuanceRecord.objects.select_related("certificate", "license__license_type", "license__issuing_department")
        .filter(pdf_sha256=hashlib.sha256(data).hexdigest())
        .first()
    )
    try:
        signature, status = _signature_status(data, record.signed_at if record else timezone.now())
    except Exception:
        return _invalid("unreadable", _("文件已损坏或被修改，无法校验签名。"))
    if status is None:
        return Verdict(Result.INSUFFICIENT, "no_signature", _("文件中没有数字签名，不具有效力。"))
    return _pdf_verdict(data, signature, status, record)


def _pdf_verdict(data: bytes, signature: Any, status: Any, record: IssuanceRecord | None) -> Verdict:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    checked = [_("数字签名")]
    if not (status.intact and status.valid):
        return _invalid("signature_broken", _("签名校验失败：文件在签名后被修改。"), checked=checked)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return _invalid("modified_after_signing", _("文件在签名之后被追加修改，签名不覆盖全部内容。"), checked=checked)
    checked.append(_("证书链"))
    signer = pki.certificate_by_fingerprint(signature.signer_cert.dump())
    # The ledger's time decides a revocation, not the time written in the file.
    same_key = record is not None and signer is not None and record.certificate_id == signer.pk
    if same_key and _revoked_before_signing(record):
        return _ledger_checks(record, checked)
    if not status.trusted or signer is None:
        return _invalid("untrusted", _("签名证书不是由长春市电子证照根证书签发的，可能是仿冒证书。"), checked=checked)
    if record is None:
        return _invalid(
            "not_issued", _("该文件不在签发台账中：不是颁发的原始文件（可能被编辑或重新保存）。"), checked=checked
        )
    if record.certificate_id != signer.pk:
        return _invalid("not_issued", _("签名证书与签发台账记录不一致。"), record.license, checked)
    return _ledger_checks(record, checked)


def verify_upload(data: bytes) -> Verdict:
    """An uploaded file: a PDF is checked as such; a text file holding a JWS as a JWS."""
    stripped = data.strip()
    if stripped[:2] == b"ey" and stripped.count(b".") == 2 and len(stripped) < 200_000:
        return verify_jws(stripped.decode("ascii", "replace"))
    return verify_pdf(data)
