import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.catalog import queries, services


def _text(response) -> str:
    html = re.sub(r"</?mark>", "", response.content.decode())  # search highlights split no words
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_guide_page_shows_the_published_version(client, demo):
    item = queries.search("食品经营许可")[0]
    guide = item.published_version
    text = _text(client.get(f"/items/{item.implementation_code}/"))
    assert item.name in text
    assert item.department.name in text
    assert guide.conditions in text
    assert f"{guide.statutory_limit} 工作日" in text
    for material in guide.materials.all():
        assert material.name in text
        assert material.acceptance_standard in text
    assert "可用电子证照“营业执照”替代" in text
    for step in guide.window_steps + guide.online_steps:
        assert step["name"] in text


def test_guide_page_shows_fees_in_yuan(client, demo):
    item = queries.search("驾驶证补领")[0]
    text = _text(client.get(f"/items/{item.implementation_code}/"))
    assert "机动车驾驶证工本费：10.00 元" in text


def test_unknown_item_is_404(client, demo):
    assert client.get("/items/NOPE/").status_code == 404


def test_search_page(client, demo):
    text = _text(client.get("/search/", {"q": "社保"}))
    assert "城乡居民养老保险参保登记" in text
    assert "个体工商户设立登记" not in text
    text = _text(client.get("/search/", {"q": "营业执照"}))
    assert "个体工商户设立登记" in text  # 营业执照 ↔ 设立登记
    assert client.get("/search/").status_code == 200


def test_home_page_search_box_leads_to_results(client, demo):
    html = client.get("/").content.decode()
    assert 'action="/search/"' in html
    results = client.get("/search/", {"q": "社保"}).content.decode()
    assert "城乡居民养老保险参保登记" in results


# --- The guide page's cache, the downloads, the printable copy and the export ---

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _republish(demo, item, materials, on_commit=None, **fields):
    """Publish a new version of a demo item, as its department's editor and the city office do."""
    editor, office = demo["catalog_editor"], demo["city_admin"]
    draft = services.start_draft(item.pk, by=editor)
    if fields:
        services.update_draft(draft.pk, by=editor, **fields)
    if materials is not None:
        services.set_materials(draft.pk, by=editor, materials=materials)
    services.submit(draft.pk, by=editor)
    if on_commit is None:
        return services.publish(draft.pk, by=office)
    with on_commit(execute=True):
        return services.publish(draft.pk, by=office)


@pytest.fixture
def with_files(demo):
    item = queries.search("城乡居民养老保险参保登记")[0]
    _republish(
        demo,
        item,
        [
            {
                "name": "参保登记表",
                "acceptance_standard": "填写完整",
                "blank_form": SimpleUploadedFile("form.pdf", PDF),
                "sample": SimpleUploadedFile("sample.pdf", PDF),
            },
            {"name": 'a/b"c', "acceptance_standard": "完整", "blank_form": SimpleUploadedFile("x.pdf", PDF)},
            {"name": "无表格的材料", "acceptance_standard": "完整"},
        ],
    )
    return item.implementation_code


def test_blank_form_and_sample_stream_through_the_portal(client, with_files):
    response = client.get(f"/items/{with_files}/materials/1/blank-form/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert f"filename*=utf-8''{quote('参保登记表（空白表格）.pdf')}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    sample = client.get(f"/items/{with_files}/materials/1/sample/")
    assert quote("参保登记表（示例样表）.pdf") in sample["Content-Disposition"]


def test_download_name_is_made_safe(client, with_files):
    response = client.get(f"/items/{with_files}/materials/2/blank-form/")
    disposition = response["Content-Disposition"]
    assert quote("a_b_c（空白表格）.pdf") in disposition
    assert "/" not in disposition.split("filename", 1)[1].replace("utf-8''", "").split(";")[0].strip('="')


@pytest.mark.parametrize(
    "path",
    [
        "materials/3/blank-form/",  # the material has no blank form
        "materials/2/sample/",  # nor a sample
        "materials/9/blank-form/",  # no such material
        "materials/1/other/",  # no such kind of file
    ],
)
def test_missing_download_is_404(client, with_files, path):
    assert client.get(f"/items/{with_files}/{path}").status_code == 404


def test_downloads_of_an_unknown_item_are_404(client, demo):
    assert client.get("/items/NOPE/materials/1/blank-form/").status_code == 404
    assert client.get("/items/NOPE/guide.pdf").status_code == 404


def test_guide_page_is_cached_and_changes_on_publish(
    client, demo, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    item = queries.search("驾驶证补领")[0]
    url = f"/items/{item.implementation_code}/"
    assert "机动车驾驶证遗失" in _text(client.get(url))
    with django_assert_max_num_queries(5):  # version id + 3 cache reads; no guide queries
        assert "机动车驾驶证遗失" in _text(client.get(url))
    _republish(demo, item, None, on_commit=django_capture_on_commit_callbacks, conditions="驾驶证损毁无法辨认。")
    text = _text(client.get(url))
    assert "驾驶证损毁无法辨认" in text
    assert "机动车驾驶证遗失" not in text


def test_print_copy_is_a_pdf(client, demo):
    item = queries.search("驾驶证补领")[0]
    response = client.get(f"/items/{item.implementation_code}/guide.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_export_is_one_json_attachment_without_drafts(client, demo):
    item = queries.search("驾驶证补领")[0]
    services.start_draft(item.pk, by=demo["catalog_editor"])
    response = client.get("/catalog/export.json")
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="govhall-catalog.json"'
    document = response.json()
    assert len(document["items"]) == queries.published_items().count()
    assert all(entry["guide"]["status"]["code"] == "published" for entry in document["items"])


def test_guide_page_prints_cleanly(client, demo):
    """The print stylesheet hides the header, footer and navigation (site.css @media print)."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("govhall/css/site.css")).read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    for selector in (".site-header", ".site-footer", ".breadcrumb"):
        assert selector in print_rules
