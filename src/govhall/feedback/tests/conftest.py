"""Two departments of one district, an item of the first with a published guide, its handling chain
(responder, head), the district and city offices, two applicants with mobile numbers."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from govhall.accounts.tests.factories import RoleAssignmentFactory, StaffFactory
from govhall.applications.tests.factories import applicant, published_item, staff
from govhall.directory.tests.factories import CityFactory, DepartmentFactory, RegionFactory

BEIJING = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    """``"2026-09-30 10:00"`` as a Beijing time."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def office_staff(role: str, region, mobile: str | None = None):
    user = StaffFactory(mobile=mobile or "")
    RoleAssignmentFactory(user=user, role=role, department=None, region=region)
    return user


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def hall(db):
    item, _required, _agent = published_item()
    department = item.department
    other = DepartmentFactory(region=department.region)
    city = CityFactory()
    elsewhere = RegionFactory(parent=city)
    return SimpleNamespace(
        item=item,
        department=department,
        other=other,
        responder=staff("responder", department, mobile="13800000001"),
        head=staff("department_head", department),
        colleague=staff("acceptor", department),
        other_responder=staff("responder", other),
        district=office_staff("district_admin", department.region, mobile="13800000009"),
        city=office_staff("city_admin", city),
        foreign_district=office_staff("district_admin", elsewhere),
        alice=applicant("张三"),
        bob=applicant("李四"),
    )
