"""Every change to the item library: one transaction each — lock, permission, write, audit (last).

The guide lifecycle (Art. 7): the department's guide editor edits a draft and submits it; the
owning office publishes it (after the publication checks) or returns it with a reason. A published
version is immutable (Art. 23); a change starts a new draft copied from it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.catalog import checks, queries
from govhall.catalog.forms_schema import validate_definition
from govhall.catalog.models import (
    OPEN_STATUSES,
    GuideVersion,
    LicenseType,
    MaterialRequirement,
    ServiceItem,
    VersionStatus,
)
from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.core.uploads import check_upload

ITEM_FIELDS = (
    "basic_code",
    "implementation_code",
    "name",
    "item_type",
    "department",
    "region",
    "service_object",
    "case_type",
    "booking",
    "pre_review",
    "full_online",
    "online_payment",
    "delivery",
    "themes",
    "aliases",
    "keywords",
)

GUIDE_FIELDS = (
    "conditions",
    "legal_basis",
    "statutory_limit",
    "statutory_unit",
    "statutory_note",
    "promised_limit",
    "promised_unit",
    "promised_note",
    "special_or_complex",
    "on_site_visits",
    "fees",
    "window_steps",
    "online_steps",
    "review_stages",
    "special_procedures",
    "faq",
    "consultation_phone",
    "complaint_phone",
    "form_definition",
)

MATERIAL_FIELDS = (
    "name",
    "necessity",
    "condition",
    "form",
    "source",
    "count",
    "paper_spec",
    "notes",
    "acceptance_standard",
    "needed_for_pre_review",
    "non_shareable_legal_basis",
    "blank_form",
    "sample",
)
MATERIAL_FILE_FIELDS = ("blank_form", "sample")

# The guide lifecycle on one screen (Art. 7).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    VersionStatus.DRAFT: frozenset({VersionStatus.SUBMITTED}),
    VersionStatus.RETURNED: frozenset({VersionStatus.SUBMITTED}),
    VersionStatus.SUBMITTED: frozenset({VersionStatus.PUBLISHED, VersionStatus.RETURNED}),
    VersionStatus.PUBLISHED: frozenset({VersionStatus.SUPERSEDED}),
    VersionStatus.SUPERSEDED: frozenset(),
}
EDITABLE_STATUSES = (VersionStatus.DRAFT, VersionStatus.RETURNED)


def _move(version: GuideVersion, target: str) -> None:
    if target not in ALLOWED_TRANSITIONS[version.status]:
        raise ValidationError(
            {"status": _("指南版本当前为“%(status)s”，不能执行此操作。") % {"status": version.get_status_display()}}
        )
    version.status = target


def _lock_version(version_id: int) -> GuideVersion:
    return GuideVersion.objects.select_for_update(of=("self",)).select_related("item__region").get(pk=version_id)


def _unknown(changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError({field: _("该字段不可修改。") for field in sorted(unknown)})


@transaction.atomic
def create_item(*, by: Any, result_license_types: list[int] | None = None, **fields: Any) -> ServiceItem:
    """Add an item to the library (Art. 4): by its owning office or its department."""
    _unknown(fields, ITEM_FIELDS)
    item = ServiceItem(**fields)
    ensure_permission(by, "catalog.create_item", item)
    item.full_clean()
    item.save()
    if result_license_types:
        item.result_license_types.set(LicenseType.objects.filter(pk__in=result_license_types))
    record(by, "catalog.item_created", item, after=model_to_dict(item, fields=list(ITEM_FIELDS)))
    return item


# Once an item is published, its codes, department and region are its identity (applications and
# licenses refer to them): a change there is a new item, not an edit.
IDENTITY_FIELDS = ("basic_code", "implementation_code", "department", "region")


@transaction.atomic
def update_item(item_id: int, *, by: Any, result_license_types: list[int] | None = None, **changes: Any) -> ServiceItem:
    """The owning office changes an item's own fields (Art. 7: it publishes what the public sees).

    A published item keeps its identity, and its published guide must still pass the publication
    checks with the new fields (an instant item with two review stages is refused, Art. 9).
    """
    item = ServiceItem.objects.select_for_update(of=("self",)).select_related("region").get(pk=item_id)
    ensure_permission(by, "catalog.update_item", item)
    _unknown(changes, ITEM_FIELDS)
    if item.published_version_id is not None:
        frozen = [name for name in IDENTITY_FIELDS if name in changes and changes[name] != getattr(item, name)]
        if frozen:
            raise ValidationError({name: _("事项已发布，不能修改编码、实施主体或所属区划。") for name in frozen})
    before = model_to_dict(item, fields=list(changes))
    for name, value in changes.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    if result_license_types is not None:
        item.result_license_types.set(LicenseType.objects.filter(pk__in=result_license_types))
    if item.published_version_id is not None:
        found = checks.problems(GuideVersion.objects.select_related("item").get(pk=item.published_version_id))
        if found:
            raise ValidationError({"__all__": found})
        transaction.on_commit(queries.bump_version)
    after = model_to_dict(item, fields=list(changes))
    record(
        by, "catalog.item_updated", item, before=before, after={**after, "result_license_types": result_license_types}
    )
    return item


LICENSE_TYPE_FIELDS = (
    "type_code",
    "name",
    "defining_department",
    "fields",
    "validity_rule",
    "print_template",
    "is_active",
)


@transaction.atomic
def create_license_type(*, by: Any, **fields: Any) -> LicenseType:
    """Register a license type (GB/T 36903/36904) in the library: the city office (Art. 4)."""
    ensure_permission(by, "catalog.manage_license_types")
    _unknown(fields, LICENSE_TYPE_FIELDS)
    license_type = LicenseType(**fields)
    license_type.full_clean()
    license_type.save()
    record(by, "catalog.license_type_created", license_type, after={"type_code": license_type.type_code})
    return license_type


def _next_number(item: ServiceItem) -> int:
    return (item.versions.aggregate(top=Max("number"))["top"] or 0) + 1


def _copy_materials(source: GuideVersion, target: GuideVersion) -> None:
    for material in source.materials.prefetch_related("replacing_license_types"):
        copy = MaterialRequirement.objects.create(
            version=target, order=material.order, **{name: getattr(material, name) for name in MATERIAL_FIELDS}
        )
        copy.replacing_license_types.set(material.replacing_license_types.all())


@transaction.atomic
def start_draft(item_id: int, *, by: Any) -> GuideVersion:
    """Open a new draft: a copy of the published version (fields, materials, places), or empty."""
    item = (
        ServiceItem.objects.select_for_update(of=("self",))
        .select_related("region", "published_version")
        .get(pk=item_id)
    )
    ensure_permission(by, "catalog.edit_guide", item)
    if item.versions.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError({"status": _("该事项已有未发布的指南版本，请在其基础上修改。")})
    published = item.published_version
    copied = {name: getattr(published, name) for name in GUIDE_FIELDS} if published else {}
    draft = GuideVersion.objects.create(item=item, number=_next_number(item), created_by=by, **copied)
    if published:
        draft.centres.set(published.centres.all())
        _copy_materials(published, draft)
    record(by, "catalog.draft_started", draft, after={"number": draft.number, "from": published and published.pk})
    return draft


def _editable(version_id: int, by: Any) -> GuideVersion:
    version = _lock_version(version_id)
    ensure_permission(by, "catalog.edit_guide", version)
    if version.status not in EDITABLE_STATUSES:
        raise ValidationError({"status": _("只有草稿或已退回的指南版本可以修改。")})
    return version


@transaction.atomic
def update_draft(version_id: int, *, by: Any, centres: list[int] | None = None, **fields: Any) -> GuideVersion:
    """Change a draft's guide elements (Art. 17); a returned version becomes a draft again."""
    version = _editable(version_id, by)
    _unknown(fields, GUIDE_FIELDS)
    if "form_definition" in fields:
        validate_definition(fields["form_definition"])
    before = model_to_dict(version, fields=list(fields))
    for name, value in fields.items():
        setattr(version, name, value)
    version.status = VersionStatus.DRAFT
    version.full_clean(exclude=["item", "number", "centres"], validate_unique=False, validate_constraints=False)
    version.save()
    if centres is not None:
        version.centres.set(centres)
    after = model_to_dict(version, fields=list(fields))
    record(by, "catalog.draft_updated", version, before=before, after={**after, "centres": centres})
    return version


def _check_files(data: dict[str, Any]) -> None:
    """Blank forms and samples are downloaded by the public: documents only, never executables."""
    errors = {}
    for name in MATERIAL_FILE_FIELDS:
        if isinstance(data.get(name), UploadedFile):
            try:
                check_upload(data[name])
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


def _material(version: GuideVersion, order: int, data: dict[str, Any]) -> MaterialRequirement:
    """One material row; ``blank_form`` / ``sample`` are a new upload or the stored name to keep."""
    license_types = data.pop("replacing_license_types", [])
    _unknown(data, MATERIAL_FIELDS)
    material = MaterialRequirement(version=version, order=order, **data)
    try:
        _check_files(data)
        material.full_clean(exclude=["version", "replacing_license_types"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError({f"materials[{order - 1}].{k}": v for k, v in exc.message_dict.items()}) from exc
    material.save()
    material.replacing_license_types.set(LicenseType.objects.filter(pk__in=license_types))
    return material


@transaction.atomic
def set_materials(version_id: int, *, by: Any, materials: list[dict[str, Any]]) -> list[MaterialRequirement]:
    """Replace a draft's material list (Art. 13, 17); ``replacing_license_types`` are LicenseType ids."""
    version = _editable(version_id, by)
    before = list(version.materials.values_list("name", flat=True))
    version.materials.all().delete()
    created = [_material(version, order, dict(data)) for order, data in enumerate(materials, start=1)]
    if version.status == VersionStatus.RETURNED:
        version.status = VersionStatus.DRAFT
        version.save(update_fields=["status"])
    record(
        by,
        "catalog.materials_set",
        version,
        before={"materials": before},
        after={"materials": [m.name for m in created]},
    )
    return created


@transaction.atomic
def submit(version_id: int, *, by: Any) -> GuideVersion:
    """The department confirms the guide and submits it to the owning office (Art. 7)."""
    version = _lock_version(version_id)
    ensure_permission(by, "catalog.submit_guide", version)
    _move(version, VersionStatus.SUBMITTED)
    version.submitted_by, version.submitted_at = by, timezone.now()
    version.save(update_fields=["status", "submitted_by", "submitted_at"])
    record(by, "catalog.guide_submitted", version, after={"status": version.status})
    return version


@transaction.atomic
def publish(version_id: int, *, by: Any) -> GuideVersion:
    """The owning office publishes a submitted guide after the publication checks pass (Art. 7, 10, 17).

    The previous published version becomes ``superseded`` and stays readable as history.
    """
    version = _lock_version(version_id)
    ensure_permission(by, "catalog.publish_guide", version)
    _move(version, VersionStatus.PUBLISHED)
    found = checks.problems(version)
    if found:
        raise ValidationError({"__all__": found})
    item = ServiceItem.objects.select_for_update().get(pk=version.item_id)
    previous = item.published_version_id
    if previous is not None:
        old = GuideVersion.objects.select_for_update().get(pk=previous)
        old.status = VersionStatus.SUPERSEDED
        old.save(update_fields=["status"])
    version.published_by, version.published_at = by, timezone.now()
    version.save(update_fields=["status", "published_by", "published_at"])
    item.published_version = version
    item.save(update_fields=["published_version", "updated_at"])
    transaction.on_commit(queries.bump_version)
    record(
        by,
        "catalog.guide_published",
        version,
        before={"published_version": previous},
        after={"published_version": version.pk},
    )
    return version


@transaction.atomic
def return_draft(version_id: int, *, by: Any, reason: str) -> GuideVersion:
    """The owning office returns a submitted guide to the department, with its reasons (Art. 7)."""
    version = _lock_version(version_id)
    ensure_permission(by, "catalog.return_guide", version)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退回理由。")})
    _move(version, VersionStatus.RETURNED)
    version.returned_reason = reason.strip()
    version.save(update_fields=["status", "returned_reason"])
    record(by, "catalog.guide_returned", version, after={"status": version.status}, reason=version.returned_reason)
    return version


@transaction.atomic
def save_draft(
    version_id: int,
    *,
    by: Any,
    materials: list[dict[str, Any]],
    centres: list[int] | None = None,
    **fields: Any,
) -> GuideVersion:
    """The guide editor's one "save": guide elements and the material list together, all or nothing
    (a refused upload leaves the draft exactly as it was)."""
    version = update_draft(version_id, by=by, centres=centres, **fields)
    set_materials(version_id, by=by, materials=materials)
    return version
