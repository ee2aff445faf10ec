"""``generate_data --only catalog``: published items for the search and guide benchmarks."""

from __future__ import annotations

import io

from django.core.management import call_command

from govhall.catalog import queries
from govhall.catalog.models import GuideVersion, ServiceItem
from govhall.catalog.text import normalise
from govhall.demo.catalog_generator import BASIC_PREFIX


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_data", "--only", "catalog", *args, stdout=out)
    return out.getvalue()


def generated():
    return ServiceItem.objects.filter(basic_code__startswith=BASIC_PREFIX)


def test_generated_items_are_valid_published_and_searchable(demo):
    demo_items = queries.published_items().count()
    output = generate("--count", "300", "--batch-size", "120")
    assert "generated 300 catalog items with published guides" in output
    assert generated().count() == 300
    assert queries.published_items().count() == demo_items + 300
    for item in generated().select_related("department", "region", "published_version")[:60]:
        item.full_clean()
        assert item.search_text == item.build_search_text()
        assert item.region_id == item.department.region_id
        assert item.published_version.status == "published"
        assert item.published_version.materials.count() == 2
        assert normalise(item.name) in item.search_text
    # Districts get their share, and the guide page's version has places to go.
    assert generated().exclude(region__parent__isnull=True).exists()
    assert GuideVersion.objects.filter(item__in=generated(), centres__isnull=False).exists()


def test_short_queries_match_many_items_and_long_ones_fewer(demo):
    generate("--count", "400")
    total = generated().count()
    two = queries.search("许可").filter(basic_code__startswith=BASIC_PREFIX).count()
    four = queries.search("食品经营").filter(basic_code__startswith=BASIC_PREFIX).count()
    assert total * 0.1 < two < total * 0.6
    assert 0 < four < two / 3


def test_a_second_batch_gets_new_codes(demo):
    generate("--count", "30")
    generate("--count", "30", "--force")
    assert generated().count() == 60
    assert len(set(generated().values_list("implementation_code", flat=True))) == 60


def test_nothing_is_generated_without_the_demo_departments(db):
    output = generate("--count", "5", "--force")
    assert "generated 0 catalog items" in output
    assert not generated().exists()
