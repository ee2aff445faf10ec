"""No repeated proof (regulation Art. 13; issue 9 item 6): a material that a license type can replace
is satisfied from the e-license library when the applicant holds a valid license of that type.

The draft gets a ``MaterialSubmission(source="e_license", license=..., no file)``; the applicant
uploads nothing. The reference is re-checked at submission (a license revoked meanwhile, or an
outage of its type, drops it and the material is asked for as an upload) and again at acceptance:
a cited license that is no longer valid refuses the acceptance with a message naming the material,
so the acceptor asks for that material by a correction notice instead (the applicant then uploads
it). The acceptance check is logged as a use of the license (purpose 受理审查) the holder sees.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from govhall.catalog.models import MaterialRequirement
from govhall.licenses import outages
from govhall.licenses.models import License, LicenseStatus
from govhall.licenses.wallet import record_staff_access

from .models import Application, MaterialSubmission, Source, Status

ACCEPTANCE_PURPOSE = gettext_noop("受理审查")  # stored as data, shown to the holder


def valid_licenses(holder: Any, license_types: list[Any]) -> Any:
    today = timezone.localdate()
    return (
        License.objects.filter(holder=holder, license_type__in=license_types, status=LicenseStatus.VALID)
        .filter(valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("license_type")
        .order_by("-issued_at")
    )


def usable_types(requirement: MaterialRequirement) -> list[Any]:
    """The replacing license types whose department has no outage in force (Art. 14 para 3)."""
    types = list(requirement.replacing_license_types.all())
    blocked = {license_type.pk for outage in outages.covering(types) for license_type in outage.license_types.all()}
    return [license_type for license_type in types if license_type.pk not in blocked]


def library_license(applicant: Any, requirement: MaterialRequirement) -> License | None:
    """The applicant's newest valid license that replaces ``requirement``, if any."""
    types = usable_types(requirement)
    return valid_licenses(applicant, types).first() if types else None


def outage_notices(requirement: MaterialRequirement) -> list[Any]:
    return outages.covering(requirement.replacing_license_types.all())


def _is_current_license(submission: MaterialSubmission, license: License | None) -> bool:
    return license is not None and submission.license_id == license.pk


def sync_draft(application: Application, by: Any) -> None:
    """Attach library licenses to the needed materials that have nothing yet, and drop references
    to licenses no longer usable. The caller holds the application lock (a draft)."""
    from .submission import needed_requirements

    if application.status != Status.DRAFT:
        return
    current: dict[int, list[MaterialSubmission]] = {}
    for submission in application.materials.filter(superseded_by__isnull=True, removed_at__isnull=True):
        current.setdefault(submission.requirement_id, []).append(submission)
    now = timezone.now()
    for requirement in needed_requirements(application):
        if not requirement.replacing_license_types.exists():
            continue
        license = library_license(application.applicant, requirement)
        given = current.get(requirement.pk, [])
        for stale in [s for s in given if s.source == Source.E_LICENSE and not _is_current_license(s, license)]:
            stale.removed_at = now
            stale.save(update_fields=["removed_at"])
            given.remove(stale)
        if license is not None and not given:
            _reference(application, requirement, license, by)


def _reference(application: Application, requirement: MaterialRequirement, license: License, by: Any) -> None:
    MaterialSubmission.objects.create(
        application=application,
        requirement=requirement,
        license=license,
        source=Source.E_LICENSE,
        original_name=f"{license.license_type.name}（{license.identifier}）"[:255],
        sha256=license.issuance.pdf_sha256,
        size=0,
        content_type="application/pdf",
        uploaded_by=by,
    )


def check_at_acceptance(application: Application, by: Any) -> None:
    """Every cited license must still be valid; each check is a use the holder sees."""
    cited = (
        application.materials.filter(source=Source.E_LICENSE, superseded_by__isnull=True, removed_at__isnull=True)
        .select_related("license__license_type", "requirement")
        .order_by("requirement__order")
    )
    today = timezone.localdate()
    for submission in cited:
        license = submission.license
        expired = license.valid_until is not None and license.valid_until < today
        if license.status != LicenseStatus.VALID or expired:
            status = LicenseStatus.EXPIRED.label if expired else license.get_status_display()
            raise ValidationError(
                _(
                    "材料“%(material)s”引用的电子证照（%(identifier)s）当前状态为“%(status)s”，不能据此受理；"
                    "请通过补正告知书要求申请人提交该材料。"
                )
                % {"material": submission.requirement.name, "identifier": license.identifier, "status": status},
                code="license_not_valid",
            )
        record_staff_access(
            license,
            by,
            purpose=ACCEPTANCE_PURPOSE,
            reference=application.business_number,
            department=application.item.department,
        )
