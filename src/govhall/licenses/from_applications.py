"""The decision issues the license (issue 9 item 2; regulation Art. 13: results are electronically
signed and turned into e-licenses before issuance).

``issue_on_approval`` runs inside ``applications.handling.decide``'s transaction: each license type
the item results in is issued at once to the applicant (the person, or the enterprise's account when
an operator applied). When it cannot be issued now — the department recorded an outage for that
type (Art. 14 para 3), or it has no signing certificate yet — a ``PendingIssuance`` row says so on
the timeline, and ``issue_pending`` (the licenses sweep; also ``init_pki``) issues it later.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as official  # signed license content: always Chinese

from govhall.catalog.models import LicenseType
from govhall.licenses import outages
from govhall.licenses.models import License, PendingIssuance
from govhall.licenses.pki import active_certificate
from govhall.licenses.services import issue_license

# Face fields that name the holder, whatever the license type calls them.
HOLDER_NAME_FIELDS = {"name", "operator", "holder", "holder_name", "holder_a", "enterprise_name", "applicant_name"}
MAX_ATTEMPTS = 50


def licensed_content(application: Any, license_type: LicenseType) -> dict[str, str]:
    """The license face: the applicant's answer of the same name where the form asked for it; the
    holder's name or USCC for the fields that name them; otherwise a pointer to the decision."""
    answers = application.form_data or {}
    enterprise = (
        getattr(application.applicant, "enterprise", None) if application.applicant.kind == "enterprise" else None
    )
    data = {}
    for field in license_type.fields or []:
        name = field["name"]
        value = answers.get(name)
        if isinstance(value, (str, int, float)) and str(value).strip():
            data[name] = str(value).strip()
        elif name in HOLDER_NAME_FIELDS:
            data[name] = application.applicant.name
        elif name == "uscc" and enterprise is not None:
            data[name] = enterprise.uscc
        elif name == "license_number":
            data[name] = application.business_number
        else:
            data[name] = official("见行政许可决定书（%(number)s）") % {"number": application.business_number}
    return data


def _blocker(application: Any, license_type: LicenseType) -> str:
    """Why the license cannot be issued now ("" when it can)."""
    found = outages.covering([license_type])
    if found:
        return _("证照服务中断：%(reason)s") % {"reason": found[0].reason}
    if active_certificate(application.item.department) is None:
        return _("颁发机构尚无有效的签名证书")
    return ""


def _issue(application: Any, license_type: LicenseType, by: Any) -> License:
    return issue_license(
        license_type,
        application.applicant,
        licensed_content(application, license_type),
        application.item.department,
        by,
        source_application=application,
    )


def _timeline(application: Any, by: Any, comment: str, at: datetime.datetime | None = None) -> None:
    from govhall.applications.transitions import append

    append(
        application,
        "license",
        by=by,
        from_status=application.status,
        role="decider" if by else "",
        comment=comment,
        at=at,
    )


def issue_on_approval(application: Any, by: Any) -> list[License]:
    """Issue every result license of the approved application now, or record it as pending."""
    issued = []
    for license_type in application.item.result_license_types.filter(is_active=True).order_by("pk"):
        blocker = _blocker(application, license_type)
        if not blocker:
            try:
                with transaction.atomic():
                    license = _issue(application, license_type, by)
            except ValidationError as refused:
                blocker = " ".join(refused.messages)
            except PermissionDenied as refused:  # the decision stands; the sweep issues as the system
                blocker = str(refused) or _("无权颁发")
            except IntegrityError:  # a constraint refused the row (serials come from a locked sequence): retry later
                blocker = _("证照编号冲突，稍后自动重试")
            else:
                issued.append(license)
                _timeline(application, by, _issued_comment(license))
                continue
        PendingIssuance.objects.get_or_create(
            application=application, license_type=license_type, defaults={"reason": blocker[:500]}
        )
        _timeline(
            application,
            by,
            _("“%(type)s”电子证照暂缓颁发（%(reason)s），恢复后自动颁发。")
            % {"type": license_type.name, "reason": blocker},
        )
    return issued


def _issued_comment(license: License) -> str:
    return _("已颁发电子证照“%(type)s”，证照标识 %(identifier)s，可在“我的证照”中查看和下载。") % {
        "type": license.license_type.name,
        "identifier": license.identifier,
    }


def issue_pending(now: datetime.datetime | None = None) -> int:
    """The sweep: issue each pending license whose blocker has gone; one transaction each."""
    count = 0
    pending = PendingIssuance.objects.filter(license__isnull=True, attempts__lt=MAX_ATTEMPTS).values_list(
        "pk", flat=True
    )
    for pk in list(pending[:1000]):
        count += _issue_one_pending(pk, now or timezone.now())
    return count


@transaction.atomic
def _issue_one_pending(pk: int, now: datetime.datetime) -> int:
    row = PendingIssuance.objects.select_for_update().select_related("license_type").get(pk=pk)
    if row.license_id is not None:
        return 0
    from govhall.applications.transitions import lock

    application = lock(row.application_id)
    if _blocker(application, row.license_type):
        return 0
    row.attempts += 1
    try:
        with transaction.atomic():
            license = _issue(application, row.license_type, None)
    except ValidationError as refused:
        row.reason = " ".join(refused.messages)[:500]
        row.save(update_fields=["attempts", "reason"])
        return 0
    row.license, row.issued_at = license, now
    row.save(update_fields=["attempts", "license", "issued_at"])
    _timeline(application, None, _issued_comment(license), at=now)
    _notify_issued(application, license)
    return 1


def _notify_issued(application: Any, license: License) -> None:
    """The decision SMS went out without the license: tell the applicant it is there now."""
    from govhall.applications import notify
    from govhall.notifications.catalog import TemplateCode

    notify.to_applicant(
        application, TemplateCode.LICENSE_ISSUED, f"license:{license.pk}", license=license.license_type.name[:20]
    )
