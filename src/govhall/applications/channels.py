"""Every channel into one record (issue 8): online pre-review, the comprehensive window, instant
items and agents. Whatever the way in there is one application, one business number and one
timeline; the status moves only through ``transitions.transition``.

Regulation Art. 9 (the comprehensive window: instant items fully paperless, paper only for the
final check), Art. 11 (the same SMS receipt on every channel), Art. 12 (pre-review within 30
office minutes, special and complex items excepted; then one visit on site).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.accounts.models import PersonProfile, Role, User, UserKind
from govhall.accounts.services import document_hash, mobile_hash
from govhall.catalog.models import CaseType, MaterialRequirement, ServiceItem
from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.core.validators import (
    IdentityDocumentType,
    validate_identity_document,
    validate_mobile,
    validate_person_name,
)
from govhall.directory.models import ServiceCentre

from . import clocks, handling, notify, office_clock
from .models import Application, Capacity, Channel, MaterialSubmission, Source, Status
from .rules import window_centre_ids
from .submission import (
    MATERIAL_TYPES,
    _current,
    _published_version,
    _raise_if_incomplete,
    _receive,
    _requirement,
    _store,
    check_material,
    completeness_errors,
    number_and_send,
    start_draft,
)
from .transitions import CONFLICT, lock, transition

__all__ = [
    "continue_on_site",
    "decide_instantly",
    "find_principal",
    "pass_pre_review",
    "register_walk_in",
    "return_pre_review",
    "save_window_answers",
    "scan_material",
    "start_agent_draft",
    "submit_at_window",
    "verify_original",
]

# Where the window may scan and verify: before acceptance, on any channel.
WINDOW_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.PRE_REVIEWED, Status.AWAITING_ACCEPTANCE)


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _scope(application: Application) -> str:
    return f"department:{application.department_id}"


# --- pre-review (Art. 12) -------------------------------------------------------------------------


def _lock_pre_review(application: Application, by: Any, expected: str | None) -> Application:
    application = lock(application, expected=expected)
    ensure_permission(by, "applications.accept", application)
    if application.channel != Channel.PRE_REVIEW or application.status != Status.SUBMITTED:
        raise ValidationError(_(CONFLICT), code="conflict")
    return application


@transaction.atomic
def pass_pre_review(
    application: Application,
    by: Any,
    *,
    comment: str = "",
    expected: str | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """The acceptor finds the pre-review materials in order: the applicant is told by SMS to come
    on site with the originals, with a link to book a visit for this application."""
    now = _now(now)
    application = _lock_pre_review(application, by, expected)
    application.pre_reviewed_at = now
    transition(
        application,
        Status.PRE_REVIEWED,
        by=by,
        action="pre_review_passed",
        role=Role.ACCEPTOR,
        comment=comment.strip(),
        at=now,
        extra_fields=("pre_reviewed_at",),
    )
    notify.pre_review_passed(application)
    record(
        by,
        "applications.pre_review_passed",
        application,
        after={"in_time": office_clock.finished_in_time(application)},
        role=Role.ACCEPTOR,
        scope=_scope(application),
    )
    return application


@transaction.atomic
def return_pre_review(
    application: Application,
    by: Any,
    items: Iterable[Mapping[str, Any]],
    *,
    round_reason: str = "",
    expected: str | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """The pre-review finds deficiencies: the ONE correction notice (``request_correction``); the
    applicant's response comes back to pre-review with a new 30-minute clock."""
    now = _now(now)
    _lock_pre_review(application, by, expected)
    application = handling.request_correction(
        application, by, items, round_reason=round_reason, expected=Status.SUBMITTED, now=now
    )
    Application.objects.filter(pk=application.pk).update(pre_reviewed_at=now)
    application.pre_reviewed_at = now
    return application


# --- the comprehensive window (Art. 9) ------------------------------------------------------------


def _lock_at_window(application: Application | int, by: Any, expected: str | None = None) -> Application:
    application = lock(application, expected=expected)
    ensure_permission(by, "applications.window", application)
    return application


def _window_centre(by: Any, target: Any, centre: ServiceCentre | None) -> ServiceCentre:
    """The centre the window staff acts from: one where they work and the guide lists."""
    allowed = window_centre_ids(by, target)
    if centre is None and len(allowed) == 1:
        return ServiceCentre.objects.get(pk=next(iter(allowed)))
    if centre is None or centre.pk not in allowed:
        raise PermissionDenied
    return centre


@transaction.atomic
def verify_original(submission: MaterialSubmission, by: Any, *, now: datetime.datetime | None = None):
    """The window compared the original document with this file (who and when, Art. 9)."""
    application = _lock_at_window(submission.application_id, by)
    submission = MaterialSubmission.objects.select_for_update().get(pk=submission.pk, application=application)
    if application.status not in WINDOW_STATUSES or not submission.is_current:
        raise ValidationError(_("该材料当前不能核验原件。"), code="conflict")
    submission.original_verified_by, submission.original_verified_at = by, _now(now)
    submission.save(update_fields=["original_verified_by", "original_verified_at"])
    record(by, "applications.original_verified", application, after={"material": submission.pk}, role=Role.WINDOW_STAFF)
    return submission


@transaction.atomic
def scan_material(
    application: Application,
    by: Any,
    requirement: MaterialRequirement | int,
    upload: UploadedFile,
    *,
    now: datetime.datetime | None = None,
) -> MaterialSubmission:
    """A material scanned at the window from the original shown there (source ``window_scan``,
    original verified by the scanning staff); content-checked like an upload."""
    application = _lock_at_window(application, by)
    if application.status not in WINDOW_STATUSES:
        raise ValidationError(_("已受理的申请不能再补扫材料。"), code="conflict")
    submission = _store(application, _requirement(application, requirement), upload, by, Source.WINDOW_SCAN)
    submission.original_verified_by, submission.original_verified_at = by, _now(now)
    submission.save(update_fields=["original_verified_by", "original_verified_at"])
    record(
        by,
        "applications.material_scanned",
        application,
        after={"material": submission.pk, "sha256": submission.sha256},
        role=Role.WINDOW_STAFF,
    )
    return submission


@transaction.atomic
def continue_on_site(
    application: Application,
    by: Any,
    *,
    centre: ServiceCentre | None = None,
    expected: str | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """The applicant came on site: the SAME record (pre-reviewed, or a pre-review not yet finished)
    moves to awaiting acceptance once every material is there; nothing is entered again."""
    now = _now(now)
    application = _lock_at_window(application, by, expected)
    if application.status not in (Status.SUBMITTED, Status.PRE_REVIEWED):
        raise ValidationError(_("该申请不在预审阶段，无需现场接续。"), code="conflict")
    application.intake_centre = _window_centre(by, application, centre)
    errors = completeness_errors(application, pre_review=False)
    if errors:
        raise ValidationError(errors)
    _receive(application, now)
    transition(
        application,
        Status.AWAITING_ACCEPTANCE,
        by=by,
        action="continued_on_site",
        role=Role.WINDOW_STAFF,
        at=now,
        extra_fields=("intake_centre", "received_at", *clocks.DEADLINE_FIELDS),
    )
    record(by, "applications.continued_on_site", application, role=Role.WINDOW_STAFF, scope=_scope(application))
    return application


def find_or_register_person(
    by: Any, *, name: str, document_number: str, mobile: str = "", as_agent: bool = False
) -> tuple[User, bool]:
    """The walk-in applicant (or, ``as_agent``, the agent acting for them; errors then keyed
    ``agent_*``), identified from the presented resident ID card: the registered person with this
    ID number (the name must match), else a new minimal account (verified by the window, a random
    password the person resets with their mobile number). (person, created)."""
    key = "agent_{}".format if as_agent else str
    errors: dict[str, list[str]] = {}
    try:
        name = validate_person_name(name)
    except ValidationError as exc:
        errors[key("name")] = exc.messages
    try:
        document_number = validate_identity_document(IdentityDocumentType.RESIDENT_ID, document_number)
    except ValidationError as exc:
        errors[key("document_number")] = exc.messages
    if errors:
        raise ValidationError(errors)
    digest = document_hash(IdentityDocumentType.RESIDENT_ID, document_number)
    profile = PersonProfile.objects.select_related("user").filter(document_hash=digest).first()
    if profile is not None:
        if profile.user.name != name or profile.user.kind != UserKind.PERSON:
            raise ValidationError({key("name"): [_("姓名与证件号码不一致，请核对证件。")]})
        return profile.user, False
    try:
        mobile = validate_mobile(mobile)
    except ValidationError as exc:
        first = _("首次办理请填写代办人本人的手机号码。") if as_agent else _("首次办理请填写申请人本人的手机号码。")
        raise ValidationError({key("mobile"): [first, *exc.messages]}) from exc
    if User.objects.filter(mobile_hash=mobile_hash(mobile)).exists():
        raise ValidationError({key("mobile"): [_("该手机号码已被其他账号使用，请核对。")]})
    from govhall.accounts.registration import create_person

    person = create_person(
        name=name,
        document_type=IdentityDocumentType.RESIDENT_ID,
        document_number=document_number,
        mobile=mobile,
        password=secrets.token_urlsafe(24),
        verified_by=f"window:{by.pk}",
    )
    notify.window_account_created(person)
    return person, True


def _identify(errors: dict[str, list[str]], by: Any, **identity: Any) -> tuple[User | None, bool]:
    """:func:`find_or_register_person`, collecting its refusal so that every problem of the
    registration form is listed at once."""
    try:
        return find_or_register_person(by, **identity)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
        return None, False


def _walk_in_agent(
    by: Any, agent: Mapping[str, Any], principal: User | None, errors: dict[str, list[str]]
) -> tuple[User | None, bool, tuple[str, str, int, str] | None]:
    """The agent at the window and the principal's signed authorisation (scanned there): both
    needed together; the agent cannot be the principal. (agent, account created, checked file)."""
    upload = agent.get("authorisation")
    checked = None
    if upload is None:
        errors["authorisation"] = [_("代办须扫描上传委托人签署的授权委托书。")]
    else:
        try:
            checked = check_material(upload)
        except ValidationError as exc:
            errors["authorisation"] = exc.messages
    person, created = _identify(
        errors,
        by,
        name=agent.get("name", ""),
        document_number=agent.get("document_number", ""),
        mobile=agent.get("mobile", ""),
        as_agent=True,
    )
    if person is not None and principal is not None and person.pk == principal.pk:
        errors["agent_document_number"] = [_("代办人与申请人不能是同一人。")]
    return person, created, checked


@transaction.atomic
def register_walk_in(
    by: Any,
    item: ServiceItem,
    *,
    name: str,
    document_number: str,
    mobile: str = "",
    answers: Mapping[str, Any] | None = None,
    centre: ServiceCentre | None = None,
    agent: Mapping[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """A walk-in applicant without any online step (Art. 9): a new record of the same kind, in
    draft until the window has scanned the materials and submits it (:func:`submit_at_window`).

    ``agent`` (代办 at the window): ``name``, ``document_number``, ``mobile`` of the person acting
    for the applicant (identified like the applicant) and ``authorisation``, the principal's signed
    authorisation scanned at the window — kept privately like an online agent's, content-checked
    like a material, its original verified by the registering clerk. The principal is the applicant
    (it is in their 我的办件); the agent the acting person with capacity ``agent``. All or nothing."""
    item = ServiceItem.objects.select_related("department", "published_version").get(pk=item.pk)
    ensure_permission(by, "applications.window", item)
    place = _window_centre(by, item, centre)
    version = _published_version(item)
    errors: dict[str, list[str]] = {}
    person, created = _identify(errors, by, name=name, document_number=document_number, mobile=mobile)
    acting, agent_created, checked = (person, False, None)
    if agent is not None:
        acting, agent_created, checked = _walk_in_agent(by, agent, person, errors)
    if errors:
        raise ValidationError(errors)
    application = Application(
        applicant=person,
        acting_person=acting,
        capacity=Capacity.SELF if agent is None else Capacity.AGENT,
        item=item,
        version=version,
        channel=Channel.WINDOW,
        intake_centre=place,
        form_data=dict(answers or {}),
    )
    if checked is not None:
        _keep_authorisation(application, agent["authorisation"], checked)
        application.authorisation_verified_by, application.authorisation_verified_at = by, _now(now)
    application.save()
    after: dict[str, Any] = {"item": item.implementation_code, "account_created": created}
    if checked is not None:
        after.update(agent=acting.pk, agent_account_created=agent_created, authorisation_sha256=checked[3])
    record(
        by,
        "applications.walk_in_registered",
        application,
        after=after,
        role=Role.WINDOW_STAFF,
        scope=f"centre:{place.pk}",
    )
    return application


@transaction.atomic
def save_window_answers(application: Application, by: Any, answers: Mapping[str, Any]) -> Application:
    """The window fills the walk-in's form (a draft of the window channel only)."""
    application = _lock_at_window(application, by)
    if application.status != Status.DRAFT or application.channel != Channel.WINDOW:
        raise ValidationError(_("只能修改窗口登记的草稿。"), code="not_draft")
    application.form_data = dict(answers)
    application.save(update_fields=["form_data", "updated_at"])
    return application


@transaction.atomic
def submit_at_window(application: Application, by: Any, *, now: datetime.datetime | None = None) -> Application:
    """Submit a walk-in application: the same business number scheme, clocks and SMS receipt as
    online (Art. 11); every problem listed at once."""
    now = _now(now)
    application = _lock_at_window(application, by)
    if application.status != Status.DRAFT or application.channel != Channel.WINDOW:
        raise ValidationError(_("该申请已提交。"), code="conflict")
    if application.item.published_version_id != application.version_id:
        raise ValidationError(_("办事指南已更新，请按现行指南重新登记。"), code="guide_changed")
    _raise_if_incomplete(application)
    number_and_send(application, by, now, role=Role.WINDOW_STAFF)
    record(
        by,
        "applications.submitted_at_window",
        application,
        after={"business_number": application.business_number},
        role=Role.WINDOW_STAFF,
    )
    return application


# --- instant items (即办件, Art. 9) ----------------------------------------------------------------


def _check_instant(application: Application, by: Any) -> None:
    """Only an instant item, and only by someone who holds every role of the way: acceptance,
    each review stage's role and the decision, in the item's department (nothing changes else)."""
    if application.item.case_type != CaseType.INSTANT:
        raise ValidationError(_("承诺件不能当场受理并决定，请按部门审查流程办理。"), code="not_instant")
    if application.status != Status.AWAITING_ACCEPTANCE:
        raise ValidationError(_(CONFLICT), code="conflict")
    ensure_permission(by, "applications.accept", application)
    ensure_permission(by, "applications.decide", application)
    for stage in application.stages:
        if not by.has_role(stage.get("role") or Role.REVIEWER, department=application.department_id):
            raise PermissionDenied


def may_decide_instantly(application: Application, by: Any) -> bool:
    """Whether the one-step decision is open to ``by`` now (the desk shows its form only then)."""
    try:
        _check_instant(application, by)
    except (ValidationError, PermissionDenied):
        return False
    return True


@transaction.atomic
def decide_instantly(
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
    """即办件: accept and decide in one paperless step while the applicant waits — the acceptance
    notice and the decision notice are issued at once; the decision needs the fresh second factor
    as every decision does. All or nothing (one transaction)."""
    now = _now(now)
    locked = lock(application, expected=expected)
    _check_instant(locked, by)
    handling._check_step_up(stepped_up_at, now)
    application = handling.accept(locked, by, expected=Status.AWAITING_ACCEPTANCE, now=now)
    for _stage in application.stages:
        application = handling.complete_stage(application, by, opinion=reasons)
    return handling.decide(
        application,
        by,
        approve=approve,
        reasons=reasons,
        legal_basis=legal_basis,
        stepped_up_at=stepped_up_at,
        now=now,
    )


# --- agents (代办) ---------------------------------------------------------------------------------


def find_principal(name: str, document_number: str) -> User:
    """The registered natural person an agent acts for, by name and resident ID number together."""
    try:
        number = validate_identity_document(IdentityDocumentType.RESIDENT_ID, document_number)
    except ValidationError as exc:
        raise ValidationError({"principal_document_number": exc.messages}) from exc
    digest = document_hash(IdentityDocumentType.RESIDENT_ID, number)
    profile = PersonProfile.objects.select_related("user").filter(document_hash=digest).first()
    if profile is None or profile.user.name != (name or "").strip() or not profile.user.is_active:
        raise ValidationError({"principal": [_("未找到该委托人的实名账号，请核对姓名和身份证号码。")]})
    return profile.user


@transaction.atomic
def start_agent_draft(
    by: Any,
    item: ServiceItem,
    *,
    principal_name: str,
    principal_document_number: str,
    authorisation: UploadedFile,
    channel: str = Channel.ONLINE,
    answers: Mapping[str, Any] | None = None,
) -> Application:
    """A draft made by an agent: the principal is the applicant (it is in their 我的办件), the
    agent the acting person (capacity ``agent``); the signed authorisation document is kept
    privately, content-checked like a material."""
    principal = find_principal(principal_name, principal_document_number)
    if principal.pk == by.pk:
        raise ValidationError({"principal": [_("本人申请请选择“本人”办理身份。")]})
    checked = check_material(authorisation)
    application = start_draft(by, item, capacity=Capacity.AGENT, channel=channel, answers=answers)
    application.applicant = principal
    _keep_authorisation(application, authorisation, checked)
    application.save(update_fields=["applicant", "authorisation", "authorisation_name", "authorisation_sha256"])
    record(by, "applications.agent_draft_started", application, after={"principal": principal.pk, "sha256": checked[3]})
    return application


def _keep_authorisation(application: Application, upload: UploadedFile, checked: tuple[str, str, int, str]) -> None:
    """Store an agent's authorisation document privately (the caller saves the row)."""
    name, content_type, _size, sha256 = checked
    application.authorisation_name, application.authorisation_sha256 = name[:255], sha256
    application._extension = MATERIAL_TYPES[content_type][0]  # from the content, never from the name
    application.authorisation.save("authorisation", upload, save=False)


def current_materials(application: Application):
    """Current files, with who verified the original (for the window desk)."""
    return _current(application).select_related("requirement", "original_verified_by").order_by("requirement__order")
