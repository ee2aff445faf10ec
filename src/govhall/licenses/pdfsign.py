"""PAdES signing of a rendered license with pyHanko, the JWS attached as an embedded file.

The JWS is embedded first and the signature added in the same incremental update, so the signature
covers the whole file including the attachment (pdfsig: "Signature covers total document").
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from django.conf import settings

from govhall.licenses.pki import chain_of
from govhall.licenses.signing.registry import backend

if TYPE_CHECKING:
    from pyhanko.sign.timestamps import TimeStamper

    from govhall.directory.models import Department
    from govhall.licenses.models import Certificate

SIGNATURE_FIELD = "GovhallLicenseSignature"
DOCUMENT_SIGNATURE_FIELD = "GovhallDocumentSignature"
JWS_FILE_NAME = "license.jws"


def timestamper() -> TimeStamper | None:
    """An RFC 3161 time-stamping client when ``LICENSES_TSA_URL`` is set (tests replace this)."""
    if not settings.LICENSES_TSA_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.LICENSES_TSA_URL)


def sign_pdf(
    pdf: bytes,
    certificate: Certificate,
    jws: str | None,
    *,
    reason: str,
    location: str,
    field_name: str = SIGNATURE_FIELD,
) -> bytes:
    """A certification signature (no later changes allowed); the JWS, when given, is attached first
    so that the signature covers it."""
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    if jws is not None:
        embed.embed_file(
            writer,
            embed.FileSpec(
                file_spec_string=JWS_FILE_NAME,
                embedded_data=embed.EmbeddedFileObject.from_file_data(
                    writer, data=jws.encode("ascii"), mime_type="application/jose"
                ),
                description="GB/T 36903 structured license data, compact JWS (ES256)",
            ),
        )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    signer = backend(certificate.backend).pdf_signer(certificate, chain_of(certificate))
    out = signers.PdfSigner(meta, signer, timestamper=timestamper()).sign_pdf(writer)
    return out.getvalue()


def embedded_jws(pdf: bytes) -> str | None:
    """The JWS attached to a license PDF, or ``None``."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except Exception:
        return None
    for index in range(0, len(names) - 1, 2):
        if str(names[index]) == JWS_FILE_NAME:
            spec = names[index + 1].get_object()
            return spec["/EF"]["/F"].get_object().data.decode("ascii", "replace")
    return None


def sign_document(pdf: bytes, department: Department, *, reason: str) -> bytes:
    """A written notice signed with its department's certificate (Electronic Signature Law Art. 13:
    any later change to the content or the signature is detectable). Without an active certificate
    (a hall that has not created or imported its PKI yet) the document stays unsigned."""
    from govhall.licenses.pki import active_certificate

    certificate = active_certificate(department)
    if certificate is None:
        return pdf
    return sign_pdf(
        pdf, certificate, None, reason=reason, location=settings.HALL["name"], field_name=DOCUMENT_SIGNATURE_FIELD
    )
