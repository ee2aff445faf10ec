"""Scheduled work of feedback (django-q2 schedule ``feedback.sweep``, see ``setup_schedules``)."""

from __future__ import annotations

import datetime

from . import evaluations, supervision


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """Art. 15 para 3: warn on the last working day, report overdue cases to the office; the same
    for rectification tasks; expire old invitations, then remind the unrated ones once."""
    return {
        "warned": supervision.warn_due_today(now),
        "overdue": supervision.report_overdue(now),
        "rectifications_warned": supervision.warn_rectifications_due_today(now),
        "rectifications_overdue": supervision.report_overdue_rectifications(now),
        "invitations_expired": evaluations.expire_invitations(now),
        "invitations_reminded": evaluations.remind_unrated(now),
    }
