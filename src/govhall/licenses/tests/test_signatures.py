"""Art. 13 (second kind): an uploaded PDF's digital signature, checked with pyHanko at upload —
valid (chains to the city root), tampered → invalid, self-signed → untrusted, none."""

import datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.applications import services
from govhall.applications.models import SignatureStatus
from govhall.applications.tests.factories import ANSWERS, PNG, pdf
from govhall.licenses import pdfsign, pki
from govhall.licenses.signatures import check_pdf
from govhall.licenses.tests.helpers import flip_byte_in_stream, with_incremental_update

DOCUMENT = (
    Path(__file__).resolve().parents[2] / "catalog" / "demo_files" / "food-license-application.pdf"
).read_bytes()


def _signed_by_department(hall) -> bytes:
    """A document signed by a department certificate of the hall's PKI (as another authority's
    electronically signed certificate would be)."""
    certificate = pki.active_certificate(hall.department)
    return pdfsign.sign_pdf(DOCUMENT, certificate, "e30.e30.e30", reason="证明", location="长春")


def _self_signed() -> bytes:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "长春市市场监督管理局")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore(),
    )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(BytesIO(DOCUMENT)), signers.PdfSignatureMetadata(field_name="Sig1"), signer=signer
    )
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda hall: _signed_by_department(hall), "valid"),
        (lambda hall: flip_byte_in_stream(_signed_by_department(hall)), "invalid"),
        (lambda hall: with_incremental_update(_signed_by_department(hall)), "invalid"),
        (lambda hall: _self_signed(), "untrusted"),
        (lambda hall: DOCUMENT, "none"),
    ],
    ids=["city-root", "tampered", "appended", "self-signed", "unsigned"],
)
def test_the_signature_status_of_a_pdf(hall, make, expected):
    status, detail = check_pdf(make(hall))
    assert status == expected, detail
    if expected != "none":
        assert detail["signatures"][0]["status"] == expected


def test_an_uploaded_signed_pdf_carries_its_status_for_the_acceptor(hall):
    application = services.start_draft(hall.bob, hall.item, answers=ANSWERS)
    signed = services.add_material(application, hall.bob, hall.required, pdf("许可证.pdf", _signed_by_department(hall)))
    assert signed.signature_status == SignatureStatus.VALID
    assert (
        "长春" in signed.signature_detail["signatures"][0]["signer"]
        or signed.signature_detail["signatures"][0]["signer"]
    )
    forged = services.add_material(application, hall.bob, hall.required, pdf("伪造.pdf", _self_signed()))
    assert forged.signature_status == SignatureStatus.UNTRUSTED
    image = services.add_material(
        application, hall.bob, hall.required, SimpleUploadedFile("a.png", PNG, content_type="image/png")
    )
    assert image.signature_status == SignatureStatus.UNCHECKED
