"""The demo license (issue 9): 张三 finds a signed 营业执照 in 我的证照, and his next 食品经营许可
application takes that material from the library instead of asking for an upload."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from govhall.applications import services
from govhall.applications.models import Source
from govhall.catalog.models import ServiceItem
from govhall.licenses import demo as licenses_demo
from govhall.licenses.models import License
from govhall.licenses.services import pdf_bytes
from govhall.licenses.verification import verify_pdf


@pytest.fixture
def pki(demo, settings, tmp_path):
    settings.LICENSES_FILE_ROOT = tmp_path / "licenses"
    settings.LICENSES_PKI_DIR = tmp_path / "pki"
    call_command("init_pki", verbosity=0)


def test_the_demo_citizen_holds_a_verifiable_business_license_once(client, demo, pki):
    assert licenses_demo.load() == 1
    assert licenses_demo.load() == 0
    license = License.objects.get()
    assert (license.holder.name, license.holder.mobile, license.license_type.name) == (
        "张三",
        "13800000001",
        "营业执照",
    )
    assert verify_pdf(pdf_bytes(license)).valid

    client.force_login(license.holder)
    assert license.identifier in client.get(reverse("portal:licenses")).content.decode()


def test_his_next_application_takes_the_material_from_the_library(demo, pki):
    licenses_demo.load()
    license = License.objects.get()
    item = ServiceItem.objects.get(name="食品经营许可", department__name="长春市市场监督管理局")
    draft = services.start_draft(license.holder, item)
    cited = draft.materials.get(source=Source.E_LICENSE)
    assert cited.license == license
    assert not cited.file
