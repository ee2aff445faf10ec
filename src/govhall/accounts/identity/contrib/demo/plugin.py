"""The demo verifier: accepts any well-formed identity (the validators already checked checksums).

It is refused under production settings, where a verifier backed by a real register is required.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from govhall.accounts.identity.base import IdentityVerifier, VerificationResult, registry


@registry.register("demo")
class DemoVerifier(IdentityVerifier):
    def __init__(self) -> None:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("The demo identity verifier cannot be used in production.")

    def verify_person(self, name: str, document_type: str, document_number: str) -> VerificationResult:
        return VerificationResult(True, "demo: format and checksum")

    def verify_enterprise(
        self, uscc: str, name: str, representative: str, document_type: str, document_number: str
    ) -> VerificationResult:
        return VerificationResult(True, "demo: format and checksum")
