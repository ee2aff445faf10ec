"""Who may manage people and their roles (Art. 23: authorised access, no one beyond their scope)."""

from __future__ import annotations

import rules

from govhall.accounts.models import Role
from govhall.directory.models import Department, Region, ServiceCentre


def _scope_region_id(scope) -> int | None:
    if isinstance(scope, Region):
        return scope.pk
    if isinstance(scope, Department | ServiceCentre):
        return scope.region_id
    return None


@rules.predicate
def is_city_admin(user) -> bool:
    return user.has_role(Role.CITY_ADMIN)


@rules.predicate
def administers_scope(user, scope) -> bool:
    """City or district office admins over the scope's region; department admins over their own
    department (they may grant department-scoped roles there, never a region or a centre)."""
    region_id = _scope_region_id(scope)
    if region_id is not None and (
        user.has_role(Role.CITY_ADMIN, region=region_id) or user.has_role(Role.DISTRICT_ADMIN, region=region_id)
    ):
        return True
    return isinstance(scope, Department) and user.has_role(Role.DEPARTMENT_ADMIN, department=scope.pk)


@rules.predicate
def is_applicant(user) -> bool:
    return user.is_applicant


@rules.predicate
def is_an_administrator(user) -> bool:
    """City, district or department admins: they see the staff list (and act within their scope)."""
    return any(user.has_role(role) for role in (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.DEPARTMENT_ADMIN))


rules.add_perm("accounts.view_staff", rules.is_authenticated & is_an_administrator)
rules.add_perm("accounts.manage_staff", rules.is_authenticated & is_city_admin)
rules.add_perm("accounts.assign_role", rules.is_authenticated & administers_scope)
rules.add_perm("accounts.view_unmasked", rules.is_authenticated & is_city_admin)


@rules.predicate
def is_city_auditor(user) -> bool:
    """Auditors (and the city office) assigned at city level read the whole audit trail."""
    from govhall.directory.models import Region

    city = Region.objects.filter(parent__isnull=True).values_list("pk", flat=True).first()
    return city is not None and (user.has_role(Role.AUDITOR, region=city) or user.has_role(Role.CITY_ADMIN))


# Permissions of core services that name roles: kept here, since the core cannot import accounts.
rules.add_perm("audit.view_events", rules.is_authenticated & is_city_auditor)
rules.add_perm("workdays.publish_year", rules.is_authenticated & is_city_admin)
