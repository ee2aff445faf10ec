"""Outage notices (Art. 14 para 3): a department that cannot issue or update licenses says so.

While an outage covers a license type: the apply form does not take that type from the library
(the applicant uploads, and sees the notice), and a license of that type due on approval is
recorded as pending (``PendingIssuance``) and issued by the sweep once the outage has ended.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.catalog.models import LicenseType
from govhall.core.audit.services import record
from govhall.core.permissions import ensure_permission
from govhall.directory.models import Department
from govhall.licenses.models import Outage


def active(at: datetime.datetime | None = None) -> QuerySet[Outage]:
    at = at or timezone.now()
    return Outage.objects.filter(starts_at__lte=at).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))


def covering(license_types: Iterable[LicenseType | int], at: datetime.datetime | None = None) -> list[Outage]:
    """The outages in force now that cover any of ``license_types``."""
    ids = [getattr(license_type, "pk", license_type) for license_type in license_types]
    if not ids:
        return []
    return list(
        active(at)
        .filter(license_types__in=ids)
        .select_related("department")
        .prefetch_related("license_types")
        .distinct()
    )


@transaction.atomic
def record_outage(
    department: Department,
    by: Any,
    *,
    license_types: Iterable[LicenseType],
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None,
    reason: str,
) -> Outage:
    """The department records the notice; the city office sees it in its list (Art. 14 para 3)."""
    ensure_permission(by, "licenses.record_outage", department)
    license_types = list(license_types)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("请填写中断原因。")
    if not license_types:
        errors["license_types"] = _("请选择受影响的证照类型。")
    if starts_at is None:
        errors["starts_at"] = _("请填写开始时间。")
    elif ends_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("结束时间必须晚于开始时间。")
    if errors:
        raise ValidationError(errors)
    outage = Outage.objects.create(
        department=department, starts_at=starts_at, ends_at=ends_at, reason=reason[:500], recorded_by=by
    )
    outage.license_types.set(license_types)
    record(
        by,
        "licenses.outage_recorded",
        outage,
        after={"types": [lt.type_code for lt in license_types], "starts_at": starts_at, "ends_at": ends_at},
        reason=reason,
    )
    return outage


@transaction.atomic
def end_outage(outage: Outage, by: Any, *, at: datetime.datetime | None = None) -> Outage:
    """Service restored: the outage ends now (pending licenses go out with the next sweep)."""
    outage = Outage.objects.select_for_update().get(pk=outage.pk)
    ensure_permission(by, "licenses.record_outage", outage)
    at = at or timezone.now()
    if outage.ends_at is not None and outage.ends_at <= at:
        raise ValidationError(_("该中断告知已结束。"))
    if at <= outage.starts_at:
        raise ValidationError(_("中断尚未开始，不能结束。"))
    outage.ends_at = at
    outage.save(update_fields=["ends_at"])
    record(by, "licenses.outage_ended", outage, after={"ends_at": at})
    return outage
