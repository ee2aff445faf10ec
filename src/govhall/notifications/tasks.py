"""Scheduled and queued work of the SMS outbox (run by django-q2's ``qcluster``).

``sweep`` runs every minute (``setup_schedules``) and guarantees delivery; ``deliver_soon`` is the
on-commit hint that only starts it early (Art. 11: the receipt should arrive within seconds).
"""

from __future__ import annotations

import time

from django.conf import settings

from govhall.notifications.delivery import default_worker_id, deliver_due


def sweep(max_seconds: float | None = None) -> int:
    """Deliver batches until nothing is due or the time budget (below the task timeout) is spent."""
    budget = settings.SMS_SWEEP_SECONDS if max_seconds is None else max_seconds
    deadline = time.monotonic() + budget
    worker_id = "q:" + default_worker_id()
    total = 0
    while time.monotonic() < deadline:
        claimed = deliver_due(worker_id)
        total += claimed
        if claimed < settings.SMS_BATCH_SIZE:
            break
    return total


def deliver_soon() -> int:
    """The on-commit hint: the same work as the sweep."""
    return sweep()
