"""Fixtures for the licenses tests: a PKI, a department, a holder, an issued license."""

from __future__ import annotations

import datetime

import pytest

from govhall.accounts.models import EnterpriseProfile, User
from govhall.catalog.tests.factories import LicenseTypeFactory
from govhall.core.validators import uscc_from_parts
from govhall.directory.tests.factories import DepartmentFactory


@pytest.fixture(autouse=True)
def _license_files(settings, tmp_path):
    settings.LICENSES_FILE_ROOT = tmp_path / "licenses"
    settings.LICENSES_PKI_DIR = tmp_path / "pki"
    settings.LICENSES_TSA_URL = ""


@pytest.fixture
def department(db):
    return DepartmentFactory(name="长春市市场监督管理局")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(name="长春市卫生健康委员会")


@pytest.fixture
def root(department, other_department):
    from govhall.directory.models import Department
    from govhall.licenses import pki as pki_module

    root, _ = pki_module.init_pki(Department.objects.filter(pk__in=[department.pk, other_department.pk]))
    return root


@pytest.fixture
def license_type(db):
    return LicenseTypeFactory(
        name="食品经营许可证",
        fields=[{"name": "business_scope", "label": "经营项目"}, {"name": "address", "label": "经营场所"}],
    )


@pytest.fixture
def holder(db):
    user = User.objects.create(username="ent-holder", kind="enterprise", name="长春市䶮𠮷餐饮有限公司")
    EnterpriseProfile.objects.create(
        user=user,
        uscc=uscc_from_parts("91220100", "MA0000HD"),
        legal_representative="李䶮",
        representative_document_type="resident_id",
        representative_document_number="220102199001011234",
        representative_document_hash="x" * 64,
    )
    return user


DATA = {"business_scope": "预包装食品销售；热食类食品制售", "address": "长春市朝阳区人民大街1号"}


@pytest.fixture
def issue(root, license_type, holder, department):
    from govhall.licenses.services import issue_license

    def make(**kwargs):
        kwargs.setdefault("valid_until", datetime.date.today() + datetime.timedelta(days=5 * 365))
        return issue_license(license_type, holder, dict(DATA), department, **kwargs)

    return make


@pytest.fixture
def issued(issue):
    return issue()


@pytest.fixture
def signed_pdf(issued):
    from govhall.licenses.services import pdf_bytes

    return pdf_bytes(issued)


# --- step 2: an item whose approval issues a license, and an applicant who holds one ----------------


def person(name: str = "张三", number: str = "220102199001011234"):
    """A real-name applicant (a license names its holder by identity document)."""
    import hashlib

    from govhall.accounts.models import PersonProfile
    from govhall.applications.tests.factories import applicant

    user = applicant(name)
    PersonProfile.objects.create(
        user=user,
        document_type="resident_id",
        document_number=number,
        document_hash=hashlib.sha256(number.encode()).hexdigest(),
    )
    return user


@pytest.fixture
def hall(db):
    """An item (no review stages) that results in a 食品经营许可证 and accepts a 营业执照 from the
    library for its required material; the department's PKI; acceptor, decider, two applicants."""
    from types import SimpleNamespace

    from govhall.applications.tests.factories import published_item, staff
    from govhall.directory.models import Department
    from govhall.licenses import pki as pki_module

    item, required, _agent = published_item(stages=[])
    food = LicenseTypeFactory(
        name="食品经营许可证",
        defining_department=item.department,
        fields=[{"name": "shop_name", "label": "店铺名称"}, {"name": "operator", "label": "经营者名称"}],
    )
    business = LicenseTypeFactory(
        name="营业执照", defining_department=item.department, fields=[{"name": "name", "label": "名称"}]
    )
    item.result_license_types.add(food)
    required.replacing_license_types.add(business)
    root, _created = pki_module.init_pki(Department.objects.filter(pk=item.department_id))
    return SimpleNamespace(
        item=item,
        required=required,
        department=item.department,
        root=root,
        food=food,
        business=business,
        acceptor=staff("acceptor", item.department),
        decider=staff("decider", item.department),
        head=staff("department_head", item.department),
        alice=person("张三", "220102199001011234"),
        bob=person("李四", "22010219900101567X"),
    )
