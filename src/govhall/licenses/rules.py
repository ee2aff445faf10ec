"""Who may issue licenses, change their status and manage the signing certificates (issue 9).

Issuing and status changes belong to the issuing department's deciders, heads and admins (the
department decides, Art. 13); certificates and revocation after a key loss belong to the city office,
which runs the PKI (Art. 23).
"""

from __future__ import annotations

import rules

from govhall.accounts.models import Role

DEPARTMENT_ROLES = (Role.DECIDER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN)


def _department_id(obj) -> int | None:
    """Predicates accept a ``License`` or a ``Department``."""
    if obj is None:
        return None
    return getattr(obj, "issuing_department_id", None) or getattr(obj, "pk", None)


@rules.predicate
def acts_for_issuing_department(user, obj) -> bool:
    department_id = _department_id(obj)
    return department_id is not None and any(user.has_role(role, department=department_id) for role in DEPARTMENT_ROLES)


@rules.predicate
def is_city_admin(user) -> bool:
    return user.has_role(Role.CITY_ADMIN)


rules.add_perm("licenses.issue", rules.is_authenticated & acts_for_issuing_department)
rules.add_perm("licenses.change_status", rules.is_authenticated & (acts_for_issuing_department | is_city_admin))
rules.add_perm("licenses.manage_pki", rules.is_authenticated & is_city_admin)


# --- step 2: the wallet and outages ------------------------------------------------------------------


def _operates_for_holder(user, license) -> bool:
    from govhall.applications.rules import is_operator_for

    enterprise = getattr(license.holder, "enterprise", None) if license.holder.kind == "enterprise" else None
    return enterprise is not None and is_operator_for(user, enterprise.pk, apply=False)


@rules.predicate
def holds_license(user, license) -> bool:
    """The holder, or an active operator of the holder enterprise (any scope)."""
    if license is None:
        return False
    return license.holder_id == user.pk or _operates_for_holder(user, license)


@rules.predicate
def is_outage_manager(user, obj) -> bool:
    """Heads and admins of the department that cannot issue (Art. 14 para 3: the department tells)."""
    department_id = getattr(obj, "department_id", None) or getattr(obj, "pk", None)
    return department_id is not None and any(
        user.has_role(role, department=department_id) for role in (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN)
    )


rules.add_perm("licenses.use_own", rules.is_authenticated & holds_license)
rules.add_perm("licenses.record_outage", rules.is_authenticated & is_outage_manager)
rules.add_perm("licenses.view_outages", rules.is_authenticated & (is_city_admin | is_outage_manager))
