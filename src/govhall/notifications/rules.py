"""Who may see and act on SMS delivery: the city office (市政务公开办) runs the hall's messaging."""

from __future__ import annotations

import rules

from govhall.accounts.models import Role


@rules.predicate
def is_city_admin(user) -> bool:
    return user.has_role(Role.CITY_ADMIN)


rules.add_perm("notifications.view_deliveries", rules.is_authenticated & is_city_admin)
rules.add_perm("notifications.resend", rules.is_authenticated & is_city_admin)
rules.add_perm("notifications.edit_template", rules.is_authenticated & is_city_admin)
