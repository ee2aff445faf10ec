import datetime
import hashlib
import json
import subprocess
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from jwcrypto import jwk
from jwcrypto import jws as jwcrypto_jws

from govhall.accounts.tests.factories import RoleAssignmentFactory, StaffFactory
from govhall.core.audit.models import AuditEvent
from govhall.licenses import identifiers, pdfsign, pki
from govhall.licenses.models import AppendOnlyError, IssuanceRecord, LicenseStatus
from govhall.licenses.services import issue_license, pdf_bytes, reissue_license
from govhall.licenses.tests.conftest import DATA
from govhall.licenses.tests.helpers import flip_byte_in_stream, pdfsig


def test_an_issued_license_carries_a_checked_identifier_and_a_ledger_row(issued, signed_pdf, department, holder):
    parsed = identifiers.parse(issued.identifier)
    assert parsed.issuer_code == department.uscc
    assert parsed.version == 1
    assert issued.holder == holder
    assert issued.status == LicenseStatus.VALID
    record = issued.issuance
    assert record.pdf_sha256 == hashlib.sha256(signed_pdf).hexdigest()
    assert record.certificate == pki.active_certificate(department)
    assert record.version == 1
    assert AuditEvent.objects.filter(action="licenses.issued", object_id=str(issued.pk)).exists()


def test_the_pdf_prints_the_holder_with_rare_characters_and_the_qr_url(signed_pdf, issued, tmp_path):
    (tmp_path / "l.pdf").write_bytes(signed_pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "l.pdf"), "-"], capture_output=True, text=True).stdout
    assert "长春市䶮𠮷餐饮有限公司" in text
    assert "食品经营许可证" in text
    assert issued.identifier in text.replace("\n", "")
    fonts = subprocess.run(["pdffonts", str(tmp_path / "l.pdf")], capture_output=True, text=True).stdout
    assert "Noto" in fonts
    assert " yes yes " in fonts


def test_the_issued_pdf_validates_with_pdfsig_and_one_flipped_byte_does_not(signed_pdf, root, tmp_path):
    good = pdfsig(signed_pdf, root.pem, tmp_path)
    assert good["Signature Validation"] == "Signature is Valid.", good["_raw"]
    assert good["Certificate Validation"] == "Certificate is Trusted.", good["_raw"]
    assert "Total document signed" in good["_raw"]
    bad = pdfsig(flip_byte_in_stream(signed_pdf), root.pem, tmp_path)
    assert bad.get("Signature Validation") != "Signature is Valid.", bad["_raw"]


def test_the_issued_pdf_validates_with_pyhanko_and_one_flipped_byte_does_not(signed_pdf, root):
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    def status(data):
        context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(pki.der_of(root))])
        return validate_pdf_signature(PdfFileReader(BytesIO(data)).embedded_signatures[0], context)

    good = status(signed_pdf)
    assert good.intact
    assert good.valid
    assert good.trusted
    assert good.bottom_line
    bad = status(flip_byte_in_stream(signed_pdf))
    assert not bad.intact
    assert not bad.bottom_line


def test_the_jws_verifies_with_jwcrypto_and_a_modified_payload_does_not(issued, department):
    certificate = pki.active_certificate(department)
    key = jwk.JWK.from_pem(certificate.pem.encode())
    token = jwcrypto_jws.JWS()
    token.deserialize(issued.jws)
    token.verify(key, alg="ES256")
    payload = json.loads(token.payload)
    assert payload["identifier"] == issued.identifier
    assert payload["holder_name"] == "长春市䶮𠮷餐饮有限公司"
    assert payload["extension"] == DATA

    header, body, signature = issued.jws.split(".")
    import base64

    forged = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged["valid_until"] = "2099-12-31"
    forged_body = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    tampered = jwcrypto_jws.JWS()
    tampered.deserialize(f"{header}.{forged_body}.{signature}")
    with pytest.raises(jwcrypto_jws.InvalidJWSSignature):
        tampered.verify(key, alg="ES256")


def test_the_jws_is_attached_to_the_pdf(issued, signed_pdf):
    assert pdfsign.embedded_jws(signed_pdf) == issued.jws


def test_a_reissue_increments_the_version_and_supersedes_the_old_one(issued):
    new = reissue_license(issued, {**DATA, "address": "长春市南关区新址2号"}, reason="经营场所变更")
    issued.refresh_from_db()
    assert new.version == 2
    assert new.serial == issued.serial
    assert new.supersedes == issued
    assert identifiers.parse(new.identifier).version == 2
    assert issued.status == LicenseStatus.OTHER
    assert new.status == LicenseStatus.VALID
    assert IssuanceRecord.objects.filter(identifier=new.identifier, version=2).exists()
    with pytest.raises(ValidationError):
        reissue_license(issued, DATA, reason="再次变更")


def test_issuance_refuses_missing_fields_and_a_bad_validity(root, license_type, holder, department):
    with pytest.raises(ValidationError, match="经营场所"):
        issue_license(license_type, holder, {"business_scope": "x"}, department)
    with pytest.raises(ValidationError):
        issue_license(
            license_type,
            holder,
            DATA,
            department,
            valid_from=datetime.date(2026, 1, 2),
            valid_until=datetime.date(2026, 1, 1),
        )
    assert not IssuanceRecord.objects.exists()


def test_only_the_issuing_department_may_issue(root, license_type, holder, department, other_department):
    outsider = RoleAssignmentFactory(role="decider", department=other_department).user
    with pytest.raises(PermissionDenied):
        issue_license(license_type, holder, DATA, department, by=outsider)
    with pytest.raises(PermissionDenied):
        issue_license(license_type, holder, DATA, department, by=StaffFactory())
    decider = RoleAssignmentFactory(role="decider", department=department).user
    assert issue_license(license_type, holder, DATA, department, by=decider).status_changes.get().changed_by == decider


def test_a_department_without_a_certificate_cannot_issue(db, license_type, holder, department):
    with pytest.raises(ValidationError, match="签名证书"):
        issue_license(license_type, holder, DATA, department)


def test_the_ledger_is_append_only(issued):
    record = issued.issuance
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    assert pdf_bytes(issued)


def test_an_rfc3161_timestamp_is_added_when_a_tsa_is_configured(issue, root, monkeypatch):
    """pyHanko's in-process test TSA, with a time-stamping certificate under the city root."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.utils import timezone
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.timestamps import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from govhall.licenses.signing.registry import backend

    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test TSA is RSA-only
    root_cert = pki.x509_of(root)
    now = timezone.now()
    tsa_cert = (
        x509.CertificateBuilder()
        .subject_name(pki._name("测试时间戳服务", "测试"))
        .issuer_name(root_cert.subject)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(backend().private_key(root), hashes.SHA256())
    )
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa_cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            tsa_key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        certs_to_embed=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(pki.der_of(root))]),
    )
    monkeypatch.setattr(pdfsign, "timestamper", lambda: stamper)
    license = issue()
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    signature = PdfFileReader(BytesIO(pdf_bytes(license))).embedded_signatures[0]
    trust = [asn1_x509.Certificate.load(pki.der_of(root))]
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=trust), ts_validation_context=ValidationContext(trust_roots=trust)
    )
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact
    assert status.bottom_line
