"""The file backend: private keys in the database, encrypted with AES-GCM (key from the environment).

The stored value is ``v1:<base64(nonce || ciphertext)>`` of the PKCS#8 DER key; the associated data
binds it to this purpose, so a field-encryption ciphertext cannot be swapped in.
"""

from __future__ import annotations

import base64
import os
from typing import TYPE_CHECKING, Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from govhall.licenses.signing.base import SigningBackend, registry

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer

    from govhall.licenses.models import Certificate

VERSION = "v1"
AAD = b"govhall-licenses-signing-key"
NONCE_BYTES = 12


def _aead() -> AESGCM:
    try:
        raw = base64.b64decode(settings.LICENSES_KEY_ENCRYPTION_KEY, validate=True)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured("LICENSES_KEY_ENCRYPTION_KEY must be base64 of 32 bytes")
    return AESGCM(raw)


def seal(der: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    return f"{VERSION}:{base64.b64encode(nonce + _aead().encrypt(nonce, der, AAD)).decode('ascii')}"


def unseal(token: str) -> bytes:
    version, _, encoded = token.partition(":")
    if version != VERSION:
        raise ImproperlyConfigured("unknown signing-key format")
    raw = base64.b64decode(encoded)
    return _aead().decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], AAD)


@registry.register("file")
class FileBackend(SigningBackend):
    def protect_key(self, private_key: ec.EllipticCurvePrivateKey) -> str:
        der = private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return seal(der)

    def private_key(self, certificate: Certificate) -> ec.EllipticCurvePrivateKey:
        if not certificate.encrypted_key:
            raise ImproperlyConfigured(f"no private key is held for certificate {certificate.serial_number}")
        key = serialization.load_der_private_key(unseal(certificate.encrypted_key), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ImproperlyConfigured("license signing keys are EC P-256")
        return key

    def pdf_signer(self, certificate: Certificate, chain: list[Certificate]) -> Signer:
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        der = unseal(certificate.encrypted_key)
        return signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(_der(certificate)),
            signing_key=asn1_keys.PrivateKeyInfo.load(der),
            cert_registry=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(_der(c)) for c in chain]),
        )

    def sign_jws(self, certificate: Certificate, header: dict[str, Any], payload: bytes) -> str:
        from joserfc import jws
        from joserfc.jwk import ECKey

        key = ECKey.import_key(self.private_key(certificate))
        return jws.serialize_compact(header, payload, key, algorithms=["ES256"])


def _der(certificate: Certificate) -> bytes:
    from cryptography import x509

    return x509.load_pem_x509_certificate(certificate.pem.encode()).public_bytes(serialization.Encoding.DER)
