"""Background work of the licenses app (run by django-q2 schedules, see setup_schedules)."""

from __future__ import annotations


def sweep() -> int:
    """Expire licenses whose validity ended (status 05); returns how many changed."""
    from govhall.licenses.services import expire_due

    return expire_due()
