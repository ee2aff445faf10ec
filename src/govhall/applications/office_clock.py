"""The pre-review clock (regulation Art. 12): 30 office minutes of the handling department.

Office minutes are counted by ``core.workdays.office`` over the department's office hours (its own,
else its centre's, else the default 09:00-12:00 / 13:30-17:00): lunch breaks, evenings, weekends and
statutory holidays do not count, a make-up workday does. A guide version marked special or complex
(``GuideVersion.special_or_complex``) is exempt from the 30 minutes and gets its own, longer limit
(``APPLICATIONS_PRE_REVIEW_SPECIAL_MINUTES``, office minutes too; a local rule, not from the law).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings

from govhall.core.workdays.office import add_office_minutes

PRE_REVIEW_MINUTES = 30  # Art. 12: "30分钟内完成预审"
# Three office days of the default hours (180 + 210 = 390 minutes a day): the special limit.
SPECIAL_DEFAULT_MINUTES = 3 * 390


def limit_minutes(version: Any) -> int:
    """Office minutes allowed for the pre-review of an application bound to ``version``."""
    if version.special_or_complex:
        return int(getattr(settings, "APPLICATIONS_PRE_REVIEW_SPECIAL_MINUTES", SPECIAL_DEFAULT_MINUTES))
    return int(getattr(settings, "APPLICATIONS_PRE_REVIEW_MINUTES", PRE_REVIEW_MINUTES))


def pre_review_due(department: Any, start: datetime.datetime, version: Any) -> datetime.datetime:
    """When the pre-review started at ``start`` must be finished (aware, Beijing time)."""
    return add_office_minutes(start, limit_minutes(version), department.hours)


def start(application: Any, now: datetime.datetime) -> tuple[str, ...]:
    """Start (or restart, after a correction response) the pre-review clock on the row; returns
    the fields the caller saves."""
    application.pre_review_exempt = bool(application.version.special_or_complex)
    application.pre_review_due = pre_review_due(application.department, now, application.version)
    application.pre_reviewed_at = None
    return ("pre_review_exempt", "pre_review_due", "pre_reviewed_at")


def finished_in_time(application: Any) -> bool | None:
    """Whether the pre-review was finished by its due moment; ``None`` while it is open."""
    if application.pre_reviewed_at is None or application.pre_review_due is None:
        return None
    return application.pre_reviewed_at <= application.pre_review_due
