"""A real-name verifier checks an identity against an authoritative register.

The demo provider checks format and checksum only; a real one would call the public-security
population database (for persons) or the market-regulation register (for enterprises).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings

from govhall.core.plugins import Registry


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    message: str = ""


class IdentityVerifier(ABC):
    identifier: str

    @abstractmethod
    def verify_person(self, name: str, document_type: str, document_number: str) -> VerificationResult:
        """Does this document number belong to a real person of this name?"""

    @abstractmethod
    def verify_enterprise(
        self, uscc: str, name: str, representative: str, document_type: str, document_number: str
    ) -> VerificationResult:
        """Is this a registered enterprise, and is this person its legal representative?"""


registry: Registry[IdentityVerifier] = Registry("identity verifiers")


def get_verifier() -> IdentityVerifier:
    import govhall.accounts.identity.contrib.demo.plugin  # noqa: F401 (registers the provider)

    return registry.get(settings.IDENTITY_VERIFIER)
