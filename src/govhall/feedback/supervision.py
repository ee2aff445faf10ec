"""Supervision of Art. 15 deadlines (Art. 15 para 3: the office chases replies; Art. 6(3)).

The sweep warns the handling chain on the last working day (the due date itself) and reports a case
to the supervising office once the due date has passed; each happens once per case and deadline
(``warned_at`` / ``overdue_reported_at``, cleared when an escalation sets a new deadline). The office
chases (催办) overdue cases; every chase is recorded.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.core.workdays.calendar import BEIJING
from govhall.notifications.catalog import TemplateCode

from . import notify
from .models import (
    ChaseAction,
    Complaint,
    ComplaintStatus,
    Consultation,
    ConsultationStatus,
    Rectification,
    RectificationStatus,
)


def today(now: datetime.datetime | None = None) -> datetime.date:
    return (now or timezone.now()).astimezone(BEIJING).date()


def _cases(day: datetime.date, field: str):
    """Open cases due on or before ``day`` whose ``field`` (warned/reported) is still empty."""
    consultations = Consultation.objects.filter(status=ConsultationStatus.OPEN, due_date__lte=day, **{field: None})
    complaints = Complaint.objects.filter(status=ComplaintStatus.OPEN, due_date__lte=day, **{field: None})
    escalated = Complaint.objects.filter(
        status=ComplaintStatus.ESCALATED, escalation_due_date__lte=day, **{field: None}
    )
    return [
        *((_("咨询"), c) for c in consultations.select_related("department")),
        *((_("投诉"), c) for c in complaints.select_related("department")),
        *((_("投诉"), c) for c in escalated.select_related("department")),
    ]


def _due(case: Any) -> datetime.date:
    return case.current_due_date if isinstance(case, Complaint) else case.due_date


def _recipients_warned(case: Any) -> list[Any]:
    if isinstance(case, Complaint) and case.status == ComplaintStatus.ESCALATED:
        return notify.office(case.department)
    return notify.handlers(case.department, exclude=getattr(case, "staff_member_id", None))


@transaction.atomic
def warn_due_today(now: datetime.datetime | None = None) -> int:
    """On the last working day, remind whoever must reply."""
    moment = now or timezone.now()
    day, warned = today(moment), 0
    for kind, case in _cases(day, "warned_at"):
        context = {"kind": kind, "number": case.number, "deadline": notify.chinese_date(_due(case))}
        key = f"due:{case.number}:{_due(case)}"
        notify.to_people(_recipients_warned(case), TemplateCode.FEEDBACK_DUE_SOON, context, key, case)
        type(case).objects.filter(pk=case.pk).update(warned_at=moment)
        warned += 1
    return warned


@transaction.atomic
def report_overdue(now: datetime.datetime | None = None) -> int:
    """After the due date, tell the supervising office (city office and the district office)."""
    moment = now or timezone.now()
    day, reported = today(moment), 0
    for kind, case in _cases(day - datetime.timedelta(days=1), "overdue_reported_at"):
        context = {
            "kind": kind,
            "number": case.number,
            "deadline": notify.chinese_date(_due(case)),
            "department": case.department.name,
        }
        key = f"overdue:{case.number}:{_due(case)}"
        notify.to_people(notify.office(case.department), TemplateCode.FEEDBACK_OVERDUE, context, key, case)
        type(case).objects.filter(pk=case.pk).update(overdue_reported_at=moment)
        record(
            "system",
            "feedback.overdue_reported",
            case,
            after={"due": str(_due(case)), "department": case.department_id},
        )
        reported += 1
    return reported


def _open_rectifications(day: datetime.date, field: str):
    return (
        Rectification.objects.select_for_update(of=("self",))
        .filter(status=RectificationStatus.OPEN, due_date__lte=day, **{field: None})
        .select_related("department", "evaluation__invitation")
    )


@transaction.atomic
def warn_rectifications_due_today(now: datetime.datetime | None = None) -> int:
    """On the rectification deadline (a working day), remind the department's handling chain once:
    named bad reviews are called back and rectified within the deadline (STANDARDS.md 好差评)."""
    moment = now or timezone.now()
    warned = 0
    for task in _open_rectifications(today(moment), "warned_at"):
        context = {"number": task.evaluation.invitation.reference, "deadline": notify.chinese_date(task.due_date)}
        key = f"rect-due:{task.pk}:{task.due_date}"
        notify.to_people(notify.handlers(task.department), TemplateCode.FEEDBACK_RECTIFICATION_DUE, context, key, task)
        Rectification.objects.filter(pk=task.pk).update(warned_at=moment)
        warned += 1
    return warned


@transaction.atomic
def report_overdue_rectifications(now: datetime.datetime | None = None) -> int:
    """Once the deadline has passed, tell the supervising office once, and audit it."""
    moment = now or timezone.now()
    reported = 0
    for task in _open_rectifications(today(moment) - datetime.timedelta(days=1), "overdue_reported_at"):
        context = {
            "number": task.evaluation.invitation.reference,
            "deadline": notify.chinese_date(task.due_date),
            "department": task.department.name,
        }
        key = f"rect-overdue:{task.pk}:{task.due_date}"
        notify.to_people(
            notify.office(task.department), TemplateCode.FEEDBACK_RECTIFICATION_OVERDUE, context, key, task
        )
        Rectification.objects.filter(pk=task.pk).update(overdue_reported_at=moment)
        record(
            "system",
            "feedback.rectification_overdue_reported",
            task,
            after={"due": str(task.due_date), "department": task.department_id},
        )
        reported += 1
    return reported


def is_overdue(case: Any, day: datetime.date) -> bool:
    if isinstance(case, Consultation):
        return case.status == ConsultationStatus.OPEN and case.due_date < day
    return case.status in (ComplaintStatus.OPEN, ComplaintStatus.ESCALATED) and case.current_due_date < day


@transaction.atomic
def chase(case: Consultation | Complaint, by: Any, *, note: str, now: datetime.datetime | None = None) -> ChaseAction:
    """The office chases an overdue case (催办): recorded, and the handling chain gets an SMS."""
    case = type(case).objects.select_for_update(of=("self",)).select_related("department").get(pk=case.pk)
    ensure_permission(by, "feedback.chase", case)
    moment = now or timezone.now()
    if not is_overdue(case, today(moment)):
        raise ValidationError({"note": _("只能督办已超期未答复的事项。")}, code="not_overdue")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写督办意见。")}, code="required")
    target = {"consultation": case} if isinstance(case, Consultation) else {"complaint": case}
    action = ChaseAction.objects.create(department=case.department, note=note[:500], by=by, at=moment, **target)
    kind = _("咨询") if isinstance(case, Consultation) else _("投诉")
    context = {"kind": kind, "number": case.number, "note": note[:60]}
    notify.to_people(_recipients_warned(case), TemplateCode.FEEDBACK_CHASED, context, f"chase:{action.pk}", case)
    record(by, "feedback.chased", case, reason=note[:500])
    return action
