"""A district sub-hall lists its own items and the city items it can handle (Art. 2, 6)."""

import pytest

from govhall.catalog import queries
from govhall.catalog.tests.factories import GuideVersionFactory, ServiceItemFactory
from govhall.directory.tests.factories import (
    CityFactory,
    DepartmentFactory,
    RegionFactory,
    ServiceCentreFactory,
    SubHallFactory,
)

pytestmark = pytest.mark.django_db


def published(name, region, centres=(), **fields):
    item = ServiceItemFactory(name=name, region=region, **fields)
    version = GuideVersionFactory(item=item, status="published")
    version.centres.set(centres)
    item.published_version = version
    item.save(update_fields=["published_version"])
    return item


@pytest.fixture
def halls():
    city = CityFactory()
    district = RegionFactory(parent=city, name="南关区")
    street = RegionFactory(parent=district, kind="street", name="永吉街道")
    other = RegionFactory(parent=city, name="宽城区")
    hall = SubHallFactory(region=district, title="南关区分厅", notice="国庆期间窗口照常办公")
    department = DepartmentFactory(region=district, name="南关区民政局")
    district_centre = ServiceCentreFactory(region=district, name="南关区政务服务中心")
    street_centre = ServiceCentreFactory(region=street, level="street", name="永吉街道便民服务中心")
    other_centre = ServiceCentreFactory(region=other, name="宽城区政务服务中心")
    closed_centre = ServiceCentreFactory(region=district, name="旧中心", is_active=False)
    published("南关区婚姻登记", district, department=department)
    published("宽城区婚姻登记", other)
    published("社保卡补换", city, [district_centre])  # handled at the district's centre
    published("生育登记", city, [street_centre])  # handled at one of its street centres
    published("驾驶证补领", city, [other_centre])  # another district only
    published("护照办理", city, [closed_centre])  # only at a closed centre
    published("不动产登记", city, [district_centre, street_centre])  # listed once
    ServiceItemFactory(name="草稿事项", region=district)  # never published
    draft_city = ServiceItemFactory(name="市级草稿", region=city)
    GuideVersionFactory(item=draft_city, status="draft").centres.set([district_centre])
    return {"district": district, "hall": hall, "other": other}


def names(queryset):
    return [item.name for item in queryset]


def test_own_and_city_items(halls):
    own, city = queries.sub_hall_items(halls["district"])
    assert names(own) == ["南关区婚姻登记"]
    assert sorted(names(city)) == sorted(["社保卡补换", "生育登记", "不动产登记"])


def test_another_district_sees_its_own(halls):
    own, city = queries.sub_hall_items(halls["other"])
    assert names(own) == ["宽城区婚姻登记"]
    assert names(city) == ["驾驶证补领"]


def test_sub_hall_page_lists_items_centres_and_notice(client, halls):
    response = client.get(f"/sub-halls/{halls['district'].code}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("南关区婚姻登记", "社保卡补换", "生育登记", "南关区政务服务中心", "国庆期间窗口照常办公"):
        assert text in html
    for text in ("宽城区婚姻登记", "驾驶证补领", "护照办理", "草稿事项", "市级草稿"):
        assert text not in html
    assert html.count("不动产登记") == 1
