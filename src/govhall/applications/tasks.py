"""Scheduled work of applications (django-q2 schedule ``applications.sweep``, see ``setup_schedules``).

The sweep records deemed acceptance (Licensing Law Art. 32) and keeps the deadline markers of open
applications current: yellow (≤ ``APPLICATIONS_YELLOW_SHARE`` of the time left) warns the
responsible staff, red (overdue) warns them and the supervising office. Each application is its own
short transaction; a marker change is notified once (the SMS dedupe key carries the marker).
Expired claims (issue 8) are cleared and recorded (``assignment.expire_claims``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from govhall.accounts.models import Role, User
from govhall.core.audit.services import record
from govhall.core.workdays.calendar import BEIJING, WorkCalendar
from govhall.notifications.catalog import TemplateCode

from . import assignment, clocks, handling, notify
from .models import Application, Marker, Status

ACCEPTANCE_CLOCK = (Status.SUBMITTED, Status.AWAITING_ACCEPTANCE)
DECISION_CLOCK = (Status.ACCEPTED, Status.IN_REVIEW)
ISSUANCE_CLOCK = (Status.APPROVED, Status.REFUSED)
RESPONSIBLE = {
    "acceptance": (Role.ACCEPTOR,),
    "decision": (Role.REVIEWER, Role.DECIDER, Role.DEPARTMENT_HEAD),
    "issuance": (Role.ACCEPTOR, Role.DECIDER),
}


def _local(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(BEIJING).date()


def running_clock(application: Application) -> tuple[str, datetime.date, datetime.date] | None:
    """(clock, start date, due date) of the clock that runs now; ``None`` while suspended or closed."""
    if application.status in ACCEPTANCE_CLOCK and application.acceptance_due and application.received_at:
        return "acceptance", _local(application.received_at), application.acceptance_due
    if application.status in DECISION_CLOCK and application.decision_due and application.accepted_at:
        return "decision", _local(application.accepted_at), application.decision_due
    if application.status in ISSUANCE_CLOCK and application.issuance_due and application.decided_at:
        return "issuance", _local(application.decided_at), application.issuance_due
    return None


def _staff(application: Application, roles: tuple[str, ...]) -> list[Any]:
    return list(
        User.objects.filter(
            role_assignments__role__in=roles,
            role_assignments__department_id=application.item.department_id,
            role_assignments__revoked_at__isnull=True,
            is_active=True,
        ).distinct()
    )


def _supervisors(application: Application) -> list[Any]:
    region = application.item.department.region_id
    return [
        user
        for user in User.objects.filter(
            role_assignments__role__in=(Role.CITY_ADMIN, Role.DISTRICT_ADMIN),
            role_assignments__revoked_at__isnull=True,
            is_active=True,
        ).distinct()
        if user.has_role(Role.CITY_ADMIN, region=region) or user.has_role(Role.DISTRICT_ADMIN, region=region)
    ]


def _warn(application: Application, clock: str, due: datetime.date, marker: str) -> None:
    people = _staff(application, RESPONSIBLE[clock])
    deadline = notify.chinese_date(due)
    key = f"{clock}:{due}:{marker}"
    if marker == Marker.YELLOW:
        notify.to_staff(application, people, TemplateCode.DEADLINE_WARNING, key, deadline=deadline)
        return
    department = application.item.department.name
    notify.to_staff(
        application,
        people + _supervisors(application),
        TemplateCode.APPLICATION_OVERDUE,
        key,
        deadline=deadline,
        department=department,
    )


def update_marker(pk: int, today: datetime.date, calendar: WorkCalendar) -> str | None:
    """Recompute one application's marker; notify when it turned yellow or red. Returns the new
    marker if it changed."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("item__department")
            .filter(pk=pk)
            .first()
        )
        found = application and running_clock(application)
        if not found:
            return None
        clock, start, due = found
        marker = clocks.marker(start, due, today, calendar)
        if marker == application.marker:
            return None
        application.marker = marker
        application.save(update_fields=["marker", "updated_at"])
        if marker != Marker.GREEN:
            _warn(application, clock, due, marker)
            record("system", f"applications.marker_{marker}", application, after={"clock": clock, "due": str(due)})
        return marker


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """Deemed acceptance first (it starts the decision clock), then the markers."""
    now = now or timezone.now()
    today = timezone.localdate(now, timezone=BEIJING)
    lapsed = Application.objects.filter(status=Status.AWAITING_ACCEPTANCE, acceptance_due__lt=today)
    deemed = sum(handling.deem_accepted(pk, now=now) is not None for pk in lapsed.values_list("pk", flat=True))
    calendar = WorkCalendar()
    open_ids = Application.objects.filter(status__in=(*ACCEPTANCE_CLOCK, *DECISION_CLOCK, *ISSUANCE_CLOCK)).values_list(
        "pk", flat=True
    )
    changed = [update_marker(pk, today, calendar) for pk in open_ids.iterator()]
    return {
        "claims_expired": assignment.expire_claims(now),
        "deemed_accepted": deemed,
        "yellow": changed.count(Marker.YELLOW),
        "red": changed.count(Marker.RED),
    }
