"""The catalog API: published items only, filters, pagination, search ranking, 404s, OpenAPI."""

import pytest

from govhall.catalog import queries, services

pytestmark = pytest.mark.django_db


def _get(client, path, **params):
    return client.get(f"/api/v1/catalog{path}", params)


def test_list_is_paginated_and_published_only(client, demo):
    published = queries.published_items().count()
    first = _get(client, "/items", page_size=2).json()
    assert first["count"] == published
    assert len(first["items"]) == 2
    second = _get(client, "/items", page_size=2, page=2).json()
    codes = [i["implementation_code"] for i in first["items"] + second["items"]]
    assert len(set(codes)) == 4
    beyond = _get(client, "/items", page=999).json()
    assert beyond["items"] == []
    assert beyond["count"] == published
    assert _get(client, "/items", page_size=10_000).json()["page_size"] == 100


def test_list_filters(client, demo):
    marriage = _get(client, "/items", theme="marriage", page_size=100).json()["items"]
    assert "内地居民婚姻登记" in [i["name"] for i in marriage]
    assert all("marriage" in i["themes"] for i in marriage)
    assert "个体工商户设立登记" not in [i["name"] for i in marriage]
    online = _get(client, "/items", depth="online_payment").json()["items"]
    assert online
    assert all(i["online_depth"]["online_payment"] for i in online)
    item = queries.search("食品经营许可")[0]
    by_department = _get(client, "/items", department=item.department_id).json()["items"]
    assert {i["department"]["id"] for i in by_department} == {item.department_id}
    assert _get(client, "/items", region=item.region_id).json()["count"] >= 1
    assert _get(client, "/items", region=999_999).json()["count"] == 0


def test_search_ranks_and_reports_what_matched(client, demo):
    hits = _get(client, "/search", q="社保").json()["items"]
    assert hits[0]["name"] == "城乡居民养老保险参保登记"
    assert "社会保险" in hits[0]["matched"] or "社保" in hits[0]["matched"]
    assert "<mark>" in _get(client, "/search", q="养老").json()["items"][0]["name_highlighted"]
    ranked = _get(client, "/search", q="营业执照").json()["items"]
    assert [h["rank"] for h in ranked] == sorted((h["rank"] for h in ranked), reverse=True)
    assert [h["name"] for h in ranked] == [i.name for i in queries.search("营业执照")]
    assert _get(client, "/search", q="不存在的事项名称").json()["count"] == 0
    assert client.get("/api/v1/catalog/search").status_code == 422  # q is required


def test_detail_form_and_history(client, demo):
    item = queries.search("食品经营许可")[0]
    code = item.implementation_code
    detail = _get(client, f"/items/{code}").json()
    assert detail["guide"]["number"] == item.published_version.number
    assert _get(client, f"/items/{code}/form").json() == item.published_version.form_definition
    history = _get(client, f"/items/{code}/versions").json()
    assert [v["status"]["code"] for v in history] == ["published"]
    old = _get(client, f"/items/{code}/versions/{history[0]['number']}").json()
    assert old["conditions"] == item.published_version.conditions


@pytest.mark.parametrize(
    "path",
    ["/items/NOPE", "/items/NOPE/form", "/items/NOPE/versions", "/items/NOPE/versions/1"],
)
def test_unknown_item_is_404(client, demo, path):
    response = _get(client, path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_unpublished_item_is_not_in_any_endpoint(client, demo):
    item = queries.search("食品经营许可")[0]
    code = item.implementation_code
    editor = demo["catalog_editor"]
    draft = services.start_draft(item.pk, by=editor)
    assert _get(client, f"/items/{code}/versions/{draft.number}").status_code == 404
    assert draft.number not in [v["number"] for v in _get(client, f"/items/{code}/versions").json()]


def test_openapi_documents_the_catalog_schemas(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = [path for path in schema["paths"] if path.startswith("/api/v1/catalog/")]
    assert len(paths) == 7
    for path in paths:
        for operation in schema["paths"][path].values():
            assert operation["tags"] == ["catalog"]
    components = schema["components"]["schemas"]
    assert {"ItemDetailOut", "GuideOut", "MaterialOut", "ExportOut", "SearchPage"} <= set(components)
    assert "acceptance_standard" in components["MaterialOut"]["properties"]
