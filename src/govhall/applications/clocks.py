"""The legal clocks of an application (STANDARDS.md, Administrative Licensing Law timing).

Pure functions over ``core.workdays``: they take a :class:`WorkCalendar` and values, and return
:class:`Deadline` (a Beijing date and whether a counted day is provisional). Civil Code Art. 201:
the day of the triggering event is not counted; Art. 82: working days, holidays excluded, make-up
days included. ``apply_deadlines`` writes them onto an application row (services call it; nothing
else computes a stored deadline), and :func:`recompute_provisional_deadlines` is registered with
``core.workdays`` so a publication of the official calendar moves every provisional deadline.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from govhall.catalog.models import TimeUnit
from govhall.core.workdays.calendar import BEIJING, Deadline, WorkCalendar, as_date

ACCEPTANCE_WORKING_DAYS = 5  # Art. 32: notice within 5 working days, else deemed accepted
MAX_EXTENSION_WORKING_DAYS = 10  # Art. 42: +10 working days, once, with the head's approval
ISSUANCE_WORKING_DAYS = 10  # Art. 44: deliver within 10 working days of the decision


def acceptance_due(received_at: datetime.datetime, calendar: WorkCalendar) -> Deadline:
    """Art. 32: the 5th working day after the materials arrived (submission or correction)."""
    return calendar.add_working_days_detail(received_at, ACCEPTANCE_WORKING_DAYS)


def add_limit(start: datetime.datetime, limit: int, unit: str, calendar: WorkCalendar, *, extra: int = 0) -> Deadline:
    """``limit`` (+ ``extra`` suspended units) in the guide version's ``unit`` after ``start``.

    Working days: Art. 82. Natural days: calendar days after the start date (provisional never).
    Hours: the Beijing date of ``start + hours`` (the regulation's minute-level periods use office
    hours; an item's limit in hours is taken as elapsed hours)."""
    total = limit + extra
    if unit == TimeUnit.WORKING_DAYS:
        if total <= 0:
            return Deadline(as_date(start), False)
        return calendar.add_working_days_detail(start, total)
    if unit == TimeUnit.NATURAL_DAYS:
        return Deadline(as_date(start) + datetime.timedelta(days=total), False)
    moment = start + datetime.timedelta(hours=total)
    return Deadline(moment.astimezone(BEIJING).date(), False)


def _extend(deadline: Deadline, days: int, calendar: WorkCalendar) -> Deadline:
    if not days:
        return deadline
    extended = calendar.add_working_days_detail(deadline.due, days)
    return Deadline(extended.due, deadline.provisional or extended.provisional)


def decision_deadlines(
    accepted_at: datetime.datetime,
    version: Any,
    calendar: WorkCalendar,
    *,
    suspended: int = 0,
    extension_days: int = 0,
) -> tuple[Deadline | None, Deadline | None]:
    """(decision due, statutory due) from acceptance.

    Art. 42: the decision is due by the promised limit and never beyond the statutory limit; each
    is moved by the units suspended for special procedures (Art. 45; ``suspended`` is counted in
    the promised unit and the statutory unit alike, see :func:`excluded_units`) and by the one
    extension of up to 10 working days. ``None`` where the guide gives no limit."""
    statutory = promised = None
    if version.statutory_limit is not None:
        statutory = add_limit(accepted_at, version.statutory_limit, version.statutory_unit, calendar, extra=suspended)
        statutory = _extend(statutory, extension_days, calendar)
    if version.promised_limit is not None:
        promised = add_limit(accepted_at, version.promised_limit, version.promised_unit, calendar, extra=suspended)
        promised = _extend(promised, extension_days, calendar)
    candidates = [deadline for deadline in (promised, statutory) if deadline is not None]
    decision = min(candidates, key=lambda deadline: deadline.due) if candidates else None
    return decision, statutory


def issuance_due(decided_at: datetime.datetime, calendar: WorkCalendar) -> Deadline:
    """Art. 44: the result is delivered within 10 working days of the decision."""
    return calendar.add_working_days_detail(decided_at, ISSUANCE_WORKING_DAYS)


def excluded_units(
    started_at: datetime.datetime, ended_at: datetime.datetime, unit: str, calendar: WorkCalendar
) -> int:
    """How much of a special procedure does not count (Art. 45), in the limit's unit.

    Working days: the working days wholly inside the procedure, i.e. strictly after the day it began
    and strictly before the day the clock resumed (both those days already count). Suspended on a
    Friday and resumed on the Monday: 0 (the weekend never counted). Natural days likewise; hours:
    the whole hours elapsed."""
    start, end = as_date(started_at), as_date(ended_at)
    if unit == TimeUnit.HOURS:
        return int((ended_at - started_at).total_seconds() // 3600)
    if end <= start:
        return 0
    if unit == TimeUnit.NATURAL_DAYS:
        return (end - start).days - 1
    return calendar.working_days_between(start, end) - calendar.is_working_day(end)


def marker(start: datetime.date, due: datetime.date, today: datetime.date, calendar: WorkCalendar) -> str:
    """``red`` when overdue, ``yellow`` when at most the configured share of the time is left
    (20 % by default), else ``green``; counted in working days."""
    if today > due:
        return "red"
    total = calendar.working_days_between(start, due)
    left = calendar.working_days_between(today, due)
    threshold = math.ceil(total * settings.APPLICATIONS_YELLOW_SHARE)
    return "yellow" if total > 0 and left <= threshold else "green"


def _set(application: Any, name: str, deadline: Deadline | None) -> None:
    setattr(application, name, deadline.due if deadline else None)
    setattr(application, f"{name}_provisional", bool(deadline and deadline.provisional))


DEADLINE_FIELDS = (
    "acceptance_due",
    "acceptance_due_provisional",
    "decision_due",
    "decision_due_provisional",
    "statutory_due",
    "statutory_due_provisional",
    "issuance_due",
    "issuance_due_provisional",
)


ANY_PROVISIONAL = (
    Q(acceptance_due_provisional=True)
    | Q(decision_due_provisional=True)
    | Q(statutory_due_provisional=True)
    | Q(issuance_due_provisional=True)
)


def apply_deadlines(application: Any, calendar: WorkCalendar | None = None) -> None:
    """Recompute every stored deadline from the stored facts (received, accepted, suspended,
    extended, decided); the caller saves ``DEADLINE_FIELDS``."""
    calendar = calendar or WorkCalendar()
    if application.received_at and not application.accepted_at:
        _set(application, "acceptance_due", acceptance_due(application.received_at, calendar))
    if application.accepted_at:
        decision, statutory = decision_deadlines(
            application.accepted_at,
            application.version,
            calendar,
            suspended=application.suspended_days,
            extension_days=application.extension_days,
        )
        _set(application, "decision_due", decision)
        _set(application, "statutory_due", statutory)
    if application.decided_at:
        _set(application, "issuance_due", issuance_due(application.decided_at, calendar))


def recompute_provisional_deadlines(changed: set[datetime.date]) -> int:
    """Registered with ``core.workdays``: runs inside the publication's transaction and recomputes
    every open application with a provisional deadline. Returns how many rows were rewritten."""
    from .models import OPEN_STATUSES, Application

    flagged = Application.objects.filter(status__in=OPEN_STATUSES).filter(ANY_PROVISIONAL).select_related("version")
    calendar = WorkCalendar()
    count = 0
    with transaction.atomic():
        for application in flagged.select_for_update(of=("self",)):
            apply_deadlines(application, calendar)
            application.save(update_fields=[*DEADLINE_FIELDS, "updated_at"])
            count += 1
    return count
