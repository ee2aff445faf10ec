"""Read side of applications: one person's applications, a staff member's queue, one application
for a reader who may see it, and the public progress query (no personal data in the answer).

Permission filtering is done in SQL: an applicant's list is filtered on the applicant, acting
person or active operator authorisation; a staff queue on the departments where the user holds a
handling role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from govhall.accounts.models import OperatorAuthorisation
from govhall.core.crypto import blind_index
from govhall.core.permissions import ensure_permission

from .models import OPEN_STATUSES, Application, Status, TimelineEntry
from .rules import STAFF_ROLES


def mine(user: Any) -> QuerySet[Application]:
    """The applications the user may read as applicant, acting person or authorised operator."""
    enterprises = OperatorAuthorisation.objects.active(timezone.now()).filter(operator=user).values("enterprise_id")
    return (
        Application.objects.filter(Q(applicant=user) | Q(acting_person=user) | Q(enterprise_id__in=enterprises))
        .select_related("item", "item__department")
        .order_by("-created_at")
    )


def staff_department_ids(user: Any) -> set[int]:
    return {
        assignment.department_id
        for assignment in user.active_assignments
        if assignment.role in STAFF_ROLES and assignment.department_id
    }


def queue(user: Any, *, status: str | None = None) -> QuerySet[Application]:
    """Open applications of the departments where the user holds a handling role, soonest due first."""
    departments = staff_department_ids(user)
    rows = Application.objects.filter(item__department_id__in=departments, status__in=OPEN_STATUSES)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("item", "item__department").order_by("decision_due", "acceptance_due", "pk")


def application_for(user: Any, *, uid: Any = None, business_number: str | None = None) -> Application:
    """One application by its uid or business number, for someone allowed to read it; otherwise
    ``PermissionDenied`` — the same for "not yours" and "does not exist" (no probing)."""
    lookup = {"uid": uid} if uid is not None else {"business_number": business_number}
    application = (
        Application.objects.select_related("item__department", "version", "applicant").filter(**lookup).first()
    )
    if application is None:
        raise PermissionDenied
    ensure_permission(user, "applications.view", application)
    return application


def timeline(application: Application) -> QuerySet[TimelineEntry]:
    return application.timeline.select_related("actor", "notice").order_by("at", "pk")


@dataclass(frozen=True)
class ProgressStep:
    at: Any
    status: str
    label: str


@dataclass(frozen=True)
class Progress:
    business_number: str
    item: str
    department: str
    status: str
    label: str
    steps: tuple[ProgressStep, ...]


def _mobile_matches(application: Application, mobile: str) -> bool:
    digest = blind_index((mobile or "").strip(), "mobile")
    return digest in {application.applicant.mobile_hash, application.acting_person.mobile_hash} - {None}


def public_progress(business_number: str, mobile: str) -> Progress | None:
    """Anyone with the business number and the applicant's mobile number sees the status steps
    (issue 7): item, department, statuses with times — no names, no comments, no files. ``None``
    for an unknown number or a wrong mobile alike. Rate limiting is the face's job."""
    application = (
        Application.objects.select_related("item__department", "applicant", "acting_person")
        .filter(business_number=(business_number or "").strip())
        .exclude(status=Status.DRAFT)
        .first()
    )
    if application is None or not _mobile_matches(application, mobile):
        return None
    steps = tuple(
        ProgressStep(at=entry.at, status=entry.to_status, label=entry.to_status_label)
        for entry in timeline(application)
        if entry.from_status != entry.to_status or entry.action == "stage_completed"
    )
    return Progress(
        business_number=application.business_number,
        item=application.item.name,
        department=application.item.department.name,
        status=application.status,
        label=str(Status(application.status).label),
        steps=steps,
    )
