import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from govhall.catalog.models import GuideVersion, PublishedVersionImmutable, ServiceItem, VersionStatus
from govhall.catalog.tests.factories import (
    GuideVersionFactory,
    LicenseTypeFactory,
    MaterialRequirementFactory,
    ServiceItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("basic_code", "12345678901"),  # 11 characters: the national basic code has 12
        ("basic_code", "12345678901a"),  # lower case is not in the alphabet
        ("implementation_code", "1" * 30),  # 30 characters: the implementation code has 31
        ("implementation_code", "1" * 30 + "-"),  # punctuation is not in the alphabet
        ("item_type", "11"),  # 11 is not an item type (STANDARDS.md: 01..10, 20)
        ("case_type", "3"),  # only 1 即办件 and 2 承诺件
        ("themes", ["no_such_theme"]),  # theme codes come from catalog.themes
    ],
)
def test_item_field_validation(field, value):
    item = ServiceItemFactory.build(department=ServiceItemFactory().department, region=ServiceItemFactory().region)
    setattr(item, field, value)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("basic_code", "SHORT"),
        ("implementation_code", "X" * 30),
        ("item_type", "99"),
        ("service_object", "robot"),
        ("case_type", "9"),
    ],
)
def test_item_constraints_hold_in_the_database(field, value):
    item = ServiceItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceItem.objects.filter(pk=item.pk).update(**{field: value})


def test_license_type_code_is_uscc_plus_three_digits():
    license_type = LicenseTypeFactory()
    assert len(license_type.type_code) == 21
    license_type.type_code = license_type.type_code[:18] + "0A1"
    with pytest.raises(ValidationError):
        license_type.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(license_type).objects.filter(pk=license_type.pk).update(type_code="I" * 21)


def test_search_text_is_normalised():
    item = ServiceItemFactory(name="ＡＢＣ 社会保险登记", aliases="社保 登记", keywords="参保")
    assert item.search_text == f"abc社会保险登记 社保登记 参保 {item.department.name.lower()}"


def test_version_numbers_are_unique_per_item():
    version = GuideVersionFactory(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        GuideVersionFactory(item=version.item, number=1, status=VersionStatus.SUPERSEDED)


def test_only_one_open_version_per_item():
    version = GuideVersionFactory(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        GuideVersionFactory(item=version.item, number=2)


def test_published_version_with_promised_beyond_statutory_is_refused_by_the_database():
    version = GuideVersionFactory(statutory_limit=5, promised_limit=10)  # a draft may be inconsistent for now
    with pytest.raises(IntegrityError), transaction.atomic():
        GuideVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED)


def test_published_version_refuses_save_and_delete():
    version = GuideVersionFactory()
    GuideVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED)
    version.refresh_from_db()
    version.conditions = "changed"
    with pytest.raises(PublishedVersionImmutable):
        version.save()
    with pytest.raises(PublishedVersionImmutable):
        version.delete()
    with pytest.raises(PublishedVersionImmutable):
        MaterialRequirementFactory(version=version)


def test_published_version_may_only_become_superseded():
    version = GuideVersionFactory()
    GuideVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED)
    version.refresh_from_db()
    version.status = VersionStatus.SUPERSEDED
    with pytest.raises(PublishedVersionImmutable):
        version.save()  # without update_fields=["status"] other fields could change too
    version.save(update_fields=["status"])
    version.refresh_from_db()
    version.status = VersionStatus.PUBLISHED
    with pytest.raises(PublishedVersionImmutable):
        version.save(update_fields=["status"])  # history stays history


def test_material_count_must_be_positive():
    material = MaterialRequirementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(material).objects.filter(pk=material.pk).update(count=0)
