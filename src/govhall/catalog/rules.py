"""Who may change the item library (Art. 5, 6, 7).

Art. 7: the department confirms an item's guide (its guide editors and department admins edit and
submit drafts); the office that owns the item publishes it or returns it — the city office for items
of the city, the district office for items of its district.
"""

from __future__ import annotations

import rules

from govhall.accounts.models import Role


def _item(obj):
    """Predicates accept a ``ServiceItem`` or a ``GuideVersion``."""
    return getattr(obj, "item", obj)


@rules.predicate
def edits_for_department(user, obj) -> bool:
    """Guide editors and department admins of the item's implementing department."""
    item = _item(obj)
    return item is not None and any(
        user.has_role(role, department=item.department_id) for role in (Role.GUIDE_EDITOR, Role.DEPARTMENT_ADMIN)
    )


@rules.predicate
def owns_item_region(user, obj) -> bool:
    """The owning office: the city office for city items, the item region's district office otherwise."""
    item = _item(obj)
    if item is None:
        return False
    if item.region.parent_id is None:
        return user.has_role(Role.CITY_ADMIN, region=item.region_id)
    return user.has_role(Role.DISTRICT_ADMIN, region=item.region_id)


rules.add_perm("catalog.create_item", rules.is_authenticated & (owns_item_region | edits_for_department))
rules.add_perm("catalog.edit_guide", rules.is_authenticated & edits_for_department)
rules.add_perm("catalog.submit_guide", rules.is_authenticated & edits_for_department)
rules.add_perm("catalog.publish_guide", rules.is_authenticated & owns_item_region)
rules.add_perm("catalog.return_guide", rules.is_authenticated & owns_item_region)


@rules.predicate
def is_city_admin(user) -> bool:
    return user.has_role(Role.CITY_ADMIN)


rules.add_perm("catalog.manage_license_types", rules.is_authenticated & is_city_admin)
