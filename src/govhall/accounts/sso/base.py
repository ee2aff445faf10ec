"""A single-sign-on provider (the provincial unified identity platform, 吉林省统一身份认证, would be one).

The flow is OAuth-like: the portal redirects to ``authorization_url``; the provider redirects back
to ``/accounts/sso/<id>/callback``; ``complete`` turns the callback into a verified identity, which
``accounts`` then matches to (or registers as) an applicant through the ordinary registration service.
Which providers are active is a setting (``SSO_PROVIDERS``); none is active by default.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from govhall.core.plugins import Registry


@dataclass(frozen=True)
class SsoIdentity:
    """What a provider vouches for: the same real-name elements as our own registration."""

    name: str
    document_type: str
    document_number: str
    mobile: str
    provider_subject: str


class SingleSignOnProvider(ABC):
    identifier: str
    label: str

    @abstractmethod
    def authorization_url(self, request: HttpRequest, state: str) -> str:
        """Where to send the browser; ``state`` must come back unchanged (CSRF protection)."""

    @abstractmethod
    def complete(self, request: HttpRequest, state: str) -> SsoIdentity:
        """Exchange the callback's parameters for a verified identity, or raise ValidationError."""


registry: Registry[SingleSignOnProvider] = Registry("single-sign-on providers")


def active_providers() -> list[SingleSignOnProvider]:
    return [registry.get(identifier) for identifier in settings.SSO_PROVIDERS]
