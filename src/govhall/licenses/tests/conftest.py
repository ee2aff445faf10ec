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
