import re

from govhall.catalog import queries


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


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
