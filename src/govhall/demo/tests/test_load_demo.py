import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govhall.core.validators import validate_uscc
from govhall.directory.models import Department, Region, ServiceCentre, SubHall


def test_demo_data_covers_the_city(demo):
    assert ServiceCentre.objects.count() >= 12
    assert Department.objects.count() >= 25
    kinds = set(Region.objects.filter(parent__code="220100").values_list("kind", flat=True))
    assert kinds == {"district", "county", "county_city", "development_zone"}
    assert SubHall.objects.count() == Region.objects.filter(parent__code="220100").count()
    for department in Department.objects.all():
        assert validate_uscc(department.uscc) == department.uscc


def test_loading_twice_changes_nothing(demo):
    counts = [model.objects.count() for model in (Region, ServiceCentre, Department, SubHall)]
    call_command("load_demo", catalog="core", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [model.objects.count() for model in (Region, ServiceCentre, Department, SubHall)] == counts


@pytest.mark.django_db
def test_refused_under_production_settings(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
    assert not Region.objects.exists()
