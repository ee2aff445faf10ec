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

    from govhall.licenses.models import Certificate

SIGNATURE_FIELD = "GovhallLicenseSignature"
JWS_FILE_NAME = "license.jws"


def timestamper() -> TimeStamper | None:
    """An RFC 3161 time-stamping client when ``LICENSES_TSA_URL`` is set (tests replace this)."""
    if not settings.LICENSES_TSA_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.LICENSES_TSA_URL)


def sign_pdf(pdf: bytes, certificate: Certificate, jws: str, *, reason: str, location: str) -> bytes:
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
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
        field_name=SIGNATURE_FIELD,
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
