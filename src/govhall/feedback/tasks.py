"""Scheduled work of feedback (django-q2 schedule ``feedback.sweep``, see ``setup_schedules``)."""

from __future__ import annotations

import datetime

from . import supervision


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """Art. 15 para 3: warn on the last working day, report overdue cases to the office."""
    return {"warned": supervision.warn_due_today(now), "overdue": supervision.report_overdue(now)}
