from types import SimpleNamespace

import pytest

from govhall.accounts.tests.factories import RoleAssignmentFactory, StaffFactory
from govhall.catalog.tests.factories import ServiceItemFactory
from govhall.directory.tests.factories import CityFactory, DepartmentFactory, RegionFactory


def _staff(role: str, **scope):
    user = StaffFactory()
    RoleAssignmentFactory(user=user, role=role, **{"department": None, **scope})
    return user


@pytest.fixture
def world(db):
    """A city and a district, a department in each, an item of each, and one staff member per role."""
    city = CityFactory()
    district = RegionFactory(parent=city)
    city_department = DepartmentFactory(region=city, level="city", name="长春市人力资源和社会保障局")
    district_department = DepartmentFactory(region=district)
    return SimpleNamespace(
        city=city,
        district=district,
        department=city_department,
        district_department=district_department,
        city_item=ServiceItemFactory(department=city_department, region=city),
        district_item=ServiceItemFactory(department=district_department, region=district),
        editor=_staff("guide_editor", department=city_department),
        department_admin=_staff("department_admin", department=city_department),
        district_editor=_staff("guide_editor", department=district_department),
        city_admin=_staff("city_admin", region=city),
        district_admin=_staff("district_admin", region=district),
        acceptor=_staff("acceptor", department=city_department),
    )
