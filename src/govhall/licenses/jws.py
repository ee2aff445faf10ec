"""The structured license data (GB/T 36903 metadata) signed as a compact JWS (ES256).

The payload is canonical JSON (sorted keys, UTF-8); the header names the signing certificate by its
serial (``kid``) and SHA-256 thumbprint (``x5t#S256``), so a verifier can pick the certificate from
its ``x5c`` copy and check it chains to the published city root.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.conf import settings

from govhall.licenses.signing.registry import backend

if TYPE_CHECKING:
    from govhall.licenses.models import Certificate, License


MAX_HEADER_BYTES = 4096


class JwsError(ValueError):
    """A token that is malformed or whose signature does not verify."""


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def metadata(license: License) -> dict[str, Any]:
    """GB/T 36903 metadata of one license version (the status is the one at issuance; the current
    status is only ever answered online)."""
    license_type = license.license_type
    return {
        "identifier": license.identifier,
        "type_name": license_type.name,
        "type_code": license_type.type_code,
        "license_number": license.serial,
        "name": license_type.name,
        "version": f"{license.version:03d}",
        "issue_date": license.issued_at.date().isoformat(),
        "issuer_name": license.issuing_department.name,
        "issuer_code": license.issuer_code,
        "defining_body_name": license_type.defining_department.name,
        "defining_body_code": license_type.defining_department.uscc,
        "valid_from": license.valid_from.isoformat(),
        "valid_until": license.valid_until.isoformat() if license.valid_until else None,
        "area_code": settings.HALL["city_code"],
        "holder_name": license.holder_name,
        "holder_code": license.holder_code,
        "holder_code_type": license.holder_code_type,
        "related_item_code": license.source_reference or None,
        "status": "01",
        "extension": license.data,
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign(license: License, certificate: Certificate) -> str:
    from govhall.licenses.pki import der_of

    der = der_of(certificate)
    header = {
        "alg": "ES256",
        "typ": "JOSE",
        "kid": certificate.serial_number,
        "x5t#S256": _b64(hashlib.sha256(der).digest()),
        # The signing certificate itself (RFC 7515 §4.1.6), so an offline verifier can check it
        # chains to the published root; our own verifier looks the certificate up by ``kid``.
        "x5c": [base64.b64encode(der).decode("ascii")],
    }
    return backend(certificate.backend).sign_jws(certificate, header, canonical(metadata(license)))


def unverified_header(token: str) -> dict[str, Any]:
    try:
        head = token.strip().split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, IndexError) as exc:
        raise JwsError("not a compact JWS") from exc
    if not isinstance(header, dict):
        raise JwsError("not a compact JWS")
    return header


_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")


def _b64decode(part: str) -> bytes:
    if not _B64URL.match(part):
        raise JwsError("not base64url")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


@functools.lru_cache(maxsize=512)
def _public_key(pem: str) -> ec.EllipticCurvePublicKey:
    """Parsed once per certificate (the bench showed parsing dominated a verification)."""
    key = x509.load_pem_x509_certificate(pem.encode("ascii")).public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise JwsError("not an EC P-256 certificate")
    return key


@functools.lru_cache(maxsize=512)
def _header_accepted(head: str) -> bool:
    """ES256 and no ``crit`` (every license of a certificate shares one header: parsed once)."""
    try:
        header = json.loads(_b64decode(head))
    except ValueError:
        return False
    return isinstance(header, dict) and header.get("alg") == "ES256" and "crit" not in header


def verify(token: str, certificate: Certificate) -> dict[str, Any]:
    """The payload if ``token`` is an ES256 JWS by ``certificate``'s key; else ``JwsError``.

    RFC 7515 compact serialisation verified directly with ``cryptography`` (the signer uses
    joserfc; the tests verify with jwcrypto): strict base64url, ``alg`` ES256 only, no ``crit``,
    a 64-byte R||S signature (RFC 7518 §3.4)."""
    parts = token.strip().split(".")
    if len(parts) != 3 or len(parts[0]) > MAX_HEADER_BYTES * 4 // 3 + 4:
        raise JwsError("not a compact JWS")
    head, body, signature = parts
    try:
        raw = _b64decode(signature)
    except ValueError as exc:
        raise JwsError("malformed JWS") from exc
    if not _header_accepted(head) or len(raw) != 64:
        raise JwsError("unsupported JWS header or signature")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        _public_key(certificate.pem).verify(der, f"{head}.{body}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
        payload = json.loads(_b64decode(body))
    except (InvalidSignature, ValueError) as exc:
        raise JwsError("bad signature") from exc
    if not isinstance(payload, dict):
        raise JwsError("payload is not an object")
    return payload
