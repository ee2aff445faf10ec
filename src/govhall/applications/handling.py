"""The department's side: acceptance, correction notice, review stages, special procedures,
extension, decision, issuance, conclusion (Licensing Law Art. 32, 38, 42, 44, 45; regulation
Art. 12, Art. 20). Each service is one transaction with the row locked; the audit event is last.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.accounts.models import Role
from govhall.catalog.forms_schema import field_names
from govhall.catalog.models import MaterialRequirement
from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.core.workdays.calendar import WorkCalendar
from govhall.feedback import evaluations as feedback_evaluations
from govhall.licenses.from_applications import issue_on_approval
from govhall.notifications.catalog import TemplateCode

from . import clocks, notify
from .license_materials import check_at_acceptance
from .models import (
    Application,
    CorrectionItem,
    MaterialSubmission,
    NoticeKind,
    SpecialProcedure,
    Status,
    Suspension,
)
from .notices import issue_notice
from .transitions import append, check, lock, transition


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _required(text: str, message: str, code: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message, code=code)
    return text


def _scope(application: Application) -> str:
    return f"department:{application.item.department_id}"


# --- acceptance (Licensing Law Art. 32) -----------------------------------------------------------


def _accept(application: Application, by: Any, at: datetime.datetime, *, deemed: bool) -> None:
    application.accepted_at = at
    application.deemed_accepted = deemed
    clocks.apply_deadlines(application, WorkCalendar())
    check(application, Status.ACCEPTED)
    notice = issue_notice(
        application,
        NoticeKind.ACCEPTANCE,
        {"deemed": deemed, "decision_due": notify.chinese_date(application.decision_due)},
        by=by,
    )
    transition(
        application,
        Status.ACCEPTED,
        by=by,
        action="deemed_accepted" if deemed else "accepted",
        role="" if deemed else Role.ACCEPTOR,
        notice=notice,
        comment=_("受理期限届满未告知补正，自收到申请材料之日起视为受理。") if deemed else "",
        extra_fields=("accepted_at", "deemed_accepted", *clocks.DEADLINE_FIELDS),
    )
    notify.to_applicant(
        application,
        TemplateCode.APPLICATION_ACCEPTED,
        "accepted",
        deadline=notify.chinese_date(application.decision_due),
    )


@transaction.atomic
def accept(application: Application, by: Any, *, expected: str | None = None, now: datetime.datetime | None = None):
    """Accept (受理通知书); the decision clock (Art. 42) runs from now."""
    application = lock(application, expected=expected)
    ensure_permission(by, "applications.accept", application)
    check_at_acceptance(application, by)
    _accept(application, by, _now(now), deemed=False)
    record(by, "applications.accepted", application, role=Role.ACCEPTOR, scope=_scope(application))
    return application


@transaction.atomic
def deem_accepted(application: Application | int, *, now: datetime.datetime | None = None) -> Application | None:
    """Art. 32: no notice within 5 working days → accepted from the day the materials arrived.
    Run by the sweep; ``None`` if the application is no longer due (acted on meanwhile)."""
    application = lock(application)
    today = timezone.localdate(_now(now))
    if application.status != Status.AWAITING_ACCEPTANCE or not application.acceptance_due:
        return None
    if application.acceptance_due >= today:
        return None
    _accept(application, None, application.received_at, deemed=True)
    record("system", "applications.deemed_accepted", application, scope=_scope(application))
    return application


@transaction.atomic
def not_accept(
    application: Application, by: Any, *, reason: str, legal_basis: str, expected: str | None = None
) -> Application:
    """不予受理 with the reason and its legal basis, in writing."""
    application = lock(application, expected=expected)
    ensure_permission(by, "applications.accept", application)
    reason = _required(reason, _("请填写不予受理的理由。"), "reason_required")
    legal_basis = _required(legal_basis, _("请填写不予受理的法律依据。"), "legal_basis_required")
    check(application, Status.NOT_ACCEPTED)
    notice = issue_notice(application, NoticeKind.NON_ACCEPTANCE, {"reason": reason, "legal_basis": legal_basis}, by=by)
    application.closed_at = timezone.now()
    transition(
        application,
        Status.NOT_ACCEPTED,
        by=by,
        action="not_accepted",
        role=Role.ACCEPTOR,
        comment=reason,
        notice=notice,
        extra_fields=("closed_at",),
    )
    notify.to_applicant(application, TemplateCode.APPLICATION_NOT_ACCEPTED, "not_accepted")
    record(by, "applications.not_accepted", application, reason=reason, role=Role.ACCEPTOR, scope=_scope(application))
    return application


# --- one-time correction notice (Art. 12; Licensing Law Art. 32) ----------------------------------


def _correction_items(application: Application, items: Iterable[Mapping[str, Any]]) -> list[CorrectionItem]:
    """Validate the listed deficiencies: each names a material of the bound version or a form field,
    with a reason; a material given in an earlier round and accepted then is never asked again."""
    fields = field_names(application.version.form_definition or {"fields": []})
    requirements = {r.pk: r for r in MaterialRequirement.objects.filter(version_id=application.version_id)}
    built, seen = [], set()
    for entry in items:
        reason = _required(str(entry.get("reason", "")), _("每一项补正内容都必须写明原因。"), "reason_required")
        if entry.get("material"):
            requirement = requirements.get(int(entry["material"]))
            if requirement is None:
                raise ValidationError(_("补正材料不属于本事项的办事指南。"), code="requirement")
            key, item = ("material", requirement.pk), CorrectionItem(requirement=requirement, reason=reason)
        else:
            name = str(entry.get("field", ""))
            if name not in fields:
                raise ValidationError(_("补正的填报项“%(name)s”不在申请表中。") % {"name": name}, code="field")
            key, item = ("field", name), CorrectionItem(field=name, reason=reason)
        if key in seen:
            raise ValidationError(_("同一材料或填报项只能列一次。"), code="duplicate")
        seen.add(key)
        built.append(item)
    if not built:
        raise ValidationError(_("补正告知书至少列出一项需要补正的内容。"), code="empty")
    return built


def _asked_before(application: Application, items: list[CorrectionItem]) -> list[str]:
    """Materials that an earlier notice asked for and the applicant then gave (Art. 10: not again)."""
    earlier = set(
        CorrectionItem.objects.filter(notice__application=application, requirement__isnull=False).values_list(
            "requirement_id", flat=True
        )
    )
    return [item.requirement.name for item in items if item.requirement_id in earlier]


def _label(application: Application, item: CorrectionItem) -> str:
    if item.requirement_id:
        return item.requirement.name
    for field in application.version.form_definition.get("fields", []):
        if field.get("name") == item.field:
            return field.get("label", item.field)
    return item.field


@transaction.atomic
def request_correction(
    application: Application,
    by: Any,
    items: Iterable[Mapping[str, Any]],
    *,
    round_reason: str = "",
    expected: str | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """ONE notice listing every deficiency, material by material and field by field.

    ``items``: ``{"material": requirement id, "reason": …}`` or ``{"field": name, "reason": …}``.
    A second round needs ``round_reason``; it is kept on the notice, the timeline and the audit
    trail (visible to supervision). A material a previous notice asked for is not asked again."""
    now = _now(now)
    application = lock(application, expected=expected)
    ensure_permission(by, "applications.accept", application)
    check(application, Status.CORRECTION_REQUESTED)
    built = _correction_items(application, items)
    round_reason = (round_reason or "").strip()
    if application.correction_rounds >= 1 and not round_reason:
        raise ValidationError(_("再次要求补正必须记录理由，该理由将提供给监督部门。"), code="round_reason_required")
    repeated = _asked_before(application, built)
    if repeated:
        raise ValidationError(
            _("以下材料已按前次告知补正，不得再次要求：%(names)s") % {"names": "、".join(repeated)}, code="asked_before"
        )
    due = WorkCalendar().add_working_days(now, settings.APPLICATIONS_CORRECTION_WORKING_DAYS)
    content = {
        "items": [{"label": _label(application, item), "reason": item.reason} for item in built],
        "round": application.correction_rounds + 1,
        "round_reason": round_reason,
        "respond_by": notify.chinese_date(due),
    }
    notice = issue_notice(application, NoticeKind.CORRECTION, content, by=by)
    for item in built:
        item.notice = notice
    CorrectionItem.objects.bulk_create(built)
    application.correction_rounds += 1
    transition(
        application,
        Status.CORRECTION_REQUESTED,
        by=by,
        action="correction_requested",
        role=Role.ACCEPTOR,
        comment=round_reason,
        notice=notice,
        at=now,
        extra_fields=("correction_rounds",),
    )
    notify.to_applicant(
        application,
        TemplateCode.CORRECTION_NOTICE,
        f"round{application.correction_rounds}",
        deadline=notify.chinese_date(due),
    )
    record(
        by,
        "applications.correction_requested",
        application,
        after={"round": application.correction_rounds, "items": len(built)},
        reason=round_reason,
        role=Role.ACCEPTOR,
        scope=_scope(application),
    )
    return application


# --- review stages --------------------------------------------------------------------------------


@transaction.atomic
def complete_stage(application: Application, by: Any, *, opinion: str, expected: str | None = None) -> Application:
    """The current review stage's role records its opinion; the application moves to the next
    stage (the first call after acceptance starts stage 1). After the last stage it waits for the
    decider (``current_stage == len(stages)``)."""
    application = lock(application, expected=expected)
    opinion = _required(opinion, _("请填写审查意见。"), "opinion_required")
    if application.status == Status.ACCEPTED:
        application.current_stage = 0
    elif application.status != Status.IN_REVIEW:
        raise ValidationError(_("该申请已被他人处理，请刷新后重试"), code="conflict")
    ensure_permission(by, "applications.review_stage", application)
    stage = application.stage or {}
    role = stage.get("role") or Role.REVIEWER
    application.current_stage += 1
    transition(
        application,
        Status.IN_REVIEW,
        by=by,
        action="stage_completed",
        role=role,
        comment=f"{stage.get('name', '')}：{opinion}",
        extra_fields=("current_stage",),
    )
    record(
        by,
        "applications.stage_completed",
        application,
        after={"stage": stage.get("name", "")},
        role=role,
        scope=_scope(application),
    )
    return application


# --- special procedures (Art. 45) -----------------------------------------------------------------


@transaction.atomic
def suspend(
    application: Application,
    by: Any,
    *,
    procedure: str,
    reason: str,
    expected: str | None = None,
    now: datetime.datetime | None = None,
) -> Suspension:
    """Stop the clock for a special procedure, telling the applicant in writing."""
    now = _now(now)
    application = lock(application, expected=expected)
    ensure_permission(by, "applications.suspend", application)
    if procedure not in SpecialProcedure.values:
        raise ValidationError(_("请选择特别程序的种类。"), code="procedure")
    reason = _required(reason, _("请填写特别程序的理由。"), "reason_required")
    check(application, Status.SUSPENDED)
    label = str(SpecialProcedure(procedure).label)
    notice = issue_notice(
        application,
        NoticeKind.SPECIAL_PROCEDURE,
        {"procedure": procedure, "procedure_label": label, "reason": reason},
        by=by,
    )
    suspension = Suspension.objects.create(
        application=application, procedure=procedure, reason=reason, started_at=now, notice=notice
    )
    transition(
        application,
        Status.SUSPENDED,
        by=by,
        action="suspended",
        role=Role.REVIEWER,
        comment=f"{label}：{reason}",
        notice=notice,
        at=now,
    )
    notify.to_applicant(application, TemplateCode.APPLICATION_SUSPENDED, f"suspended{suspension.pk}", procedure=label)
    record(
        by,
        "applications.suspended",
        application,
        reason=reason,
        after={"procedure": procedure},
        scope=_scope(application),
    )
    return suspension


@transaction.atomic
def resume(
    application: Application,
    by: Any,
    *,
    comment: str = "",
    expected: str | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """The procedure ended: the clock continues, the deadlines move by the excluded time."""
    now = _now(now)
    application = lock(application, expected=expected)
    ensure_permission(by, "applications.suspend", application)
    check(application, Status.IN_REVIEW)
    suspension = Suspension.objects.select_for_update().get(application=application, ended_at__isnull=True)
    calendar = WorkCalendar()
    unit = (
        application.version.promised_unit if application.version.promised_limit else application.version.statutory_unit
    )
    suspension.ended_at = now
    suspension.excluded = clocks.excluded_units(suspension.started_at, now, unit, calendar)
    suspension.save(update_fields=["ended_at", "excluded"])
    application.suspended_days += suspension.excluded
    clocks.apply_deadlines(application, calendar)
    transition(
        application,
        Status.IN_REVIEW,
        by=by,
        action="resumed",
        role=Role.REVIEWER,
        comment=comment.strip(),
        at=now,
        extra_fields=("suspended_days", *clocks.DEADLINE_FIELDS),
    )
    record(by, "applications.resumed", application, after={"excluded": suspension.excluded}, scope=_scope(application))
    return application


# --- extension (Art. 42) --------------------------------------------------------------------------


@transaction.atomic
def extend(application: Application, by: Any, *, days: int, reason: str) -> Application:
    """Once, up to 10 working days, approved by the department head with a reason; notified."""
    application = lock(application)
    ensure_permission(by, "applications.extend", application)
    reason = _required(reason, _("请填写延长期限的理由。"), "reason_required")
    if application.status not in (Status.ACCEPTED, Status.IN_REVIEW, Status.SUSPENDED):
        raise ValidationError(_("只能延长审查中申请的办理期限。"), code="conflict")
    if application.extension_days:
        raise ValidationError(_("办理期限只能延长一次。"), code="extended_once")
    if not isinstance(days, int) or not 1 <= days <= clocks.MAX_EXTENSION_WORKING_DAYS:
        raise ValidationError(_("延长期限为1至10个工作日。"), code="days")
    application.extension_days, application.extension_reason = days, reason
    clocks.apply_deadlines(application, WorkCalendar())
    notice = issue_notice(
        application,
        NoticeKind.EXTENSION,
        {"days": days, "reason": reason, "decision_due": notify.chinese_date(application.decision_due)},
        by=by,
    )
    application.save(update_fields=["extension_days", "extension_reason", *clocks.DEADLINE_FIELDS, "updated_at"])
    append(
        application,
        "extended",
        by=by,
        from_status=application.status,
        role=Role.DEPARTMENT_HEAD,
        comment=reason,
        notice=notice,
    )
    notify.to_applicant(
        application,
        TemplateCode.APPLICATION_EXTENDED,
        "extended",
        deadline=notify.chinese_date(application.decision_due),
    )
    record(
        by,
        "applications.extended",
        application,
        after={"days": days},
        reason=reason,
        role=Role.DEPARTMENT_HEAD,
        scope=_scope(application),
    )
    return application


# --- decision (Art. 38; regulation Art. 20) -------------------------------------------------------


def _check_step_up(stepped_up_at: datetime.datetime | None, now: datetime.datetime) -> None:
    """The decider re-entered their second factor within the last few minutes (the face verifies
    the TOTP code with ``accounts.mfa.verify_second_factor`` and passes the time)."""
    window = datetime.timedelta(seconds=settings.APPLICATIONS_STEP_UP_SECONDS)
    if stepped_up_at is None or not now - window <= stepped_up_at <= now:
        raise ValidationError(_("作出决定前请重新输入动态验证码。"), code="step_up_required")


@transaction.atomic
def decide(
    application: Application,
    by: Any,
    *,
    approve: bool,
    reasons: str,
    legal_basis: str,
    stepped_up_at: datetime.datetime | None,
    expected: str | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """Approve or refuse with reasons and legal basis, by the decider in person (step-up)."""
    now = _now(now)
    application = lock(application, expected=expected)
    ensure_permission(by, "applications.decide", application)
    _check_step_up(stepped_up_at, now)
    reasons = _required(reasons, _("请填写决定理由。"), "reasons_required")
    legal_basis = _required(legal_basis, _("请填写决定依据。"), "legal_basis_required")
    if application.status == Status.IN_REVIEW and application.stage is not None:
        raise ValidationError(_("审查环节尚未完成，不能作出决定。"), code="stages_pending")
    if application.status == Status.ACCEPTED and application.stages:
        raise ValidationError(_("审查环节尚未完成，不能作出决定。"), code="stages_pending")
    target = Status.APPROVED if approve else Status.REFUSED
    check(application, target)
    application.decided_at = now
    application.decision_reasons, application.decision_legal_basis = reasons, legal_basis
    clocks.apply_deadlines(application, WorkCalendar())
    notice = issue_notice(
        application, NoticeKind.DECISION, {"approved": approve, "reasons": reasons, "legal_basis": legal_basis}, by=by
    )
    transition(
        application,
        target,
        by=by,
        action="decided",
        role=Role.DECIDER,
        comment=reasons,
        notice=notice,
        at=now,
        extra_fields=("decided_at", "decision_reasons", "decision_legal_basis", *clocks.DEADLINE_FIELDS),
    )
    if approve:
        issue_on_approval(application, by)
    notify.to_applicant(application, TemplateCode.APPLICATION_DECIDED, "decided", result=str(Status(target).label))
    record(
        by,
        "applications.decided",
        application,
        after={"approved": approve},
        reason=reasons,
        role=Role.DECIDER,
        scope=_scope(application),
    )
    return application


@transaction.atomic
def issue_result(application: Application, by: Any, *, comment: str = "", expected: str | None = None) -> Application:
    """The result (license or refusal decision) reached the applicant (Art. 44)."""
    application = lock(application, expected=expected)
    ensure_permission(by, "applications.issue", application)
    transition(
        application, Status.RESULT_ISSUED, by=by, action="result_issued", role=Role.ACCEPTOR, comment=comment.strip()
    )
    record(by, "applications.result_issued", application, scope=_scope(application))
    return application


@transaction.atomic
def conclude(application: Application, by: Any, *, expected: str | None = None) -> Application:
    """Close the case (办结); archiving and rating follow."""
    application = lock(application, expected=expected)
    ensure_permission(by, "applications.issue", application)
    application.closed_at = timezone.now()
    transition(
        application, Status.CONCLUDED, by=by, action="concluded", role=Role.ACCEPTOR, extra_fields=("closed_at",)
    )
    feedback_evaluations.invite_for_application(application)  # Art. 16: invited once to rate
    record(by, "applications.concluded", application, scope=_scope(application))
    return application


@transaction.atomic
def terminate(application: Application, by: Any, *, reason: str, expected: str | None = None) -> Application:
    """End the procedure without a decision (e.g. the correction period lapsed), by the head."""
    application = lock(application, expected=expected)
    ensure_permission(by, "applications.terminate", application)
    reason = _required(reason, _("请填写终止办理的理由。"), "reason_required")
    application.closed_at = timezone.now()
    transition(
        application,
        Status.TERMINATED,
        by=by,
        action="terminated",
        role=Role.DEPARTMENT_HEAD,
        comment=reason,
        extra_fields=("closed_at",),
    )
    record(
        by, "applications.terminated", application, reason=reason, role=Role.DEPARTMENT_HEAD, scope=_scope(application)
    )
    return application


def material_for_viewing(submission_id: int, by: Any) -> MaterialSubmission:
    """A material, for a face to stream, after the permission check (never a direct URL). One
    satisfied by an e-license has no file: faces stream its license through the licenses domain,
    which records the access."""
    submission = MaterialSubmission.objects.select_related("application__item").get(pk=submission_id)
    ensure_permission(by, "applications.view", submission.application)
    return submission
