import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govhall.accounts.tests.factories import RoleAssignmentFactory
from govhall.core.audit.models import AuditEvent
from govhall.licenses.models import AppendOnlyError, LicenseStatus
from govhall.licenses.services import change_status, expire_due
from govhall.licenses.tasks import sweep
from govhall.notifications.models import Message


def test_a_status_change_is_recorded_audited_and_told_to_the_holder(issued, holder, department):
    holder.mobile = "13900000009"
    holder.save()
    head = RoleAssignmentFactory(role="department_head", department=department).user
    change_status(issued, LicenseStatus.SUSPENDED, "整改期间暂停经营", by=head)
    issued.refresh_from_db()
    assert issued.status == LicenseStatus.SUSPENDED
    last = issued.status_changes.last()
    assert (last.from_status, last.to_status, last.changed_by) == ("01", "02", head)
    assert AuditEvent.objects.filter(action="licenses.status_changed", object_id=str(issued.pk)).exists()
    message = Message.objects.get(template_code="license_status_changed")
    assert "暂停" in message.text


def test_status_changes_need_a_reason_a_known_status_and_the_issuing_department(issued, other_department):
    with pytest.raises(ValidationError):
        change_status(issued, LicenseStatus.REVOKED, " ")
    with pytest.raises(ValidationError):
        change_status(issued, LicenseStatus.EXPIRED, "手工过期")
    with pytest.raises(ValidationError):
        change_status(issued, "42", "未知状态")
    outsider = RoleAssignmentFactory(role="decider", department=other_department).user
    with pytest.raises(PermissionDenied):
        change_status(issued, LicenseStatus.REVOKED, "违法经营", by=outsider)
    issued.refresh_from_db()
    assert issued.status == LicenseStatus.VALID
    assert issued.status_changes.count() == 1


def test_a_terminated_license_cannot_be_revived(issued):
    change_status(issued, LicenseStatus.REVOKED, "违法经营被吊销")
    with pytest.raises(ValidationError, match="已终止"):
        change_status(issued, LicenseStatus.VALID, "恢复")


def test_the_history_is_append_only(issued):
    with pytest.raises(AppendOnlyError):
        issued.status_changes.first().delete()


def test_the_sweep_expires_licenses_whose_validity_ended(issue):
    ending = issue(valid_until=datetime.date.today() + datetime.timedelta(days=1))
    lasting = issue(valid_until=None)
    assert expire_due(datetime.date.today()) == 0
    assert expire_due(datetime.date.today() + datetime.timedelta(days=2)) == 1
    ending.refresh_from_db()
    lasting.refresh_from_db()
    assert ending.status == LicenseStatus.EXPIRED
    assert lasting.status == LicenseStatus.VALID
    assert AuditEvent.objects.filter(action="licenses.expired", object_id=str(ending.pk)).exists()
    assert sweep() == 0  # nothing more is due today
