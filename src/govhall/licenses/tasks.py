"""Background work of the licenses app (run by django-q2 schedules, see setup_schedules)."""

from __future__ import annotations


def sweep() -> int:
    """Expire licenses whose validity ended (status 05), and issue the licenses approved during an
    outage (or before a certificate existed) whose blocker has gone; returns how many changed."""
    from govhall.licenses.from_applications import issue_pending
    from govhall.licenses.services import expire_due

    return expire_due() + issue_pending()
