"""Read side of feedback: the citizen's lists, the staff queues with deadline markers, the office's
overdue list by department, published FAQ entries and the public satisfaction aggregates."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from govhall.accounts.models import Role
from govhall.core import cache_versions
from govhall.core.workdays.calendar import WorkCalendar
from govhall.directory.models import Department

from .models import (
    Appeal,
    AppealStatus,
    Complaint,
    ComplaintStatus,
    Consultation,
    ConsultationStatus,
    Evaluation,
    FaqEntry,
    FaqStatus,
    Invitation,
    Rectification,
    RectificationStatus,
    ReplySnippet,
)
from .rules import HANDLING_ROLES
from .supervision import today

GREEN, YELLOW, RED = "green", "yellow", "red"


def marker(due: datetime.date | None, day: datetime.date, calendar: WorkCalendar | None = None) -> str:
    """Red once overdue; yellow on the last working day and the one before; green otherwise."""
    if due is None:
        return GREEN
    if due < day:
        return RED
    left = (calendar or WorkCalendar()).working_days_between(day, due)
    return YELLOW if left <= 1 else GREEN


def with_markers(cases: list[Any], day: datetime.date | None = None) -> list[Any]:
    """Set ``case.marker`` on each (one calendar for the batch)."""
    day, calendar = day or today(), WorkCalendar()
    for case in cases:
        due = case.current_due_date if isinstance(case, Complaint) else case.due_date
        case.marker = marker(due, day, calendar)
    return cases


# --- citizen --------------------------------------------------------------------------------------


def my_consultations(user: Any) -> QuerySet[Consultation]:
    return Consultation.objects.filter(asker=user).select_related("department", "item", "invitation")


def my_complaints(user: Any) -> QuerySet[Complaint]:
    return Complaint.objects.filter(complainant=user).select_related("department", "invitation")


def my_invitations(user: Any) -> QuerySet[Invitation]:
    return Invitation.objects.filter(citizen=user).select_related("department", "item", "evaluation")


def my_consultation(user: Any, pk: int) -> Consultation:
    return my_consultations(user).prefetch_related("transfers__to_department").get(pk=pk)


def mask_staff_name(name: str) -> str:
    """王小明 -> 王*明, 王明 -> 王*: enough for the citizen to recognise, not a staff directory."""
    chars = list(name or "")
    if len(chars) <= 1:
        return name or ""
    if len(chars) == 2:
        return chars[0] + "*"
    return chars[0] + "*" * (len(chars) - 2) + chars[-1]


@dataclass(frozen=True)
class ServedBy:
    """A staff member who acted on one of the citizen's own cases, and where (the department the
    complaint goes to: theirs, preferably the one of the item they served)."""

    staff: Any
    department: Department

    @property
    def pk(self) -> int:
        return self.staff.pk

    @property
    def label(self) -> str:
        return _("%(name)s（%(department)s）") % {
            "name": mask_staff_name(self.staff.name),
            "department": self.department.name,
        }


def _staff_department(staff: Any, item_department: Department) -> Department:
    departments = [a.department for a in staff.active_assignments if a.department_id]
    if any(d.pk == item_department.pk for d in departments):
        return item_department
    return departments[0] if departments else item_department


def people_who_served(user: Any) -> list[ServedBy]:
    """The "people who served you" picker of a staff-member complaint: the actors of the timeline
    of the citizen's own applications and whoever checked in / served their appointments — never a
    list of all staff. The newest contact first; each person once."""
    from govhall.applications.models import TimelineEntry
    from govhall.appointments.models import Appointment, AppointmentEvent

    contacts: list[tuple[Any, Any, Department]] = []
    own = Q(application__applicant=user) | Q(application__acting_person=user)
    for entry in (
        TimelineEntry.objects.filter(own, actor__kind="staff")
        .exclude(actor=user)
        .select_related("actor", "application__item__department")
    ):
        contacts.append((entry.at, entry.actor, entry.application.item.department))
    appointments = Appointment.objects.filter(applicant=user).select_related("served_by", "item__department")
    for visit in appointments.filter(served_by__kind="staff").exclude(served_by=user):
        contacts.append((visit.served_at or visit.created_at, visit.served_by, visit.item.department))
    events = AppointmentEvent.objects.filter(appointment__applicant=user, by__kind="staff").exclude(by=user)
    for event in events.select_related("by", "appointment__item__department"):
        contacts.append((event.at, event.by, event.appointment.item.department))
    seen: dict[int, ServedBy] = {}
    for _at, staff, department in sorted(contacts, key=lambda c: c[0], reverse=True):
        if staff.pk not in seen and staff.is_active:
            seen[staff.pk] = ServedBy(staff, _staff_department(staff, department))
    return list(seen.values())


# --- staff ----------------------------------------------------------------------------------------


def _department_ids(user: Any, roles: tuple[str, ...] = HANDLING_ROLES) -> set[int]:
    return {a.department_id for a in user.active_assignments if a.role in roles and a.department_id}


def _office_region_ids(user: Any) -> set[int]:
    return {
        a.region_id for a in user.active_assignments if a.role in (Role.CITY_ADMIN, Role.DISTRICT_ADMIN) and a.region_id
    }


def overseen_departments(user: Any) -> QuerySet[Department]:
    """Departments in the regions of the user's office roles (the region tree is three deep)."""
    ids = _office_region_ids(user)
    return Department.objects.filter(
        Q(region_id__in=ids) | Q(region__parent_id__in=ids) | Q(region__parent__parent_id__in=ids)
    )


def consultation_queue(user: Any) -> list[Consultation]:
    """Open consultations of the departments the user answers for, earliest deadline first."""
    cases = Consultation.objects.filter(
        status=ConsultationStatus.OPEN, department_id__in=_department_ids(user)
    ).select_related("department", "item")
    return with_markers(list(cases.order_by("due_date", "asked_at")))


def complaint_queue(user: Any) -> list[Complaint]:
    """Open complaints of the user's departments (never those about the user), and escalated ones
    of the regions the user's office oversees."""
    mine = Q(status=ComplaintStatus.OPEN, department_id__in=_department_ids(user))
    escalated = Q(status=ComplaintStatus.ESCALATED, department__in=overseen_departments(user))
    cases = (
        Complaint.objects.filter(mine | escalated)
        .exclude(staff_member=user)
        .select_related("department", "complainant")
        .order_by("due_date", "filed_at")
    )
    return with_markers(list(cases))


def consultation_for_staff(pk: int) -> Consultation:
    return Consultation.objects.select_related("department", "item", "asker", "answered_by").get(pk=pk)


def snippets(department_id: int) -> QuerySet[ReplySnippet]:
    return ReplySnippet.objects.filter(department_id=department_id, is_active=True)


def pending_faqs(user: Any) -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(status=FaqStatus.PROPOSED, department__in=overseen_departments(user)).select_related(
        "department", "item"
    )


def rectifications(user: Any) -> QuerySet[Rectification]:
    ids = _department_ids(user, (*HANDLING_ROLES, Role.DEPARTMENT_ADMIN))
    return (
        Rectification.objects.filter(department_id__in=ids)
        .select_related("department", "evaluation__invitation")
        .order_by("status", "due_date")
    )


def department_evaluations(user: Any) -> QuerySet[Evaluation]:
    ids = _department_ids(user, (*HANDLING_ROLES, Role.DEPARTMENT_ADMIN))
    return Evaluation.objects.filter(invitation__department_id__in=ids).select_related(
        "invitation__department", "invitation__item"
    )


def pending_appeals(user: Any) -> QuerySet[Appeal]:
    return Appeal.objects.filter(status=AppealStatus.PENDING, department__in=overseen_departments(user)).select_related(
        "department", "evaluation__invitation"
    )


@dataclass
class OverdueRow:
    department: Department
    consultations: list[Consultation]
    complaints: list[Complaint]

    @property
    def total(self) -> int:
        return len(self.consultations) + len(self.complaints)


def overdue_by_department(user: Any, day: datetime.date | None = None) -> list[OverdueRow]:
    """The office's list (Art. 15 para 3): overdue open cases of the departments it oversees."""
    day = day or today()
    departments = overseen_departments(user)
    consultations = Consultation.objects.filter(
        status=ConsultationStatus.OPEN, due_date__lt=day, department__in=departments
    ).prefetch_related("chases")
    complaints = Complaint.objects.filter(
        Q(status=ComplaintStatus.OPEN, due_date__lt=day)
        | Q(status=ComplaintStatus.ESCALATED, escalation_due_date__lt=day),
        department__in=departments,
    ).prefetch_related("chases")
    rows: dict[int, OverdueRow] = {}
    grouped: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    for case in consultations.select_related("department"):
        grouped[case.department_id][0].append(case)
        rows.setdefault(case.department_id, OverdueRow(case.department, [], []))
    for case in complaints.select_related("department"):
        grouped[case.department_id][1].append(case)
        rows.setdefault(case.department_id, OverdueRow(case.department, [], []))
    for pk, row in rows.items():
        row.consultations, row.complaints = with_markers(grouped[pk][0], day), with_markers(grouped[pk][1], day)
    return sorted(rows.values(), key=lambda row: (-row.total, row.department.name))


# --- public ---------------------------------------------------------------------------------------


def published_faqs(item_code: str) -> QuerySet[FaqEntry]:
    """Approved FAQ entries shown on the item's guide page (public text only)."""
    return FaqEntry.objects.filter(status=FaqStatus.APPROVED, item__implementation_code=item_code).order_by(
        "-decided_at"
    )


def counted_evaluations() -> QuerySet[Evaluation]:
    """Evaluations in the statistics: all but those whose appeal was upheld."""
    return Evaluation.objects.exclude(appeal__status=AppealStatus.UPHELD)


def _aggregate(group: str) -> list[dict[str, Any]]:
    rows = (
        counted_evaluations()
        .values(group, f"{group}__name")
        .annotate(
            count=Count("pk"),
            average=Avg("level"),
            satisfied=Count("pk", filter=Q(level__gte=3)),
        )
        .order_by(f"{group}__name")
    )
    return [
        {
            "name": row[f"{group}__name"],
            "count": row["count"],
            "average": round(row["average"] or 0, 2),
            "satisfaction": round(100 * row["satisfied"] / row["count"], 1) if row["count"] else 0,
        }
        for row in rows
        if row[group] is not None
    ]


def satisfaction_by_department() -> list[dict[str, Any]]:
    """Published aggregates (Art. 16): count, average level and share of 3–5 stars; no comments."""
    return _aggregate("invitation__department")


def satisfaction_by_item() -> list[dict[str, Any]]:
    return _aggregate("invitation__item")


def version() -> int:
    return cache_versions.version("feedback")


def overdue_rectifications(user: Any, day: datetime.date | None = None) -> QuerySet[Rectification]:
    """Open call-back and rectification tasks past their deadline, in the office's departments."""
    return Rectification.objects.filter(
        status=RectificationStatus.OPEN, due_date__lt=day or today(), department__in=overseen_departments(user)
    ).select_related("department", "evaluation__invitation")
