from govhall.directory.models import Department, ServiceCentre


def test_departments_list(client, demo):
    body = client.get("/api/v1/directory/departments").json()
    assert len(body) == Department.objects.count() >= 25
    amr = next(item for item in body if item["name"] == "长春市市场监督管理局")
    assert amr["region_code"] == "220100"
    assert amr["centre_code"] == "cc-city"
    assert len(amr["uscc"]) == 18


def test_departments_of_a_district(client, demo):
    body = client.get("/api/v1/directory/departments", {"region": "220102"}).json()
    assert {item["name"] for item in body} == {
        "南关区市场监督管理局",
        "南关区人力资源和社会保障局",
        "南关区民政局",
    }


def test_centre_detail_carries_structured_and_readable_hours(client, demo):
    body = client.get("/api/v1/directory/centres/cc-city").json()
    assert body["office_hours"]["mon"] == [["09:00", "12:00"], ["13:30", "17:00"]]
    assert body["office_hours_text"].startswith("周一至周五")


def test_centres_of_a_district_include_its_streets(client, demo):
    codes = {item["code"] for item in client.get("/api/v1/directory/centres", {"region": "220102"}).json()}
    assert codes == {"nanguan", "nanling"}
    assert len(client.get("/api/v1/directory/centres").json()) == ServiceCentre.objects.count()


def test_regions_and_sub_halls(client, demo):
    regions = client.get("/api/v1/directory/regions", {"parent": "220100"}).json()
    zone = next(item for item in regions if item["name"] == "长春经济技术开发区")
    assert zone["kind"] == "development_zone"
    assert zone["is_official_code"] is False
    assert client.get("/api/v1/directory/sub-halls/220171").json()["title"] == "长春经济技术开发区分厅"


def test_unknown_objects_are_json_404s(client, demo):
    for path in ["/api/v1/directory/centres/nowhere", "/api/v1/directory/sub-halls/000000"]:
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "请求的对象不存在。", "fields": {}}


def test_openapi_document_tags_every_operation_with_its_domain(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert operations
    assert all(op.get("tags") for op in operations)


def test_interactive_docs_are_served_locally(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower()
