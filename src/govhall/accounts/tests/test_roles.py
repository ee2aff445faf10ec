"""For every role: what it may do in its scope, and that it can do nothing outside it."""

import pytest

from govhall.accounts.models import Role
from govhall.directory.models import Department, Region, ServiceCentre, SubHall

# (role, scope the demo assigns) -> permissions expected True on the in-scope target.
# Targets: "own_region" = 南关区 (or the city for city-wide roles), "other_region" = 朝阳区,
# "own_department" = 长春市市场监督管理局, "other_department" = 长春市公安局,
# "own_centre" = 长春市政务服务中心, "other_centre" = 朝阳区政务服务中心.
CHECKS = [
    ("directory.edit_sub_hall", "sub_hall_nanguan"),
    ("directory.edit_sub_hall", "sub_hall_chaoyang"),
    ("directory.manage_centre", "centre_nanguan"),
    ("directory.manage_centre", "centre_chaoyang"),
    ("directory.edit_department", "department_amr"),
    ("directory.edit_department", "department_police"),
    ("directory.create_department", None),
    ("directory.manage_regions", None),
    ("accounts.manage_staff", None),
    ("accounts.assign_role", "department_amr"),
    ("accounts.assign_role", "department_police"),
    ("accounts.assign_role", "region_nanguan"),
    ("accounts.assign_role", "centre_city"),
    ("accounts.view_unmasked", None),
]

ALLOWED: dict[str, set[tuple[str, str | None]]] = {
    # The city office administers everything in the city.
    "city_admin": set(CHECKS),
    # 南关区's office: its sub-hall and centres; roles within its region; never another district.
    "nanguan_admin": {
        ("directory.edit_sub_hall", "sub_hall_nanguan"),
        ("directory.manage_centre", "centre_nanguan"),
        ("accounts.assign_role", "region_nanguan"),
    },
    # The department admin: their department's record and its roles, nothing else.
    "amr_admin": {
        ("directory.edit_department", "department_amr"),
        ("accounts.assign_role", "department_amr"),
    },
    # Operational roles administer nothing in the directory.
    "amr_head": set(),
    "amr_editor": set(),
    "amr_acceptor": set(),
    "amr_reviewer": set(),
    "amr_decider": set(),
    "amr_responder": set(),
    "window_staff": set(),
    "auditor": set(),
    "13800000001": set(),  # a citizen
}


@pytest.fixture
def targets(demo):
    return {
        "sub_hall_nanguan": SubHall.objects.get(region__code="220102"),
        "sub_hall_chaoyang": SubHall.objects.get(region__code="220104"),
        "centre_nanguan": ServiceCentre.objects.get(code="nanguan"),
        "centre_chaoyang": ServiceCentre.objects.get(code="chaoyang"),
        "centre_city": ServiceCentre.objects.get(code="cc-city"),
        "department_amr": Department.objects.get(name="长春市市场监督管理局"),
        "department_police": Department.objects.get(name="长春市公安局"),
        "region_nanguan": Region.objects.get(code="220102"),
        None: None,
    }


def test_every_role_has_a_row():
    demo_roles = {
        "city_admin",
        "nanguan_admin",
        "amr_admin",
        "amr_head",
        "amr_editor",
        "amr_acceptor",
        "amr_reviewer",
        "amr_decider",
        "amr_responder",
        "window_staff",
        "auditor",
    }
    assert demo_roles <= set(ALLOWED)
    assert len(Role.values) == len(demo_roles)  # a new role needs a row here


@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_role_permissions_inside_and_outside_scope(demo, targets, who):
    from govhall.accounts.services import find_applicant

    user = demo.get(who) or find_applicant(who)
    granted = {(perm, target) for perm, target in CHECKS if user.has_perm(perm, targets[target])}
    assert granted == ALLOWED[who]


def test_has_role_covers_descendant_regions_only(demo):
    nanguan_admin = demo["nanguan_admin"]
    street = Region.objects.get(code="220102003")  # 南岭街道 lies in 南关区
    assert nanguan_admin.has_role(Role.DISTRICT_ADMIN, region=street.pk)
    assert not nanguan_admin.has_role(Role.DISTRICT_ADMIN, region=Region.objects.get(code="220104").pk)
    assert not nanguan_admin.has_role(Role.DISTRICT_ADMIN, region=Region.objects.get(code="220100").pk)


def test_revoked_and_expired_assignments_grant_nothing(demo):
    from django.utils import timezone

    from govhall.accounts import services

    admin = demo["city_admin"]
    assignment = admin.role_assignments.get(role=Role.CITY_ADMIN)
    services.revoke_role(assignment.pk, by=admin, reason="调岗")
    admin = type(admin).objects.get(pk=admin.pk)
    assert not admin.has_perm("directory.create_department")

    acceptor = demo["amr_acceptor"]
    acceptor.role_assignments.update(valid_until=timezone.now())
    acceptor = type(acceptor).objects.get(pk=acceptor.pk)
    assert not acceptor.has_role(Role.ACCEPTOR)
