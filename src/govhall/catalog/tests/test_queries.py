import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.catalog import queries
from govhall.catalog.models import ServiceItem
from govhall.catalog.tests.factories import GuideVersionFactory, ServiceItemFactory
from govhall.directory.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def published(**fields) -> ServiceItem:
    item = ServiceItemFactory(**fields)
    version = GuideVersionFactory(item=item, status="published")
    item.published_version = version
    item.save(update_fields=["published_version"])
    return item


@pytest.fixture
def catalog(db):
    social = DepartmentFactory(name="长春市人力资源和社会保障局")
    market = DepartmentFactory(name="长春市市场监督管理局")
    police = DepartmentFactory(name="长春市公安局")
    return {
        "pension": published(name="城乡居民社会保险参保登记", department=social, themes=["retirement"], booking=True),
        "card": published(name="社保卡补换", department=social, keywords="社会保障卡", full_online=True),
        "firm": published(
            name="个体工商户设立登记", department=market, aliases="开店 办执照", themes=["establishment"]
        ),
        "food": published(name="食品经营许可", department=market, keywords="营业执照 餐饮"),
        "hukou": published(name="户籍迁入", department=police, aliases="落户", themes=["household"]),
        "licence": published(name="机动车驾驶证补领", department=police),
        "draft": ServiceItemFactory(name="社会保险待遇资格认证", department=social),  # no published guide
    }


def names(queryset) -> list[str]:
    return [item.name for item in queryset]


def test_synonyms_expand_both_ways(catalog):
    assert queries.expand("社保") == ["社保", "社会保险"]
    assert queries.expand("户口迁入") == ["户口迁入", "户籍迁入"]
    assert queries.expand("ＡＢＣ") == ["abc"]  # full-width is folded to half-width, lower case


def test_two_character_alias_finds_the_full_term(catalog):
    """社保 finds 社会保险 items; the item named 社保 itself ranks with them by name."""
    found = names(queries.search("社保"))
    assert "城乡居民社会保险参保登记" in found
    assert "社保卡补换" in found


def test_one_character_query(catalog):
    assert names(queries.search("证")) == ["机动车驾驶证补领"]


def test_business_licence_finds_establishment(catalog):
    found = names(queries.search("营业执照"))
    assert found == ["个体工商户设立登记", "食品经营许可"]  # name (via 设立登记) above keyword


def test_ranking_name_above_alias_above_department(catalog):
    """社会保 is in one item's name, in another's keyword (社会保障卡) and in both items' department name:
    the name match ranks first; 公安 only matches departments."""
    ranked = [(item.name, item.rank) for item in queries.search("社会保")]
    assert ranked == [("城乡居民社会保险参保登记", queries.RANK_NAME), ("社保卡补换", queries.RANK_ALIAS)]
    assert [item.rank for item in queries.search("公安")] == [queries.RANK_DEPARTMENT] * 2


def test_draft_only_items_do_not_appear(catalog):
    assert "社会保险待遇资格认证" not in names(queries.search("社会保险"))
    assert "社会保险待遇资格认证" not in names(queries.published_items())


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"theme": "household"}, ["户籍迁入"]),
        ({"theme": "retirement"}, ["城乡居民社会保险参保登记"]),
        ({"depth": "full_online"}, ["社保卡补换"]),
        ({"depth": "booking"}, ["城乡居民社会保险参保登记"]),
    ],
)
def test_filters(catalog, filters, expected):
    assert names(queries.search("", **filters)) == expected


def test_department_and_region_filters(catalog):
    firm = catalog["firm"]
    assert set(names(queries.search("登记", department=firm.department_id))) == {"个体工商户设立登记"}
    assert names(queries.search("登记", region=firm.region_id)) == names(queries.search("登记"))


def test_item_detail_prefetches(catalog):
    item = catalog["firm"]
    detail = queries.item_detail(item.implementation_code)
    with CaptureQueriesContext(connection) as captured:
        list(detail.published_version.materials.all())
        list(detail.published_version.centres.all())
        detail.department.name  # noqa: B018
    assert len(captured) == 0
    with pytest.raises(ServiceItem.DoesNotExist):
        queries.item_detail(catalog["draft"].implementation_code)


def test_postgresql_has_a_trigram_index_on_search_text():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_item_search_text_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition


# --- Table-driven search cases (issue 5, item 8): what a visitor types, what they must find first ---


@pytest.mark.parametrize(
    ("query", "expected_first", "also_found", "reason"),
    [
        ("社保", "城乡居民社会保险参保登记", {"社保卡补换"}, "2 characters, exact; 社保 finds 社会保险 in a name"),
        ("证", "机动车驾驶证补领", set(), "1 character, exact"),
        ("户口", "户籍迁入", set(), "户口 is the everyday word for 户籍"),
        ("营业执照", "个体工商户设立登记", {"食品经营许可"}, "营业执照 → 设立登记 in a name beats a keyword"),
    ],
)
def test_search_table(catalog, query, expected_first, also_found, reason):
    found = names(queries.search(query))
    assert found[0] == expected_first, reason
    assert also_found <= set(found), reason


@pytest.mark.parametrize(
    ("query", "ranks"),
    [
        ("社会保", [queries.RANK_NAME, queries.RANK_ALIAS]),  # name > keyword (both departments match too)
        ("落户", [queries.RANK_ALIAS]),  # an alias only
        ("公安", [queries.RANK_DEPARTMENT, queries.RANK_DEPARTMENT]),  # the department only
    ],
)
def test_rank_table(catalog, query, ranks):
    assert [item.rank for item in queries.search(query)] == ranks


def test_theme_counts_in_one_query(catalog, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = queries.theme_counts(["retirement", "household", "establishment", "birth"])
    assert counts == {"retirement": 1, "household": 1, "establishment": 1, "birth": 0}
    assert queries.theme_counts([]) == {}


def test_a_renamed_department_is_found_by_its_new_name(demo, django_capture_on_commit_callbacks):
    from govhall.directory import services as directory_services
    from govhall.directory.models import Department

    department = Department.objects.get(name="长春市市场监督管理局")
    assert not queries.search("市场监管总局长春分局").exists()
    with django_capture_on_commit_callbacks(execute=True):
        directory_services.update_department(department.pk, by=demo["city_admin"], name="市场监管总局长春分局")
    assert queries.search("市场监管总局长春分局").filter(department=department).count() >= 2
