from govhall.core.audit.models import AuditEvent
from govhall.directory.models import Department, ServiceCentre, SubHall

NEW_DEPARTMENT = {
    "name": "长春市数据局",
    "uscc": "11220100MB0001001X",  # a legacy code failing its checksum
    "region_code": "220100",
    "level": "city",
    "consultation_phone": "0431-88000001",
    "complaint_phone": "0431-88000002",
}


def test_district_office_sees_only_its_sub_hall_and_centres(staff_client):
    html = staff_client("nanguan_admin").get("/workbench/directory/").content.decode()
    assert "南关区分厅" in html
    assert "朝阳区分厅" not in html
    assert "南岭街道公共服务中心" in html  # a street centre in its district
    assert "朝阳区政务服务中心" not in html
    assert "登记新部门" not in html


def test_district_office_edits_its_sub_hall_page(staff_client, client):
    hall = SubHall.objects.get(region__code="220102")
    data = {"title": "南关区分厅", "banner_text": "南关区一网通办", "notice": "12月1日起延时服务至19:00。"}
    response = staff_client("nanguan_admin").post(f"/workbench/directory/sub-halls/{hall.pk}/", data)
    assert response.status_code == 302
    assert "12月1日起延时服务至19:00" in client.get("/sub-halls/220102/").content.decode()


def test_district_office_cannot_open_another_sub_hall(staff_client):
    hall = SubHall.objects.get(region__code="220104")
    assert staff_client("nanguan_admin").get(f"/workbench/directory/sub-halls/{hall.pk}/").status_code == 403


def test_centre_hours_edit_and_bad_hours(staff_client):
    centre = ServiceCentre.objects.get(code="nanguan")
    client = staff_client("nanguan_admin")
    page = client.get(f"/workbench/directory/centres/{centre.pk}/").content.decode()
    assert "mon 09:00-12:00 13:30-17:00" in page
    bad = {"address": centre.address, "phone": centre.phone, "hours": "mon 12:00-09:00"}
    assert "办公时间格式不正确" in client.post(f"/workbench/directory/centres/{centre.pk}/", bad).content.decode()
    good = bad | {"hours": "mon 08:30-12:00 13:00-17:30\ntue 08:30-12:00 13:00-17:30"}
    assert client.post(f"/workbench/directory/centres/{centre.pk}/", good).status_code == 302
    centre.refresh_from_db()
    assert centre.hours.describe().startswith("周一至周二 08:30-12:00、13:00-17:30")


def test_city_office_registers_a_legacy_code_only_with_a_reason(staff_client):
    client = staff_client("city_admin")
    html = client.post("/workbench/directory/departments/new/", NEW_DEPARTMENT).content.decode()
    assert "校验位错误" in html
    assert not Department.objects.filter(name="长春市数据局").exists()
    data = NEW_DEPARTMENT | {"legacy_uscc_reason": "2014年赋码，经市场监管局书面确认"}
    assert client.post("/workbench/directory/departments/new/", data).status_code == 302
    assert Department.objects.get(name="长春市数据局").uscc_override_reason
    assert AuditEvent.objects.get(action="department.created").reason == "2014年赋码，经市场监管局书面确认"
    assert "校验位例外" in client.get("/workbench/directory/").content.decode()


def test_departments_are_the_city_office_s(staff_client):
    assert (
        staff_client("nanguan_admin").post("/workbench/directory/departments/new/", NEW_DEPARTMENT).status_code == 403
    )


def test_city_office_adds_a_street_and_a_zone_with_its_sub_hall(staff_client, client):
    from govhall.directory.models import Region

    admin = staff_client("city_admin")
    street = {"code": "220102015", "name": "幸福街道", "kind": "street", "parent_code": "220102"}
    assert admin.post("/workbench/directory/regions/new/", street).status_code == 302
    assert Region.objects.get(code="220102015").parent.code == "220102"
    zone = {"code": "220177", "name": "莲花山生态旅游度假区", "kind": "development_zone", "parent_code": "220100"}
    assert admin.post("/workbench/directory/regions/new/", zone).status_code == 302
    assert "莲花山生态旅游度假区" in client.get("/sub-halls/").content.decode()
    assert AuditEvent.objects.filter(action="region.created").count() == 2


def test_a_region_with_an_unknown_parent_or_a_taken_code_changes_nothing(staff_client):
    from govhall.directory.models import Region

    admin = staff_client("city_admin")
    count = Region.objects.count()
    html = admin.post(
        "/workbench/directory/regions/new/",
        {"code": "220199", "name": "测试区", "kind": "district", "parent_code": "999999"},
    ).content.decode()
    assert "上级区划“999999”不存在" in html
    html = admin.post(
        "/workbench/directory/regions/new/",
        {"code": "220102", "name": "重复", "kind": "district", "parent_code": "220100"},
    ).content.decode()
    assert "已存在" in html
    assert Region.objects.count() == count
    assert staff_client("nanguan_admin").get("/workbench/directory/regions/new/").status_code == 403
