import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from stdnum.cn import ric

from govhall.accounts import services
from govhall.accounts.models import Role, RoleAssignment, User
from govhall.core.audit.models import AuditEvent
from govhall.directory.models import Department, Region, ServiceCentre


def resident_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


@pytest.mark.django_db
def test_person_created_with_encrypted_identity_and_audit():
    user = services.create_person(
        name="王䶮",
        document_type="resident_id",
        document_number=resident_id("22010419851120456"),
        mobile="13900000009",
        password="Long-enough-9",
    )
    assert user.person.masked_document_number.startswith("220104********")
    assert services.find_applicant("13900000009") == user
    assert services.find_applicant(user.person.document_number) == user
    assert AuditEvent.objects.filter(action="account.registered", object_id=str(user.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("document_number", {"document_number": "220104198511204561"}),  # checksum
        ("document_number", {"document_number": resident_id("22010419850230456")}),  # 30 Feb
        ("mobile", {"mobile": "1390000000"}),
        ("name", {"name": "张<b>"}),
        ("password", {"password": "123456"}),
    ],
)
def test_bad_registration_creates_nothing(field, overrides):
    values = {
        "name": "李四",
        "document_type": "resident_id",
        "document_number": resident_id("22010419851120456"),
        "mobile": "13900000009",
        "password": "Long-enough-9",
    } | overrides
    with pytest.raises(ValidationError) as info:
        services.create_person(**values)
    assert field in info.value.message_dict
    assert not User.objects.exists()


@pytest.mark.django_db
def test_duplicate_registration_is_refused_with_a_clear_message():
    values = {
        "name": "李四",
        "document_type": "resident_id",
        "document_number": resident_id("22010419851120456"),
        "mobile": "13900000009",
        "password": "Long-enough-9",
    }
    services.create_person(**values)
    with pytest.raises(ValidationError, match="已注册"):
        services.create_person(**values | {"mobile": "13900000010"})
    with pytest.raises(ValidationError, match="已注册"):
        services.create_person(**values | {"document_number": resident_id("22010419851120457")})
    assert User.objects.count() == 1


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
        services.create_staff(
            username="new1", name="新人", password="Long-enough-9", by=demo["nanguan_admin"]
        )
    user = services.create_staff(
        username="new1", name="新人", password="Long-enough-9", by=demo["city_admin"]
    )
    assert user.kind == "staff"
