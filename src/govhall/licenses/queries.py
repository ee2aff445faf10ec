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


# --- step 2: the wallet ----------------------------------------------------------------------------


def holder_ids(user) -> list[int]:
    """The accounts whose licenses ``user`` may use: their own, and enterprises they operate for."""
    from govhall.accounts.models import OperatorAuthorisation

    enterprises = (
        OperatorAuthorisation.objects.active().filter(operator=user).values_list("enterprise__user_id", flat=True)
    )
    return [user.pk, *enterprises]


def wallet(user):
    """我的证照: every version the user may use, newest first (superseded ones show their status)."""
    from govhall.licenses.models import License

    return (
        License.objects.filter(holder_id__in=holder_ids(user))
        .select_related("license_type", "issuing_department", "holder")
        .order_by("-issued_at", "-pk")
    )


def my_license(user, identifier: str):
    """One license of the wallet, or ``None`` alike for "not yours" and "no such"."""
    return wallet(user).filter(identifier=identifier).first()


def access_log(license):
    """证照使用记录 of one license, newest first."""
    return license.accesses.select_related("accessor").order_by("-at", "-pk")


def can_see_outages(user) -> bool:
    """The city office, and the heads and admins of departments (Art. 14 para 3)."""
    from govhall.accounts.models import Role

    held = {assignment.role for assignment in user.active_assignments}
    return bool(held & {Role.CITY_ADMIN, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN})


def outage_list(user):
    """The city office sees every outage; a department's heads and admins their own."""
    from govhall.accounts.models import Role
    from govhall.licenses.models import Outage

    outages = Outage.objects.select_related("department", "recorded_by").prefetch_related("license_types")
    if user.has_role(Role.CITY_ADMIN):
        return outages
    departments = [
        a.department_id
        for a in user.active_assignments
        if a.role in (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN) and a.department_id
    ]
    return outages.filter(department_id__in=departments)
