"""Read-side helpers of the licenses app (public verification limits, published PKI files)."""

from __future__ import annotations

from django.conf import settings

from govhall.core.ratelimit import hit
from govhall.licenses.models import Certificate, CertificateKind


def verify_allowed(ip: str) -> bool:
    """Count one public verification; ``False`` once the IP is over its hourly limit."""
    return hit(f"licenses-verify-ip:{ip or 'unknown'}", 3600) <= settings.LICENSES_VERIFY_PER_IP_PER_HOUR


def published_root() -> Certificate | None:
    """The root certificate third parties install (the newest one not revoked)."""
    return (
        Certificate.objects.filter(kind=CertificateKind.ROOT)
        .exclude(status="revoked")
        .order_by("status", "-not_before")  # "active" sorts before "retired"
        .first()
    )


def issuer_for_crl(serial_number: str) -> Certificate | None:
    return Certificate.objects.filter(kind=CertificateKind.ROOT, serial_number=serial_number.lower()).first()
