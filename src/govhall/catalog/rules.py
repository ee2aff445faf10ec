"""Who may change the item library (Art. 4, 5, 6, 7).

Art. 7: the department confirms an item's guide (its guide editors and department admins edit and
submit drafts); the office that owns the item publishes it or returns it — the city office for items
of the city, the district office for items of its district. The city office manages the whole
library (Art. 4): it adds items of any region and imports catalog spreadsheets, whose first drafts it
fills; every later version is the department's.
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


@rules.predicate
def is_city_admin(user) -> bool:
    return user.has_role(Role.CITY_ADMIN)


@rules.predicate
def fills_imported_first_draft(user, obj) -> bool:
    """The city office writes the FIRST draft of an item it imports (the item has no guide version
    yet, or this is its first draft, created by this person and never published); the department
    then edits, confirms and submits it (Art. 7)."""
    if obj is None or not is_city_admin(user):
        return False
    if hasattr(obj, "item"):  # a GuideVersion
        return obj.number == 1 and obj.created_by_id == user.pk and obj.item.published_version_id is None
    return obj.published_version_id is None and not obj.versions.exists()


rules.add_perm(
    "catalog.create_item", rules.is_authenticated & (owns_item_region | edits_for_department | is_city_admin)
)
rules.add_perm("catalog.update_item", rules.is_authenticated & owns_item_region)
rules.add_perm("catalog.edit_guide", rules.is_authenticated & (edits_for_department | fills_imported_first_draft))
rules.add_perm("catalog.submit_guide", rules.is_authenticated & edits_for_department)
rules.add_perm("catalog.publish_guide", rules.is_authenticated & owns_item_region)
rules.add_perm("catalog.return_guide", rules.is_authenticated & owns_item_region)
rules.add_perm("catalog.manage_license_types", rules.is_authenticated & is_city_admin)
rules.add_perm("catalog.import_items", rules.is_authenticated & is_city_admin)
# The workbench shows an item's guide versions (history, review, drafts) to those who edit or
# publish it, and to the city office, which supervises the whole library (Art. 4).
rules.add_perm(
    "catalog.view_versions", rules.is_authenticated & (edits_for_department | owns_item_region | is_city_admin)
)
