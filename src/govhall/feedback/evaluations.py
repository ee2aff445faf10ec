"""好差评 (regulation Art. 16; STANDARDS.md "Service evaluation").

One evaluation per service event (一事一评): an :class:`Invitation` per event (the OneToOne on the
event is the unique constraint), one :class:`Evaluation` per invitation. Only the person served
rates. A named 1- or 2-star review creates a call-back and rectification task for the department
(``FEEDBACK_RECTIFICATION_WORKING_DAYS``); the department may appeal a malicious review and the
office decides; an upheld appeal excludes the review from the statistics, the review itself never
changes (staff only annotate).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core import cache_versions
from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.core.workdays.calendar import BEIJING, WorkCalendar
from govhall.notifications.catalog import TemplateCode

from . import notify
from .models import (
    Appeal,
    AppealStatus,
    Evaluation,
    EvaluationAnnotation,
    EventKind,
    Invitation,
    Level,
    Rectification,
    RectificationStatus,
)

INDICATORS = ("level", "efficiency", "guide_accuracy", "convenience", "usability")
CACHE_NAME = "feedback"


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def bump_version() -> None:
    """The published satisfaction figures change (portal pages cache under this version)."""
    cache_versions.bump(CACHE_NAME)


def invite(
    kind: str,
    event: Any,
    *,
    citizen: Any,
    department: Any,
    item: Any,
    reference: str,
    now: datetime.datetime | None = None,
) -> Invitation:
    """Invite the person served to rate ``event``, once: a second call returns the first invitation.
    Runs in the caller's transaction (the event's service); queues the SMS with the rating link."""
    existing = Invitation.objects.filter(**{kind: event}).first()
    if existing is not None:
        return existing
    invitation = Invitation(
        kind=kind, citizen=citizen, department=department, item=item, reference=reference or "", invited_at=_now(now)
    )
    setattr(invitation, kind, event)
    try:
        with transaction.atomic():
            invitation.save(force_insert=True)
    except IntegrityError:
        return Invitation.objects.get(**{kind: event})
    notify.invite(invitation, str(EventKind(kind).label))
    return invitation


def invite_for_application(application: Any) -> Invitation:
    """Called from ``applications.handling.conclude``: the applicant rates the concluded case."""
    return invite(
        EventKind.APPLICATION,
        application,
        citizen=application.applicant,
        department=application.item.department,
        item=application.item,
        reference=application.business_number or "",
        now=application.closed_at,
    )


def invite_for_appointment(appointment: Any) -> Invitation:
    """Called from ``appointments.services.serve``: the visitor rates the served visit."""
    return invite(
        EventKind.APPOINTMENT,
        appointment,
        citizen=appointment.applicant,
        department=appointment.item.department,
        item=appointment.item,
        reference=appointment.code,
        now=appointment.served_at,
    )


def expired_message(invitation: Invitation) -> str:
    return _("评价有效期已于%(date)s届满，本次服务不能再评价。") % {"date": notify.chinese_date(invitation.expires_on)}


def reminder_day(invitation: Invitation, calendar: WorkCalendar | None = None) -> datetime.date:
    """The ``FEEDBACK_INVITATION_REMINDER_WORKING_DAYS``-th working day after the event."""
    days = settings.FEEDBACK_INVITATION_REMINDER_WORKING_DAYS
    return (calendar or WorkCalendar()).add_working_days(invitation.invited_at, days)


def _unrated():
    return Invitation.objects.select_for_update(of=("self",)).filter(evaluation__isnull=True, expired_at__isnull=True)


@transaction.atomic
def expire_invitations(now: datetime.datetime | None = None) -> int:
    """Invitations not rated within ``FEEDBACK_INVITATION_VALID_DAYS`` natural days expire (the
    national rules leave the period to the province); an expired one can no longer be rated."""
    moment = _now(now)
    day = moment.astimezone(BEIJING).date() - datetime.timedelta(days=settings.FEEDBACK_INVITATION_VALID_DAYS)
    cutoff = datetime.datetime.combine(day, datetime.time.min, tzinfo=BEIJING)
    expired = 0
    for invitation in _unrated().filter(invited_at__lt=cutoff):
        Invitation.objects.filter(pk=invitation.pk).update(expired_at=moment)
        record("system", "feedback.invitation_expired", invitation, after={"expires_on": str(invitation.expires_on)})
        expired += 1
    return expired


@transaction.atomic
def remind_unrated(now: datetime.datetime | None = None) -> int:
    """One reminder SMS for an invitation still unrated on its reminder day (never a second one,
    never after a rating or the expiry)."""
    moment = _now(now)
    day, calendar, reminded = moment.astimezone(BEIJING).date(), WorkCalendar(), 0
    latest_date = day - datetime.timedelta(days=settings.FEEDBACK_INVITATION_REMINDER_WORKING_DAYS - 1)
    cutoff = datetime.datetime.combine(latest_date, datetime.time.min, tzinfo=BEIJING)
    candidates = _unrated().filter(reminded_at__isnull=True, invited_at__lt=cutoff).select_related("citizen")
    for invitation in candidates:
        if reminder_day(invitation, calendar) > day or invitation.is_expired(moment):
            continue
        notify.remind(invitation, str(EventKind(invitation.kind).label))
        Invitation.objects.filter(pk=invitation.pk).update(reminded_at=moment)
        reminded += 1
    return reminded


def _levels(scores: dict[str, Any]) -> dict[str, int]:
    errors, clean = {}, {}
    for name in INDICATORS:
        try:
            value = int(scores.get(name))
        except (TypeError, ValueError):
            value = 0
        if value not in Level.values:
            errors[name] = _("请选择1至5星。")
        clean[name] = value
    if errors:
        raise ValidationError(errors, code="invalid")
    return clean


def rectification_due(at: datetime.datetime) -> datetime.date:
    return WorkCalendar().add_working_days(at, settings.FEEDBACK_RECTIFICATION_WORKING_DAYS)


@transaction.atomic
def rate(
    invitation: Invitation,
    by: Any,
    *,
    comment: str = "",
    named: bool = True,
    now: datetime.datetime | None = None,
    **scores: Any,
) -> Evaluation:
    """The person served rates the event on the five levels and the national online indicators."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("department").get(pk=invitation.pk)
    ensure_permission(by, "feedback.rate", invitation)
    if Evaluation.objects.filter(invitation=invitation).exists():
        raise ValidationError({"level": _("该服务已评价，每次服务只能评价一次。")}, code="already_rated")
    at = _now(now)
    if invitation.is_expired(at):
        raise ValidationError({"level": expired_message(invitation)}, code="expired")
    levels = _levels(scores)
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise ValidationError({"comment": _("评价内容最多1000字。")}, code="too_long")
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                invitation=invitation, comment=comment, named=bool(named), rated_at=at, **levels
            )
    except IntegrityError:
        raise ValidationError({"level": _("该服务已评价，每次服务只能评价一次。")}, code="already_rated") from None
    if evaluation.is_bad and evaluation.named:
        _open_rectification(evaluation, invitation, at)
    transaction.on_commit(bump_version)
    record(by, "feedback.evaluated", evaluation, after={"level": evaluation.level, "kind": invitation.kind})
    return evaluation


def _open_rectification(evaluation: Evaluation, invitation: Invitation, at: datetime.datetime) -> Rectification:
    """100 % call-back of named bad reviews: a task for the department with its own deadline."""
    task = Rectification.objects.create(
        evaluation=evaluation, department=invitation.department, due_date=rectification_due(at), created_at=at
    )
    context = {"number": invitation.reference, "deadline": notify.chinese_date(task.due_date)}
    notify.to_people(
        notify.handlers(invitation.department), TemplateCode.FEEDBACK_RECTIFICATION, context, f"rect:{task.pk}", task
    )
    return task


@transaction.atomic
def complete_rectification(
    task: Rectification, by: Any, *, callback_note: str, outcome: str, now: datetime.datetime | None = None
) -> Rectification:
    """The department records the call-back and the rectification outcome (both required)."""
    task = Rectification.objects.select_for_update(of=("self",)).select_related("department").get(pk=task.pk)
    ensure_permission(by, "feedback.rectify", task)
    if task.status != RectificationStatus.OPEN:
        raise ValidationError({"outcome": _("该整改任务已完成。")}, code="closed")
    errors = {}
    if not (callback_note or "").strip():
        errors["callback_note"] = _("请填写回访情况。")
    if not (outcome or "").strip():
        errors["outcome"] = _("请填写整改结果（无法律依据的请说明）。")
    if errors:
        raise ValidationError(errors, code="required")
    task.callback_note, task.outcome = callback_note.strip()[:2000], outcome.strip()[:2000]
    task.status, task.closed_by, task.closed_at = RectificationStatus.DONE, by, _now(now)
    task.save(update_fields=["callback_note", "outcome", "status", "closed_by", "closed_at"])
    record(by, "feedback.rectified", task, after={"evaluation": task.evaluation_id})
    return task


@transaction.atomic
def appeal(evaluation: Evaluation, by: Any, *, reason: str, now: datetime.datetime | None = None) -> Appeal:
    """The department (its head or admin) appeals a review it believes malicious or mistaken."""
    evaluation = Evaluation.objects.select_related("invitation__department").get(pk=evaluation.pk)
    ensure_permission(by, "feedback.appeal", evaluation)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写申诉理由。")}, code="required")
    if Appeal.objects.filter(evaluation=evaluation).exists():
        raise ValidationError({"reason": _("该评价已申诉过。")}, code="duplicate")
    try:
        with transaction.atomic():
            filed = Appeal.objects.create(
                evaluation=evaluation,
                department=evaluation.invitation.department,
                reason=reason[:2000],
                filed_by=by,
                filed_at=_now(now),
            )
    except IntegrityError:
        raise ValidationError({"reason": _("该评价已申诉过。")}, code="duplicate") from None
    record(by, "feedback.appealed", filed, after={"evaluation": evaluation.pk})
    return filed


@transaction.atomic
def decide_appeal(filed: Appeal, by: Any, *, upheld: bool, note: str, now: datetime.datetime | None = None) -> Appeal:
    """The office re-reviews (申诉复核): upheld excludes the review from the statistics."""
    filed = Appeal.objects.select_for_update(of=("self",)).select_related("department").get(pk=filed.pk)
    ensure_permission(by, "feedback.decide_appeal", filed)
    if filed.status != AppealStatus.PENDING:
        raise ValidationError({"note": _("该申诉已复核。")}, code="already_decided")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写复核意见。")}, code="required")
    filed.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    filed.decided_by, filed.decided_at, filed.decision_note = by, _now(now), note[:1000]
    filed.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    transaction.on_commit(bump_version)
    record(by, "feedback.appeal_decided", filed, after={"upheld": upheld})
    return filed


@transaction.atomic
def annotate(
    evaluation: Evaluation, by: Any, *, text: str, now: datetime.datetime | None = None
) -> EvaluationAnnotation:
    """Staff annotate an evaluation (append-only); the evaluation itself cannot be edited."""
    evaluation = Evaluation.objects.select_related("invitation__department").get(pk=evaluation.pk)
    ensure_permission(by, "feedback.annotate", evaluation)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写批注。")}, code="required")
    note = EvaluationAnnotation.objects.create(evaluation=evaluation, author=by, text=text[:1000], at=_now(now))
    record(by, "feedback.annotated", evaluation)
    return note
