"""What a signing backend does (Art. 23: signing keys kept safely).

The default ``file`` backend keeps each private key in the database, encrypted with AES-GCM under
``LICENSES_KEY_ENCRYPTION_KEY``. A PKCS#11 HSM backend would keep only a key label
(``Certificate.key_reference``) and sign inside the device: it implements the same methods with
pyHanko's ``pkcs11`` signer and a raw ECDSA call for the JWS.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from govhall.core.plugins import Registry

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey
    from pyhanko.sign.signers import Signer

    from govhall.licenses.models import Certificate


class SigningBackend(ABC):
    identifier: str

    @abstractmethod
    def protect_key(self, private_key: EllipticCurvePrivateKey) -> str:
        """Return what is stored in ``Certificate.encrypted_key`` for a newly generated or imported
        key (never the key in clear)."""

    @abstractmethod
    def private_key(self, certificate: Certificate) -> EllipticCurvePrivateKey:
        """The key itself, for issuing certificates and CRLs with the city root (development and
        demo PKI only; a production root stays offline at the CA)."""

    @abstractmethod
    def pdf_signer(self, certificate: Certificate, chain: list[Certificate]) -> Signer:
        """A pyHanko signer for a PAdES signature with ``certificate``'s key."""

    @abstractmethod
    def sign_jws(self, certificate: Certificate, header: dict[str, Any], payload: bytes) -> str:
        """A compact JWS (ES256) over ``payload`` with ``certificate``'s key."""


registry: Registry[SigningBackend] = Registry("license signing backends")
