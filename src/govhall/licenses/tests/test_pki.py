import base64
import logging

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError

from govhall.accounts.tests.factories import StaffFactory
from govhall.core.audit.models import AuditEvent
from govhall.licenses import pki
from govhall.licenses.models import Certificate, CertificateStatus
from govhall.licenses.signing.registry import backend
from govhall.licenses.verification import verify_pdf


def test_init_pki_creates_a_root_and_one_p256_certificate_per_department_once(root, department, other_department):
    from govhall.directory.models import Department

    again, created = pki.init_pki(Department.objects.filter(pk__in=[department.pk, other_department.pk]))
    assert again == root
    assert created == 0
    assert Certificate.objects.filter(kind="root").count() == 1
    for dept in (department, other_department):
        certificate = Certificate.objects.get(department=dept)
        parsed = x509.load_pem_x509_certificate(certificate.pem.encode())
        assert isinstance(parsed.public_key(), ec.EllipticCurvePublicKey)
        assert parsed.public_key().curve.name == "secp256r1"
        parsed.verify_directly_issued_by(x509.load_pem_x509_certificate(root.pem.encode()))
        assert dept.name in parsed.subject.rfc4514_string()


def test_private_keys_are_never_stored_or_logged_in_clear(db, department, caplog, settings):
    from govhall.directory.models import Department

    with caplog.at_level(logging.DEBUG):
        pki.init_pki(Department.objects.filter(pk=department.pk))
    certificate = Certificate.objects.get(department=department)
    key = backend().private_key(certificate)
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    stored = certificate.encrypted_key
    assert stored.startswith("v1:")
    assert "PRIVATE KEY" not in stored
    assert base64.b64encode(der).decode() not in stored
    assert base64.b64encode(der).decode()[:40] not in caplog.text
    assert "PRIVATE KEY" not in caplog.text
    assert pem.decode().splitlines()[1] not in caplog.text
    # Another key-encryption key cannot open it.
    settings.LICENSES_KEY_ENCRYPTION_KEY = base64.b64encode(b"x" * 32).decode()
    with pytest.raises(Exception):  # noqa: B017, PT011 — cryptography's InvalidTag
        backend().private_key(certificate)


def test_a_malformed_key_encryption_key_is_refused(db, settings):
    settings.LICENSES_KEY_ENCRYPTION_KEY = "short"
    with pytest.raises(ImproperlyConfigured):
        backend().protect_key(ec.generate_private_key(ec.SECP256R1()))


def test_revocation_is_timed_audited_and_published_in_the_crl(root, department, client):
    certificate = Certificate.objects.get(department=department)
    pki.revoke_certificate(certificate, "私钥丢失（U盘遗失）", by=None)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_at is not None
    assert AuditEvent.objects.filter(action="licenses.certificate_revoked", object_id=str(certificate.pk)).exists()

    response = client.get(f"/pki/crl/{root.serial_number}.crl")
    assert response.status_code == 200
    crl = x509.load_der_x509_crl(response.content)
    assert crl.get_revoked_certificate_by_serial_number(int(certificate.serial_number, 16)) is not None
    assert crl.is_signature_valid(x509.load_pem_x509_certificate(root.pem.encode()).public_key())
    root = client.get("/pki/root.crt")
    assert root.status_code == 200
    assert b"BEGIN CERTIFICATE" in root.content
    assert client.get("/pki/crl/deadbeef.crl").status_code == 404


def test_revocation_needs_a_reason_and_the_city_office(root, department):
    certificate = Certificate.objects.get(department=department)
    with pytest.raises(ValidationError):
        pki.revoke_certificate(certificate, "  ")
    with pytest.raises(PermissionDenied):
        pki.revoke_certificate(certificate, "私钥丢失", by=StaffFactory())
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE


def test_rotation_keeps_the_old_certificate_for_verification(issue, department):
    old_license = issue()
    from govhall.licenses.services import pdf_bytes

    old = pki.active_certificate(department)
    new = pki.rotate_certificate(department, reason="年度轮换")
    old.refresh_from_db()
    assert old.status == CertificateStatus.RETIRED
    assert new.status == CertificateStatus.ACTIVE
    assert verify_pdf(pdf_bytes(old_license)).valid
    new_license = issue()
    assert new_license.issuance.certificate == new
    assert verify_pdf(pdf_bytes(new_license)).valid


def test_affected_licenses_are_decided_by_the_ledger(issue, department):
    first = issue()
    certificate = pki.active_certificate(department)
    pki.revoke_certificate(certificate, "私钥丢失")
    certificate.refresh_from_db()
    split = pki.affected_by_revocation(certificate)
    assert list(split["before"].values_list("license", flat=True)) == [first.pk]
    assert not split["after"].exists()


def _ca(common_name):
    key = ec.generate_private_key(ec.SECP256R1())
    return pki.build_root(common_name, "测试CA", key), key


def test_import_a_root_and_a_department_certificate_from_pkcs12(db, department):
    root_cert, root_key = _ca("真实CA根证书")
    pki.import_certificate(root_cert.public_bytes(serialization.Encoding.PEM))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = pki.build_signing_certificate(
        pki.department_name(department), key.public_key(), root_cert, root_key, "http://ca.example/crl"
    )
    bundle = pkcs12.serialize_key_and_certificates(
        b"dept", key, cert, None, serialization.BestAvailableEncryption(b"secret")
    )
    imported = pki.import_certificate(bundle, department=department, password=b"secret")
    assert imported.issuer.subject == root_cert.subject.rfc4514_string()
    assert pki.active_certificate(department) == imported
    assert backend().private_key(imported).public_key().public_numbers() == key.public_key().public_numbers()


def test_import_refuses_a_key_that_does_not_match_or_an_unknown_issuer(db, department):
    root_cert, root_key = _ca("真实CA根证书")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = pki.build_signing_certificate(
        pki.department_name(department), key.public_key(), root_cert, root_key, "http://ca.example/crl"
    )
    other = ec.generate_private_key(ec.SECP256R1())
    pem = cert.public_bytes(serialization.Encoding.PEM) + other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValidationError, match="不匹配"):
        pki.import_certificate(pem, department=department)
    good = cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValidationError, match="根证书"):
        pki.import_certificate(good, department=department)
    assert not Certificate.objects.exists()
