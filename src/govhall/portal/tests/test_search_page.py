"""The portal search page: highlighted matches, filters as a GET form, count, empty state, pages."""

import re

import pytest

from govhall.catalog.tests.factories import GuideVersionFactory, ServiceItemFactory
from govhall.directory.tests.factories import CityFactory, DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db


def published(**fields):
    item = ServiceItemFactory(**fields)
    item.published_version = GuideVersionFactory(item=item, status="published")
    item.save(update_fields=["published_version"])
    return item


@pytest.fixture
def items():
    city = CityFactory()
    district = RegionFactory(parent=city, name="南关区")
    social = DepartmentFactory(name="长春市人力资源和社会保障局", region=city, level="city")
    police = DepartmentFactory(name="长春市公安局", region=city, level="city")
    return {
        "pension": published(
            name="城乡居民社会保险参保登记", department=social, region=city, themes=["retirement"], booking=True
        ),
        "evil": published(name="<script>alert('x')</script>社保卡补换", department=social, region=city),
        "hukou": published(name="户籍迁入", department=police, region=district, aliases="落户", themes=["household"]),
        "city": city,
        "district": district,
        "police": police,
    }


def marks(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def test_matches_are_highlighted_through_synonyms(client, items):
    html = client.get("/search/", {"q": "社保"}).content.decode()
    assert "社会保险" in marks(html)  # 社保 → 社会保险 in the name
    assert "社会保障" not in marks(html)  # the department is not a match for 社保
    assert "找到 2 个事项" in html


def test_html_looking_names_are_escaped(client, items):
    html = client.get("/search/", {"q": "社保"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<mark>社保</mark>卡补换" in html


def test_alias_and_department_matches_are_marked(client, items):
    assert marks(client.get("/search/", {"q": "落户"}).content.decode()) == ["落户"]
    assert marks(client.get("/search/", {"q": "公安"}).content.decode()) == ["公安"]


@pytest.mark.parametrize(
    ("params", "found", "missing"),
    [
        ({"theme": "household"}, "户籍迁入", "参保登记"),
        ({"depth": "booking"}, "参保登记", "户籍迁入"),
        ({"q": "登记", "region": "district"}, None, "参保登记"),
        ({"department": "police"}, "户籍迁入", "参保登记"),
        ({"theme": "no-such-theme", "q": "户籍"}, "<mark>户籍</mark>迁入", "参保登记"),  # an unknown filter is ignored
    ],
)
def test_filters(client, items, params, found, missing):
    params = {k: (items[v].pk if v in ("district", "police") else v) for k, v in params.items()}
    html = client.get("/search/", params).content.decode()
    if found:
        assert found in html
    assert missing not in html


def test_filter_form_keeps_the_choices(client, items):
    html = client.get("/search/", {"theme": "household", "department": items["police"].pk}).content.decode()
    assert '<option value="household" selected>' in html
    assert f'<option value="{items["police"].pk}" selected>' in html
    for label in ("主题", "实施部门", "区划（分厅）", "网办深度"):
        assert f">{label}</label>" in html


def test_empty_state_suggests_other_words(client, items):
    html = client.get("/search/", {"q": "不存在的事项"}).content.decode()
    assert "找到 0 个事项" in html
    assert "没有找到相关事项" in html
    assert "?q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7" in html  # a suggestion: 营业执照


def test_twenty_results_per_page(client, items):
    department = DepartmentFactory(name="测试局")
    for n in range(25):
        published(name=f"测试登记{n:02d}", department=department, region=items["city"])
    first = client.get("/search/", {"q": "测试登记"}).content.decode()
    second = client.get("/search/", {"q": "测试登记", "page": 2}).content.decode()
    assert "找到 25 个事项" in first
    assert first.count('class="list-group-item"') == 20
    assert second.count('class="list-group-item"') == 5
    assert "page=2" in first
    assert "q=%E6%B5%8B%E8%AF%95%E7%99%BB%E8%AE%B0" in first


def test_entrance_tiles_link_to_the_theme_and_count_items(client, items):
    html = client.get("/personal/").content.decode()
    assert 'href="/search/?theme=household"' in html
    tile = re.search(r'<li id="household">(.*?)</li>', html).group(1)
    assert "1 项" in tile
    birth = re.search(r'<li id="birth">(.*?)</li>', html).group(1)
    assert "0 项" in birth
    assert f'href="/search/?department={items["police"].pk}"' in html


def test_departments_page_links_to_their_items(client, items):
    html = client.get("/departments/").content.decode()
    assert f'href="/search/?department={items["police"].pk}"' in html
