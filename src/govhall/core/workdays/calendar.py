"""The public face of ``core.workdays``: import from here.

    from govhall.core.workdays.calendar import add_working_days_detail, add_office_minutes

Licensing Law Art. 82 (working days, statutory holidays excluded, make-up days included) and Civil
Code Art. 201 (the day of the event is not counted) for the dates; office minutes for the
regulation's short periods. Writes (seeding, publishing the State Council's notice) live in
``services``, reads in ``queries``, minute arithmetic in ``office``.
"""

from __future__ import annotations

from .hours import OfficeHours
from .office import add_office_minutes, office_minutes_between
from .queries import (
    BEIJING,
    Deadline,
    WorkCalendar,
    add_working_days,
    add_working_days_detail,
    as_date,
    day_kind,
    is_provisional,
    is_working_day,
    working_days_between,
)
from .services import (
    HolidayRange,
    chinesecalendar_years,
    ensure_provisional_year,
    ensure_year,
    publish_official_year,
    register_deadline_recomputer,
    seed_official_years,
    statutory_holidays,
    unregister_deadline_recomputer,
)

__all__ = [
    "BEIJING",
    "Deadline",
    "HolidayRange",
    "OfficeHours",
    "WorkCalendar",
    "add_office_minutes",
    "add_working_days",
    "add_working_days_detail",
    "as_date",
    "chinesecalendar_years",
    "day_kind",
    "ensure_provisional_year",
    "ensure_year",
    "is_provisional",
    "is_working_day",
    "office_minutes_between",
    "publish_official_year",
    "register_deadline_recomputer",
    "seed_official_years",
    "statutory_holidays",
    "unregister_deadline_recomputer",
    "working_days_between",
]
