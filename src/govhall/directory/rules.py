"""Who may change the directory (Art. 4 and 6): the city office everywhere, a district office in its
region (its sub-hall, its centres), a department admin for their own department's contact data."""

from __future__ import annotations

import rules

from govhall.accounts.models import Role


@rules.predicate
def is_city_admin(user) -> bool:
    return user.is_authenticated and user.has_role(Role.CITY_ADMIN)


@rules.predicate
def administers_region(user, obj) -> bool:
    """District (or city) office admins for the region the object belongs to."""
    region_id = getattr(obj, "region_id", None) or getattr(obj, "pk", None)
    return region_id is not None and (
        user.has_role(Role.DISTRICT_ADMIN, region=region_id) or user.has_role(Role.CITY_ADMIN, region=region_id)
    )


@rules.predicate
def administers_department(user, department) -> bool:
    return department is not None and user.has_role(Role.DEPARTMENT_ADMIN, department=department.pk)


rules.add_perm("directory.manage_regions", rules.is_authenticated & is_city_admin)
rules.add_perm("directory.edit_sub_hall", rules.is_authenticated & administers_region)
rules.add_perm("directory.manage_centre", rules.is_authenticated & administers_region)
rules.add_perm("directory.create_department", rules.is_authenticated & is_city_admin)
rules.add_perm("directory.accept_legacy_uscc", rules.is_authenticated & is_city_admin)
rules.add_perm("directory.edit_department", rules.is_authenticated & (administers_region | administers_department))
