"""Public verification: the /verify/ page and the API say "not valid" for every forgery the issue
lists, and "valid" for a genuine license."""

import base64
import datetime
import json
from io import BytesIO

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.files.uploadedfile import SimpleUploadedFile
from joserfc import jws as joserfc_jws
from joserfc.jwk import ECKey

from govhall.licenses import identifiers, pki
from govhall.licenses.models import LicenseStatus
from govhall.licenses.services import change_status, pdf_bytes, reissue_license
from govhall.licenses.signing.registry import backend
from govhall.licenses.tests.conftest import DATA
from govhall.licenses.tests.helpers import flip_byte_in_stream, pdfsig, resaved, with_incremental_update
from govhall.licenses.verification import Result, verify_jws, verify_pdf

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def upload(client, data: bytes, name: str = "license.pdf"):
    response = client.post("/verify/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    return response


def verdict_of(response):
    return response.context["verdict"]


def assert_not_valid(response, reason=None):
    verdict = verdict_of(response)
    assert not verdict.valid
    assert "无效" in response.content.decode()
    if reason:
        assert verdict.reason == reason, verdict


def test_a_genuine_license_is_valid_on_the_page(client, signed_pdf, issued):
    response = upload(client, signed_pdf)
    assert verdict_of(response).valid
    page = response.content.decode()
    assert "有效" in page
    assert "长春市䶮𠮷餐饮有限公司" in page
    assert issued.identifier in page


def test_a_png_screenshot_is_not_valid(client, issued):
    response = upload(client, PNG, "screenshot.png")
    assert_not_valid(response, "not_signed_pdf")
    assert verdict_of(response).result == Result.INSUFFICIENT
    assert "截图" in verdict_of(response).message


def test_an_edited_and_resaved_pdf_is_not_valid(client, signed_pdf):
    assert_not_valid(upload(client, resaved(signed_pdf)))
    assert_not_valid(upload(client, flip_byte_in_stream(signed_pdf)))


def test_an_incremental_update_after_signing_is_not_valid(client, signed_pdf):
    response = upload(client, with_incremental_update(signed_pdf))
    assert_not_valid(response, "modified_after_signing")


def test_a_look_alike_certificate_is_not_valid(client, signed_pdf, department, root, tmp_path):
    """Same names as the city root and the department, other keys: pdfsig and /verify refuse it."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    real_root = pki.x509_of(root)
    fake_root_key = ec.generate_private_key(ec.SECP256R1())
    fake_root = pki.build_root(
        real_root.subject.get_attributes_for_oid(pki.NameOID.COMMON_NAME)[0].value,
        real_root.subject.get_attributes_for_oid(pki.NameOID.ORGANIZATION_NAME)[0].value,
        fake_root_key,
    )
    assert fake_root.subject == real_root.subject
    fake_key = ec.generate_private_key(ec.SECP256R1())
    fake_cert = pki.build_signing_certificate(
        pki.department_name(department), fake_key.public_key(), fake_root, fake_root_key, "http://x/crl"
    )
    unsigned = render_pdf_plain()
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(fake_cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            fake_key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(fake_root.public_bytes(serialization.Encoding.DER))]
        ),
    )
    forged = signers.sign_pdf(
        IncrementalPdfFileWriter(BytesIO(unsigned)), signers.PdfSignatureMetadata(field_name="Sig"), signer
    ).getvalue()
    assert_not_valid(upload(client, forged), "untrusted")
    checked = pdfsig(forged, root.pem, tmp_path)
    assert checked["Signature Validation"] == "Signature is Valid."  # intact, but...
    assert checked["Certificate Validation"] != "Certificate is Trusted."  # ...not the city root's


def render_pdf_plain() -> bytes:
    """A page that reads like a license (a forger needs no template of ours)."""
    import weasyprint

    return weasyprint.HTML(string="<p>食品经营许可证 长春市䶮𠮷餐饮有限公司</p>").write_pdf()


def test_a_jws_signed_with_another_departments_key_is_not_valid(client, issued, department, other_department):
    assert verify_jws(issued.jws).valid
    header, body, _ = issued.jws.split(".")
    other = pki.active_certificate(other_department)
    other_key = ECKey.import_key(backend().private_key(other))
    payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    # Claims to be the issuing department's (its kid), signed with the other department's key.
    claimed = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    forged = joserfc_jws.serialize_compact(claimed, payload, other_key, algorithms=["ES256"])
    response = client.post("/verify/", {"jws": forged})
    assert_not_valid(response, "signature_broken")
    # Honestly names the other department's certificate: genuine signature, but not what was issued.
    honest = joserfc_jws.serialize_compact(
        {**claimed, "kid": other.serial_number}, payload, other_key, algorithms=["ES256"]
    )
    assert_not_valid(client.post("/verify/", {"jws": honest}), "not_issued")


def test_a_modified_jws_payload_is_not_valid(client, issued):
    header, body, signature = issued.jws.split(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data["holder_name"] = "别人"
    forged_body = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    assert_not_valid(client.post("/verify/", {"jws": f"{header}.{forged_body}.{signature}"}), "signature_broken")


def test_a_license_signed_after_its_keys_revocation_is_not_valid(client, issue, department, time_machine):
    """The ledger says the server signed it after the revocation time (e.g. a signing in flight while
    the loss was reported): not valid, whatever time the file itself claims."""
    signed_before = issue()
    late = issue()
    certificate = pki.active_certificate(department)
    revoked_at = late.issuance.signed_at - datetime.timedelta(microseconds=1)
    time_machine.move_to(revoked_at, tick=False)
    pki.revoke_certificate(certificate, "私钥丢失，当日报告")
    time_machine.move_to(late.issuance.signed_at + datetime.timedelta(minutes=1), tick=True)
    assert_not_valid(upload(client, pdf_bytes(late)), "signed_after_revocation")
    assert verify_jws(late.jws).reason == "signed_after_revocation"
    certificate.refresh_from_db()
    split = pki.affected_by_revocation(certificate)
    assert list(split["after"].values_list("license", flat=True)) == [late.pk]
    # Signed before the revocation per the ledger: still valid (the CRL lists the key, but the
    # revocation came after the signature).
    assert verdict_of(upload(client, pdf_bytes(signed_before))).valid


def test_a_genuine_license_revoked_since_is_not_valid(client, issued, signed_pdf):
    change_status(issued, LicenseStatus.REVOKED, "违法经营被吊销")
    response = upload(client, signed_pdf)
    assert_not_valid(response, "status_07")
    assert verdict_of(response).result == Result.INVALID
    assert "吊销" in verdict_of(response).message


def test_a_suspended_license_and_a_superseded_version_are_not_valid(issued, signed_pdf):
    change_status(issued, LicenseStatus.SUSPENDED, "整改")
    assert verify_pdf(signed_pdf).result == Result.SUSPENDED
    change_status(issued, LicenseStatus.VALID, "整改完成")
    reissue_license(issued, {**DATA, "address": "新址"}, reason="变更")
    assert verify_pdf(signed_pdf).reason == "superseded"


def test_the_qr_url_answers_the_status_with_a_masked_name(client, issued):
    response = client.get(f"/verify/{issued.identifier}/")
    assert response.status_code == 200
    assert verdict_of(response).valid
    page = response.content.decode()
    assert "长春市䶮𠮷餐饮有限公司" not in page
    assert "长*" in page
    assert "仅核对了证照状态" in page


def test_identifier_lookups_report_malformed_and_unknown_identifiers(client, issued):
    bad = client.post(
        "/verify/", {"identifier": issued.identifier[:-1] + ("A" if issued.identifier[-1] != "A" else "B")}
    )
    assert verdict_of(bad).result == Result.INSUFFICIENT
    built = identifiers.build(issued.license_type.type_code, issued.issuer_code, "99999", 1)
    assert verdict_of(client.post("/verify/", {"identifier": str(built)})).result == Result.NOT_FOUND


def test_the_page_is_rate_limited_per_ip(client, settings, issued):
    settings.LICENSES_VERIFY_PER_IP_PER_HOUR = 2
    for _ in range(2):
        assert client.post("/verify/", {"identifier": issued.identifier}).status_code == 200
    limited = client.post("/verify/", {"identifier": issued.identifier})
    assert limited.status_code == 429
    assert "过于频繁" in limited.content.decode()
    assert client.get(f"/verify/{issued.identifier}/").status_code == 429


def test_an_empty_form_asks_for_something(client, db):
    response = client.post("/verify/", {})
    assert response.status_code == 200
    assert "请上传文件" in response.content.decode()
    assert client.get("/verify/").status_code == 200


@pytest.mark.parametrize("kind", ["file", "jws", "identifier"])
def test_the_api_verifies_by_upload_jws_and_identifier(client, issued, signed_pdf, kind):
    if kind == "file":
        response = client.post("/api/v1/licenses/verify/file", {"file": SimpleUploadedFile("l.pdf", signed_pdf)})
    else:
        value = issued.jws if kind == "jws" else issued.identifier
        response = client.post(f"/api/v1/licenses/verify/{kind}", {kind: value}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["valid"] is True
    assert body["result"] == 0
    assert body["license"]["identifier"] == issued.identifier


def test_the_api_says_not_valid_for_a_screenshot_and_reports_status(client, issued):
    screenshot = client.post("/api/v1/licenses/verify/file", {"file": SimpleUploadedFile("s.png", PNG)}).json()
    assert screenshot["valid"] is False
    assert screenshot["reason"] == "not_signed_pdf"
    change_status(issued, LicenseStatus.CANCELLED, "以欺骗手段取得，予以撤销")
    status = client.get(f"/api/v1/licenses/status/{issued.identifier}").json()
    assert status["valid"] is False
    assert status["result"] == 3
    assert status["license"]["status"] == "03"


def test_the_api_is_rate_limited(client, settings, issued):
    settings.LICENSES_VERIFY_PER_IP_PER_HOUR = 1
    assert client.get(f"/api/v1/licenses/status/{issued.identifier}").status_code == 200
    assert client.get(f"/api/v1/licenses/status/{issued.identifier}").status_code == 429
