"""我的证照 from end to end (issue 9 step 2): a demo citizen's 食品经营许可 is approved (through the
services: the staff side of the decision has its own journey), the license is issued at once; the
citizen finds it through the header link, downloads the signed PDF, and shares it with a one-time
link that a second browser opens (the GET only shows the confirmation) and uses once.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.applications import services
from govhall.applications.demo import submit_demo_application
from govhall.catalog.models import ServiceItem
from govhall.demo.data import DEMO_PASSWORD
from govhall.licenses import pki
from govhall.licenses.models import License, LicenseAccess
from govhall.licenses.services import pdf_bytes
from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e

CITIZEN_MOBILE = "13800000001"


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"
    settings.LICENSES_FILE_ROOT = tmp_path / "licenses"
    settings.LICENSES_PKI_DIR = tmp_path / "pki"
    settings.LICENSES_TSA_URL = ""


def _approve(item, citizen, staff):
    """Run outside Playwright's event loop (pyHanko signs with ``asyncio.run``), in its own thread."""
    from django.db import connection

    try:
        return _decide(item, citizen, staff)
    finally:
        connection.close()


def _decide(item, citizen, staff):
    application = submit_demo_application(item, citizen, timezone.now())
    application = services.accept(application, staff["amr_acceptor"])
    application = services.complete_stage(application, staff["amr_acceptor"], opinion="材料齐全。")
    application = services.complete_stage(application, staff["amr_reviewer"], opinion="符合条件。")
    application = services.complete_stage(application, staff["amr_decider"], opinion="同意。")
    return services.decide(
        application,
        staff["amr_decider"],
        approve=True,
        reasons="申请材料齐全，经营场所与设施符合要求。",
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        stepped_up_at=timezone.now(),
    )


def test_approve_then_wallet_download_and_share_once(page, browser, live_server, demo_live):
    base = live_server.url
    pki.init_pki()
    item = ServiceItem.objects.get(name="食品经营许可")
    citizen = next(user for user in demo_live.values() if user.mobile == CITIZEN_MOBILE)
    with ThreadPoolExecutor(1) as pool:
        application = pool.submit(_approve, item, citizen, demo_live).result()
    license = License.objects.get(holder=citizen, source_reference=application.business_number)

    page.goto(base + "/accounts/login/")
    page.get_by_label("手机号码 / 证件号码 / 统一社会信用代码").fill(CITIZEN_MOBILE)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    with page.expect_navigation():
        page.get_by_role("link", name="我的证照").first.click()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("link", name=license.license_type.name).first.click()
    assert page.get_by_text(license.identifier).first.is_visible()
    check_accessibility(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载签名PDF").click()
    with open(download_info.value.path(), "rb") as downloaded:
        assert downloaded.read() == pdf_bytes(license)

    page.get_by_label("分享用途（必填，对方可见）").fill("办理银行开户")
    with page.expect_navigation():
        page.get_by_role("button", name="生成分享链接").click()
    check_accessibility(page)
    url = page.get_by_label("请复制链接发送给对方（本页关闭后无法再次查看）").input_value()
    assert "/licenses/shared/" in url

    other = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    other.goto(url)  # a previewer's GET, then the recipient's: neither uses the link
    other.goto(url)
    assert other.get_by_text("办理银行开户").is_visible()
    check_accessibility(other)
    with other.expect_download() as shared_download:
        other.get_by_role("button", name="获取证照").click()
    with open(shared_download.value.path(), "rb") as shared:
        assert shared.read() == pdf_bytes(license)
    other.goto(url)
    assert other.get_by_text("已被使用过").is_visible()
    other.context.close()

    assert LicenseAccess.objects.filter(license=license, purpose="办理银行开户").count() == 1
    page.goto(base + reverse("portal:license", args=[license.identifier]))
    assert page.get_by_text("分享链接使用").first.is_visible()
