"""The applicant's side: drafts, materials, submission, correction response, withdrawal.

Regulation Art. 10 (materials given once are not asked for again), Art. 11 (receipt at once),
Art. 12 / Licensing Law Art. 32 (one correction notice; only what it lists may change). Each
service is one transaction: lock, check the permission and the transition, write, append the
timeline, queue the SMS, and record the audit event last.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.accounts.models import EnterpriseProfile
from govhall.catalog.forms_schema import condition_holds, validate_answers
from govhall.catalog.models import MaterialRequirement, Necessity, ServiceItem
from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.core.uploads import HEAD_BYTES, check_upload, detect_type
from govhall.core.workdays.calendar import BEIJING, WorkCalendar
from govhall.licenses.signatures import check_upload as check_signature

from . import clocks, notify, office_clock
from .license_materials import sync_draft as sync_library_materials
from .models import (
    WITHDRAWABLE,
    Application,
    Capacity,
    Channel,
    CorrectionItem,
    MaterialSubmission,
    Notice,
    NoticeKind,
    Source,
    Status,
)
from .numbers import next_business_number
from .rules import is_operator_for
from .scanning.registry import active_scanner
from .transitions import lock, transition

# Issue 7, item 9: PDF, images and OFD only, judged by content.
MATERIAL_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "application/ofd": (".ofd",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
# libmagic names an OFD package (a ZIP) application/zip: accepted only as .ofd with OFD.xml inside.
OFD_PACKAGE: dict[str, tuple[str, ...]] = {"application/zip": (".ofd",)}


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


# --- drafts ----------------------------------------------------------------------------------------


def _acting(by: Any, capacity: str, enterprise: EnterpriseProfile | None) -> Any:
    """The account the application belongs to: the person, or the enterprise an operator acts for."""
    if capacity == Capacity.OPERATOR:
        if enterprise is None or not is_operator_for(by, enterprise.pk, apply=True):
            raise ValidationError(_("您不是该企业的有效经办人，不能以企业名义申请。"), code="not_operator")
        return enterprise.user
    if capacity not in Capacity.values:
        raise ValidationError(_("办理身份无效。"), code="capacity")
    return by


def _published_version(item: ServiceItem) -> Any:
    if item.published_version_id is None:
        raise ValidationError(_("该事项暂无现行办事指南，不能在线申请。"), code="no_guide")
    return item.published_version


def _check_channel(item: ServiceItem, channel: str) -> None:
    """Online or pre-review (Art. 12: only items offering 网上预审); window intake is the window's."""
    if channel == Channel.PRE_REVIEW and not item.pre_review:
        raise ValidationError(_("该事项不提供网上预审。"), code="channel")
    if channel not in (Channel.ONLINE, Channel.PRE_REVIEW):
        raise ValidationError(_("申请渠道无效。"), code="channel")


@transaction.atomic
def start_draft(
    by: Any,
    item: ServiceItem,
    *,
    capacity: str = Capacity.SELF,
    enterprise: EnterpriseProfile | None = None,
    channel: str = Channel.ONLINE,
    answers: Mapping[str, Any] | None = None,
) -> Application:
    """A new draft bound to the item's current guide version (the application keeps that version)."""
    ensure_permission(by, "applications.apply")
    item = ServiceItem.objects.select_related("department", "published_version").get(pk=item.pk)
    _check_channel(item, channel)
    applicant = _acting(by, capacity, enterprise)
    application = Application.objects.create(
        applicant=applicant,
        acting_person=by,
        capacity=capacity,
        enterprise=enterprise if capacity == Capacity.OPERATOR else None,
        item=item,
        version=_published_version(item),
        channel=channel,
        form_data=dict(answers or {}),
    )
    sync_library_materials(application, by)
    record(by, "applications.draft_started", application, after={"item": item.implementation_code})
    return application


@transaction.atomic
def save_draft(application: Application, by: Any, answers: Mapping[str, Any]) -> Application:
    """Keep partial answers (validated only at submission); resumable on another device."""
    application = lock(application)
    ensure_permission(by, "applications.change_own", application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("只能修改草稿。"), code="not_draft")
    if not isinstance(answers, Mapping):
        raise ValidationError(_("表单数据格式无效。"), code="form")
    application.form_data = dict(answers)
    application.save(update_fields=["form_data", "updated_at"])
    sync_library_materials(application, by)
    record(by, "applications.draft_saved", application)
    return application


# --- materials -------------------------------------------------------------------------------------


def _is_ofd(upload: UploadedFile) -> bool:
    try:
        with zipfile.ZipFile(upload) as package:
            names = {name.lower() for name in package.namelist()}
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)
    return "ofd.xml" in names


def check_material(upload: UploadedFile) -> tuple[str, str, int, str]:
    """(original name, content type, size, sha256) of an acceptable material, else a clear refusal."""
    upload.seek(0)
    is_zip = detect_type(upload.read(HEAD_BYTES)) == "application/zip"
    upload.seek(0)
    allowed = OFD_PACKAGE if is_zip else MATERIAL_TYPES
    checked = check_upload(upload, allowed=allowed, max_bytes=settings.APPLICATIONS_MATERIAL_MAX_BYTES)
    content_type = checked.content_type
    if content_type == "application/zip":
        if not _is_ofd(upload):
            raise ValidationError(_("文件“%(name)s”不是有效的OFD文件。") % {"name": checked.name}, code="type")
        content_type = "application/ofd"
    upload.seek(0)
    result = active_scanner().scan(upload)
    upload.seek(0)
    if not result.clean:
        raise ValidationError(_("文件“%(name)s”未通过病毒扫描，不能上传。") % {"name": checked.name}, code="virus")
    return checked.name, content_type, checked.size, checked.sha256


def _current(application: Application, requirement_id: int | None = None):
    materials = application.materials.filter(superseded_by__isnull=True, removed_at__isnull=True)
    return materials.filter(requirement_id=requirement_id) if requirement_id else materials


def _requirement(application: Application, requirement: MaterialRequirement | int) -> MaterialRequirement:
    pk = requirement if isinstance(requirement, int) else requirement.pk
    found = MaterialRequirement.objects.filter(pk=pk, version_id=application.version_id).first()
    if found is None:
        raise ValidationError(_("该材料不属于本事项的办事指南。"), code="requirement")
    return found


def _store(
    application: Application, requirement: MaterialRequirement, upload: UploadedFile, by: Any, source: str
) -> MaterialSubmission:
    limit = max(settings.APPLICATIONS_MATERIAL_MAX_FILES, requirement.count)
    if _current(application, requirement.pk).count() >= limit:
        raise ValidationError(
            _("“%(material)s”最多上传%(n)s个文件。") % {"material": requirement.name, "n": limit}, code="too_many"
        )
    name, content_type, size, sha256 = check_material(upload)
    submission = MaterialSubmission(
        application=application,
        requirement=requirement,
        original_name=name[:255],
        sha256=sha256,
        size=size,
        content_type=content_type,
        source=source,
        uploaded_by=by,
    )
    submission.signature_status, submission.signature_detail = check_signature(upload, content_type)
    submission._extension = MATERIAL_TYPES[content_type][0]  # from the content, never from the name
    submission.file.save("material", upload, save=False)
    submission.save()
    return submission


@transaction.atomic
def add_material(
    application: Application,
    by: Any,
    requirement: MaterialRequirement | int,
    upload: UploadedFile,
    *,
    source: str = Source.UPLOAD,
) -> MaterialSubmission:
    """Attach one file to a material of a draft (type from content, size and count limits, scan)."""
    application = lock(application)
    ensure_permission(by, "applications.change_own", application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("只能在草稿中上传材料；补正请按告知书提交。"), code="not_draft")
    submission = _store(application, _requirement(application, requirement), upload, by, source)
    record(
        by, "applications.material_added", application, after={"material": submission.pk, "sha256": submission.sha256}
    )
    return submission


@transaction.atomic
def remove_material(submission: MaterialSubmission, by: Any) -> None:
    """Remove a file from a draft (kept on record, marked removed)."""
    application = lock(submission.application_id)
    ensure_permission(by, "applications.change_own", application)
    submission = MaterialSubmission.objects.get(pk=submission.pk, application=application)
    if application.status != Status.DRAFT or not submission.is_current:
        raise ValidationError(_("只能删除草稿中的材料。"), code="not_draft")
    submission.removed_at = timezone.now()
    submission.save(update_fields=["removed_at"])
    record(by, "applications.material_removed", application, before={"material": submission.pk})


# --- completeness ---------------------------------------------------------------------------------


def correction_returns_to(application: Application) -> str:
    """Where a correction response goes: back to pre-review when the pre-review returned it
    (Art. 12, issue 8), else to acceptance."""
    entry = application.timeline.filter(to_status=Status.CORRECTION_REQUESTED).order_by("-at", "-pk").first()
    return (
        Status.SUBMITTED if entry is not None and entry.from_status == Status.SUBMITTED else Status.AWAITING_ACCEPTANCE
    )


def in_pre_review(application: Application) -> bool:
    """Before the on-site check of a pre-review application (draft, pre-review, or its correction)."""
    if application.channel != Channel.PRE_REVIEW:
        return False
    if application.status == Status.CORRECTION_REQUESTED:
        return correction_returns_to(application) == Status.SUBMITTED
    return application.status in (Status.DRAFT, Status.SUBMITTED)


def needed_requirements(application: Application, *, pre_review: bool | None = None) -> list[MaterialRequirement]:
    """Required materials, and conditional ones whose condition holds for the answers; during a
    pre-review only those the guide version marks ``needed_for_pre_review`` (Art. 12)."""
    if pre_review is None:
        pre_review = in_pre_review(application)
    needed = []
    for requirement in application.version.materials.all():
        if pre_review and not requirement.needed_for_pre_review:
            continue
        if requirement.necessity == Necessity.REQUIRED or (
            requirement.condition and condition_holds(requirement.condition, application.form_data)
        ):
            needed.append(requirement)
    return needed


def completeness_errors(application: Application, *, pre_review: bool | None = None) -> dict[str, list[str]]:
    """Every problem at once: form fields (``form.<key>``), missing materials (``material.<id>``),
    and an agent's missing authorisation document (``authorisation``)."""
    errors = {
        f"form.{key}": messages
        for key, messages in validate_answers(application.version.form_definition or {}, application.form_data).items()
    }
    present = set(_current(application).values_list("requirement_id", flat=True))
    for requirement in needed_requirements(application, pre_review=pre_review):
        if requirement.pk not in present:
            errors[f"material.{requirement.pk}"] = [_("请上传“%(name)s”。") % {"name": requirement.name}]
    if application.capacity == Capacity.AGENT and not application.authorisation:
        errors["authorisation"] = [_("代办须上传委托人签署的授权委托书。")]
    return errors


def _raise_if_incomplete(application: Application) -> None:
    errors = completeness_errors(application)
    if errors:
        raise ValidationError(errors)


# --- submission ------------------------------------------------------------------------------------


def _receive(application: Application, now: datetime.datetime) -> None:
    """The materials arrived: the acceptance clock (Art. 32) runs from now."""
    application.received_at = now
    application.acceptance_due = None
    clocks.apply_deadlines(application, WorkCalendar())


@transaction.atomic
def submit(application: Application, by: Any, *, now: datetime.datetime | None = None) -> Application:
    """Submit a complete draft: business number, acceptance deadline, timeline, Art. 11 SMS receipt.

    The guide version must still be the item's current one (a changed guide may ask for other
    materials: the applicant starts again under the new version)."""
    now = _now(now)
    application = lock(application)
    ensure_permission(by, "applications.change_own", application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("该申请已提交。"), code="conflict")
    if application.item.published_version_id != application.version_id:
        raise ValidationError(_("办事指南已更新，请按现行指南重新填写申请。"), code="guide_changed")
    sync_library_materials(application, by)
    _raise_if_incomplete(application)
    number_and_send(application, by, now, role="applicant")
    record(by, "applications.submitted", application, after={"business_number": application.business_number})
    return application


def number_and_send(application: Application, by: Any, now: datetime.datetime, *, role: str) -> None:
    """The common end of every submission, online or at the window (one numbering scheme, one
    receipt, Art. 11): business number, clocks, timeline, SMS receipt. The caller holds the lock."""
    application.business_number = next_business_number(
        application.item.implementation_code, timezone.localdate(now, timezone=BEIJING)
    )
    application.submitted_at = now
    _receive(application, now)
    extra: tuple[str, ...] = ()
    target = Status.AWAITING_ACCEPTANCE
    if application.channel == Channel.PRE_REVIEW:
        target, extra = Status.SUBMITTED, office_clock.start(application, now)
    transition(
        application,
        target,
        by=by,
        action="submitted",
        role=role,
        at=now,
        extra_fields=("business_number", "submitted_at", "received_at", *clocks.DEADLINE_FIELDS, *extra),
    )
    notify.receipt(application)


@transaction.atomic
def withdraw(application: Application, by: Any, *, reason: str = "", expected: str | None = None) -> Application:
    """The applicant withdraws before a decision (after it, the decision stands)."""
    application = lock(application, expected=expected)
    ensure_permission(by, "applications.change_own", application)
    if application.status not in WITHDRAWABLE:
        raise ValidationError(_("已作出决定的申请不能撤回。"), code="decided")
    before = application.status
    application.closed_at = timezone.now()
    transition(
        application,
        Status.WITHDRAWN,
        by=by,
        action="withdrawn",
        role="applicant",
        comment=reason.strip(),
        extra_fields=("closed_at",),
    )
    record(by, "applications.withdrawn", application, before={"status": before}, reason=reason.strip())
    return application


# --- correction response ---------------------------------------------------------------------------


def open_correction(application: Application) -> Notice:
    notice = application.notices.filter(kind=NoticeKind.CORRECTION).order_by("-created_at", "-pk").first()
    if notice is None:
        raise ValidationError(_("没有待补正的告知书。"), code="no_notice")
    return notice


def _changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str]:
    return {key for key in set(old) | set(new) if old.get(key) != new.get(key)}


def _check_only_listed(
    notice: Notice, old: Mapping[str, Any], new: Mapping[str, Any], uploads: Mapping[int, Any]
) -> None:
    """Art. 12: only the fields and materials the notice lists may change."""
    items = list(CorrectionItem.objects.filter(notice=notice))
    fields = {item.field for item in items if item.field}
    materials = {item.requirement_id for item in items if item.requirement_id}
    extra_fields = sorted(_changed_fields(old, new) - fields)
    extra_materials = sorted(set(uploads) - materials)
    if extra_fields or extra_materials:
        raise ValidationError(
            _("只能补正告知书列出的内容；以下内容未列入告知书，不能修改：%(items)s")
            % {"items": "、".join([*extra_fields, *(str(pk) for pk in extra_materials)])},
            code="not_listed",
        )
    missing = sorted(materials - set(uploads))
    if missing:
        names = MaterialRequirement.objects.filter(pk__in=missing).values_list("name", flat=True)
        raise ValidationError(
            _("请补正告知书列出的材料：%(names)s") % {"names": "、".join(names)}, code="missing_material"
        )


def _replace_materials(application: Application, uploads: Mapping[int, Iterable[UploadedFile]], by: Any) -> None:
    """New files for the listed materials; the old ones stay on record, superseded."""
    for requirement_id, files in uploads.items():
        requirement = _requirement(application, requirement_id)
        old = list(_current(application, requirement_id))
        for stale in old:  # count limit applies to the new set, not old + new
            stale.removed_at = timezone.now()
        MaterialSubmission.objects.bulk_update(old, ["removed_at"])
        new = [_store(application, requirement, upload, by, Source.UPLOAD) for upload in files]
        if not new:
            raise ValidationError(_("请上传“%(name)s”。") % {"name": requirement.name}, code="missing_material")
        for stale in old:
            stale.removed_at, stale.superseded_by = None, new[0]
        MaterialSubmission.objects.bulk_update(old, ["removed_at", "superseded_by"])


@transaction.atomic
def respond_to_correction(
    application: Application,
    by: Any,
    *,
    answers: Mapping[str, Any] | None = None,
    uploads: Mapping[int, Iterable[UploadedFile]] | None = None,
    now: datetime.datetime | None = None,
) -> Application:
    """Resubmit after a correction notice: only listed fields and materials change, everything
    else is kept; the acceptance clock restarts from the complete materials (Art. 32)."""
    now = _now(now)
    application = lock(application)
    ensure_permission(by, "applications.change_own", application)
    if application.status != Status.CORRECTION_REQUESTED:
        raise ValidationError(_("该申请当前无需补正。"), code="conflict")
    notice = open_correction(application)
    old = dict(application.form_data)
    new = {**old, **dict(answers or {})}
    uploads = {int(key): list(files) for key, files in (uploads or {}).items()}
    _check_only_listed(notice, old, new, uploads)
    application.form_data = new
    _replace_materials(application, uploads, by)
    _raise_if_incomplete(application)
    _receive(application, now)
    target, extra = correction_returns_to(application), ()
    if target == Status.SUBMITTED:
        extra = office_clock.start(application, now)
    transition(
        application,
        target,
        by=by,
        action="correction_submitted",
        role="applicant",
        at=now,
        extra_fields=("form_data", "received_at", *clocks.DEADLINE_FIELDS, *extra),
    )
    record(by, "applications.correction_submitted", application, after={"fields": sorted(_changed_fields(old, new))})
    return application
