import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from govhall.accounts import services
from govhall.accounts.models import Role, RoleAssignment
from govhall.core.audit.models import AuditEvent
from govhall.directory.models import Department, Region, ServiceCentre


def test_role_scope_must_match(demo):
    staff = demo["amr_acceptor"]
    with pytest.raises(ValidationError, match="只能授权到部门"):
        services.assign_role(staff, Role.ACCEPTOR, Region.objects.get(code="220102"), by=demo["city_admin"])
    with pytest.raises(ValidationError, match="只能授权到服务中心"):
        services.assign_role(staff, Role.WINDOW_STAFF, Department.objects.first(), by=demo["city_admin"])


def test_database_refuses_a_role_without_its_scope(demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            user=demo["amr_acceptor"], role=Role.ACCEPTOR, centre=ServiceCentre.objects.first()
        )


def test_district_admin_cannot_grant_outside_their_region(demo):
    chaoyang = Department.objects.get(name="朝阳区市场监督管理局")
    with pytest.raises(PermissionDenied):
        services.assign_role(demo["amr_reviewer"], Role.REVIEWER, chaoyang, by=demo["nanguan_admin"])
    nanguan = Department.objects.get(name="南关区市场监督管理局")
    assignment = services.assign_role(demo["amr_reviewer"], Role.REVIEWER, nanguan, by=demo["nanguan_admin"])
    event = AuditEvent.objects.get(action="role.assigned", object_id=str(assignment.pk))
    assert event.actor_id == demo["nanguan_admin"].pk


def test_only_the_city_office_creates_staff(demo):
    with pytest.raises(PermissionDenied):
        services.create_staff(username="new1", name="新人", password="Long-enough-9", by=demo["nanguan_admin"])
    user = services.create_staff(username="new1", name="新人", password="Long-enough-9", by=demo["city_admin"])
    assert user.kind == "staff"
