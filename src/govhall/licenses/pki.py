"""The hall's small PKI (issue 9 item 1, Art. 23): a city root, one issuing certificate per
department (EC P-256), rotation, revocation and the CRL.

``init_pki`` builds it for development and demo; production imports certificates issued by a real
CA (``import_certificate``). Private keys go through the signing backend and are never stored or
logged in clear. Which licenses a revocation affects is read from the issuance ledger
(:func:`affected_by_revocation`), never from a time written inside a signed file.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as official  # certificate names: always Chinese

from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.directory.models import Department
from govhall.licenses.models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    CrlPublication,
    IssuanceRecord,
)
from govhall.licenses.signing.registry import backend

ROOT_LIFETIME = datetime.timedelta(days=20 * 365)
DEPARTMENT_LIFETIME = datetime.timedelta(days=3 * 365)
CRL_LIFETIME = datetime.timedelta(days=7)
BACKDATE = datetime.timedelta(minutes=5)  # tolerate a verifier's clock a little behind ours


def ensure_allowed(by: Any, perm: str, obj: Any = None) -> None:
    """``by=None`` is the system itself (management commands, the sweep); a person needs ``perm``."""
    if by is not None:
        ensure_permission(by, perm, obj)


# --- reading certificates --------------------------------------------------------------------------


def x509_of(certificate: Certificate) -> x509.Certificate:
    return x509.load_pem_x509_certificate(certificate.pem.encode("ascii"))


def der_of(certificate: Certificate) -> bytes:
    return x509_of(certificate).public_bytes(serialization.Encoding.DER)


def active_root() -> Certificate | None:
    return Certificate.objects.filter(kind=CertificateKind.ROOT, status=CertificateStatus.ACTIVE).first()


def trusted_roots() -> QuerySet[Certificate]:
    """Every root the hall has used (a retired root still anchors licenses it issued)."""
    return Certificate.objects.filter(kind=CertificateKind.ROOT).exclude(status=CertificateStatus.REVOKED)


def active_certificate(department: Department) -> Certificate | None:
    return (
        Certificate.objects.filter(department=department, status=CertificateStatus.ACTIVE)
        .select_related("issuer")
        .order_by("-not_before")
        .first()
    )


def chain_of(certificate: Certificate) -> list[Certificate]:
    """The certificate, then its issuers up to the root."""
    chain = [certificate]
    while chain[-1].issuer_id is not None and len(chain) < 5:
        chain.append(chain[-1].issuer)
    return chain


def certificate_by_fingerprint(der: bytes) -> Certificate | None:
    return Certificate.objects.filter(fingerprint=hashlib.sha256(der).hexdigest()).select_related("issuer").first()


def crl_url(issuer: Certificate) -> str:
    return f"{settings.LICENSES_PUBLIC_BASE_URL}/pki/crl/{issuer.serial_number}.crl"


# --- building certificates -------------------------------------------------------------------------


def _name(common_name: str, organisation: str, unit: str = "") -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, "长春市"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
    ]
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _store(
    cert: x509.Certificate,
    key: ec.EllipticCurvePrivateKey | None,
    kind: str,
    *,
    department: Department | None = None,
    issuer: Certificate | None = None,
) -> Certificate:
    der = cert.public_bytes(serialization.Encoding.DER)
    signing = backend()
    return Certificate.objects.create(
        kind=kind,
        department=department,
        issuer=issuer,
        serial_number=format(cert.serial_number, "x"),
        subject=cert.subject.rfc4514_string()[:500],
        pem=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        fingerprint=hashlib.sha256(der).hexdigest(),
        encrypted_key=signing.protect_key(key) if key is not None else "",
        backend=signing.identifier,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
    )


def build_root(common_name: str, organisation: str, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    """A self-signed CA certificate (also used by tests to build a look-alike root)."""
    now = timezone.now()
    name = _name(common_name, organisation)
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + ROOT_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def build_signing_certificate(
    name: x509.Name,
    public: ec.EllipticCurvePublicKey,
    issuer_cert: x509.Certificate,
    issuer_key: ec.EllipticCurvePrivateKey,
    crl_location: str,
) -> x509.Certificate:
    """An end-entity certificate for document signing (digital signature + non-repudiation)."""
    now = timezone.now()
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    issuer_ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(min(now + DEPARTMENT_LIFETIME, issuer_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski), critical=False)
        .add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(crl_location)], None, None, None)]
            ),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )


def department_name(department: Department) -> x509.Name:
    return _name(department.name, department.name, official("电子证照签发"))


def _create_root() -> Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = build_root(official("长春市电子证照根证书"), settings.HALL["office"], key)
    return _store(cert, key, CertificateKind.ROOT)


def _issue_for(department: Department, root: Certificate) -> Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    root_key = backend(root.backend).private_key(root)
    cert = build_signing_certificate(
        department_name(department), key.public_key(), x509_of(root), root_key, crl_url(root)
    )
    return _store(cert, key, CertificateKind.DEPARTMENT, department=department, issuer=root)


@transaction.atomic
def init_pki(departments: QuerySet[Department] | None = None) -> tuple[Certificate, int]:
    """Create the city root and an issuing certificate for every active department that has none
    (idempotent: a second run creates nothing). Development and demo only."""
    root = active_root()
    if root is None:
        root = _create_root()
        record(None, "licenses.root_created", root, after={"serial": root.serial_number})
        publish_crl(root)
    created = 0
    for department in departments if departments is not None else Department.objects.filter(is_active=True):
        if active_certificate(department) is None:
            certificate = _issue_for(department, root)
            record(None, "licenses.certificate_issued", certificate, after={"department": department.pk})
            created += 1
    publish_files(root)
    return root, created


@transaction.atomic
def rotate_certificate(department: Department, by: Any = None, reason: str = "") -> Certificate:
    """A new key and certificate for ``department``; the old one is retired, not revoked: licenses
    it signed stay verifiable."""
    ensure_allowed(by, "licenses.manage_pki")
    root = active_root()
    if root is None or not root.encrypted_key:
        raise ValidationError(_("尚未建立可签发证书的市级根证书，请先导入部门证书。"))
    old = active_certificate(department)
    new = _issue_for(department, root)
    if old is not None:
        Certificate.objects.filter(pk=old.pk).update(status=CertificateStatus.RETIRED)
    record(
        by,
        "licenses.certificate_rotated",
        new,
        before={"serial": old.serial_number if old else None},
        after={"serial": new.serial_number},
        reason=reason,
    )
    return new


@transaction.atomic
def revoke_certificate(certificate: Certificate, reason: str, by: Any = None) -> Certificate:
    """Revoke a certificate (e.g. its key was reported lost, Art. 23) at the server's time, publish
    a new CRL. Licenses it signed before that time (per the ledger) stay valid; anything signed with
    it afterwards is refused by verification."""
    ensure_allowed(by, "licenses.manage_pki")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写吊销原因。")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise ValidationError(_("该证书已经吊销。"))
    before = {"status": certificate.status}
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason[:200]
    certificate.save(update_fields=["status", "revoked_at", "revocation_reason"])
    if certificate.issuer_id is not None and certificate.issuer.encrypted_key:
        publish_crl(certificate.issuer)
    record(
        by,
        "licenses.certificate_revoked",
        certificate,
        before=before,
        after={"status": certificate.status, "revoked_at": certificate.revoked_at},
        reason=reason,
    )
    return certificate


def affected_by_revocation(certificate: Certificate) -> dict[str, QuerySet[IssuanceRecord]]:
    """Split the licenses signed with ``certificate`` by the ledger's server time: before the
    revocation they stand, at or after it they are not valid."""
    records = IssuanceRecord.objects.filter(certificate=certificate)
    if certificate.revoked_at is None:
        return {"before": records, "after": records.none()}
    return {
        "before": records.filter(signed_at__lt=certificate.revoked_at),
        "after": records.filter(signed_at__gte=certificate.revoked_at),
    }


# --- CRL -------------------------------------------------------------------------------------------


def publish_crl(issuer: Certificate) -> CrlPublication:
    """Sign a fresh CRL listing every revoked certificate ``issuer`` issued."""
    now = timezone.now()
    number = (issuer.crls.aggregate(last=Max("number"))["last"] or 0) + 1
    issuer_cert = x509_of(issuer)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer_cert.subject)
        .last_update(now - BACKDATE)
        .next_update(now + CRL_LIFETIME)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            ),
            critical=False,
        )
    )
    for revoked in issuer.issued.filter(status=CertificateStatus.REVOKED):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(int(revoked.serial_number, 16))
            .revocation_date(_crl_time(revoked.revoked_at))
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build()
        )
    crl = builder.sign(backend(issuer.backend).private_key(issuer), hashes.SHA256())
    publication = CrlPublication.objects.create(
        issuer=issuer,
        number=number,
        der=crl.public_bytes(serialization.Encoding.DER),
        this_update=now - BACKDATE,
        next_update=now + CRL_LIFETIME,
    )
    transaction.on_commit(lambda: publish_files(issuer))
    return publication


def _crl_time(moment: datetime.datetime) -> datetime.datetime:
    """X.509 times have whole seconds: round the revocation time up, so a license the ledger shows
    signed earlier in the same second is not reported revoked by standard validators. The ledger
    check (exact time) still refuses anything signed after the revocation."""
    whole = moment.replace(microsecond=0)
    return whole if whole == moment else whole + datetime.timedelta(seconds=1)


def latest_crl(issuer: Certificate) -> bytes | None:
    publication = issuer.crls.order_by("-number").first()
    return bytes(publication.der) if publication is not None else None


def current_crls() -> list[bytes]:
    """The newest CRL of every issuer the hall knows (for pyHanko validation)."""
    crls = []
    for root in Certificate.objects.filter(kind=CertificateKind.ROOT):
        der = latest_crl(root)
        if der is not None:
            crls.append(der)
    return crls


def publish_files(root: Certificate) -> None:
    """Write the public artefacts (root certificate, newest CRL) to ``LICENSES_PKI_DIR`` for a web
    server or an offline copy; the hall serves the same bytes at ``/pki/``."""
    directory = settings.LICENSES_PKI_DIR
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "root.crt").write_text(root.pem, encoding="ascii")
    der = latest_crl(root)
    if der is not None:
        (directory / f"{root.serial_number}.crl").write_bytes(der)


# --- import from a real CA -------------------------------------------------------------------------


def _load_material(data: bytes, password: bytes | None) -> tuple[x509.Certificate, Any, list[x509.Certificate]]:
    """``(certificate, private key or None, extra certificates)`` from PKCS#12 or PEM bytes."""
    if b"-----BEGIN" not in data:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password)
        if cert is None:
            raise ValidationError(_("PKCS#12 文件中没有证书。"))
        return cert, key, list(extra)
    certs = x509.load_pem_x509_certificates(data)
    key = None
    if b"PRIVATE KEY-----" in data:
        key = serialization.load_pem_private_key(data, password=password)
    return certs[0], key, certs[1:]


@transaction.atomic
def import_certificate(
    data: bytes, *, department: Department | None = None, password: bytes | None = None, by: Any = None
) -> Certificate:
    """Import a root (no department, no key needed) or a department's issuing certificate with its
    EC P-256 key from PEM or PKCS#12; a department's previous certificate is retired."""
    ensure_allowed(by, "licenses.manage_pki")
    try:
        cert, key, _extra = _load_material(data, password)
    except (ValueError, TypeError) as exc:
        raise ValidationError(_("无法读取证书文件：%(error)s") % {"error": exc}) from None
    if key is not None and not (isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"):
        raise ValidationError(_("签名密钥必须是 EC P-256。"))
    if key is not None and key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise ValidationError(_("私钥与证书不匹配。"))
    if department is None:
        Certificate.objects.filter(kind=CertificateKind.ROOT, status=CertificateStatus.ACTIVE).update(
            status=CertificateStatus.RETIRED
        )
        stored = _store(cert, key, CertificateKind.ROOT)
    else:
        if key is None:
            raise ValidationError(_("部门签发证书必须附带私钥。"))
        issuer = Certificate.objects.filter(kind=CertificateKind.ROOT, subject=cert.issuer.rfc4514_string()).first()
        if issuer is None:
            raise ValidationError(_("请先导入签发该证书的根证书。"))
        try:
            cert.verify_directly_issued_by(x509_of(issuer))
        except (ValueError, TypeError, InvalidSignature):
            raise ValidationError(_("该证书不是由已导入的根证书签发的。")) from None
        Certificate.objects.filter(department=department, status=CertificateStatus.ACTIVE).update(
            status=CertificateStatus.RETIRED
        )
        stored = _store(cert, key, CertificateKind.DEPARTMENT, department=department, issuer=issuer)
    record(by, "licenses.certificate_imported", stored, after={"serial": stored.serial_number, "kind": stored.kind})
    return stored
