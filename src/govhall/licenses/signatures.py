"""The digital signature an uploaded PDF carries (regulation Art. 13, second kind: electronically
signed documents are accepted as such; issue 9 item 7).

Checked once, at upload, with pyHanko: the hall's city root(s) are the only trust anchors and
nothing is fetched from the network. ``valid``: intact, covering the whole file, chaining to the
city root; ``untrusted``: intact but by a certificate we do not trust (self-signed, another CA);
``invalid``: the signed bytes were changed, or content was appended after signing; ``none``: no
signature. Files that are not PDF are not checked (``""``).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone

from govhall.licenses import pki

MAX_SIGNATURES = 5


def _context() -> Any:
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(pki.der_of(root)) for root in pki.trusted_roots()]
    return ValidationContext(trust_roots=roots, crls=pki.current_crls(), allow_fetching=False)


def _one(signature: Any, context: Any) -> dict[str, Any]:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    status = validate_pdf_signature(signature, context)
    if not (status.intact and status.valid):
        verdict = "invalid"
    elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        verdict = "invalid"  # appended after the signature: the shown content is not what was signed
    elif not status.trusted:
        verdict = "untrusted"
    else:
        verdict = "valid"
    signer = status.signing_cert
    signed_at = status.signer_reported_dt
    return {
        "status": verdict,
        "field": signature.field_name,
        "signer": signer.subject.human_friendly if signer is not None else "",
        "issuer": signer.issuer.human_friendly if signer is not None else "",
        "signed_at": signed_at.isoformat() if signed_at else "",
        "coverage": status.coverage.name if status.coverage is not None else "",
    }


def check_pdf(data: bytes) -> tuple[str, dict[str, Any]]:
    """``(status, detail)``; the overall status is the worst of the signatures'."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    checked_at = timezone.now().isoformat()
    try:
        signatures = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    except Exception as exc:  # a damaged file: nothing can be said about a signature in it
        return "none", {"checked_at": checked_at, "error": type(exc).__name__}
    if not signatures:
        return "none", {"checked_at": checked_at, "signatures": []}
    context = _context()
    results = []
    for signature in signatures[:MAX_SIGNATURES]:
        try:
            results.append(_one(signature, context))
        except Exception as exc:  # malformed signature dictionary or CMS blob
            results.append({"status": "invalid", "field": signature.field_name, "error": type(exc).__name__})
    order = ["invalid", "untrusted", "valid"]
    overall = min((r["status"] for r in results), key=order.index)
    return overall, {"checked_at": checked_at, "signatures": results}


def check_upload(upload: Any, content_type: str) -> tuple[str, dict[str, Any]]:
    """For ``submission._store``: check a PDF upload, leave other types unchecked."""
    if content_type != "application/pdf":
        return "", {}
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return check_pdf(data)
