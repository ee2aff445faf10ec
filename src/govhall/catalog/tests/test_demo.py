from django.core.management import call_command

from govhall.catalog import queries
from govhall.catalog.models import GuideVersion, ServiceItem


def test_demo_items_are_published_through_the_services(demo):
    items = queries.published_items()
    assert items.count() == 5
    assert all(item.published_version.status == "published" for item in items)
    assert next(item.name for item in queries.search("营业执照")) == "个体工商户设立登记"
    assert "城乡居民养老保险参保登记" in [item.name for item in queries.search("社保")]


def test_loading_the_demo_twice_changes_nothing(demo):
    counts = (ServiceItem.objects.count(), GuideVersion.objects.count())
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (ServiceItem.objects.count(), GuideVersion.objects.count()) == counts
