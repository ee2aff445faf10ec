"""在线办理 from end to end (issue 7), the staff side: a citizen's submitted application for 食品经营许可
(the receipt read from the demo SMS inbox), accepted by ``amr_acceptor`` in the workbench, through
the review stages, and decided by ``amr_decider`` after re-entering the TOTP code; the citizen then
finds the decision notice in 我的办件 and downloads it.

The application is submitted through the services in the setup: the applicant's portal pages are
built in parallel and have their own journey. The citizen's part at the end runs where the portal's
我的办件 exists.
"""

from __future__ import annotations

import time

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_otp.oath import totp

from govhall.applications.demo import submit_demo_application
from govhall.applications.models import Application, NoticeKind, Status
from govhall.catalog.models import ServiceItem
from govhall.demo.data import DEMO_PASSWORD
from govhall.demo.management.commands.load_demo import demo_totp_key
from govhall.notifications.delivery import deliver_due
from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"


CITIZEN_MOBILE = "13800000001"
STEP = 30


def code_for(username: str) -> str:
    """The demo authenticator's current code (the demo prints the same secret)."""
    return f"{totp(bytes.fromhex(demo_totp_key(username)), step=STEP, t0=0, digits=6):06d}"


def next_code(username: str) -> str:
    """A code from the next 30-second step: a TOTP code is accepted once per step and user, and the
    decider's login already used the current one."""
    wait = STEP - (time.time() % STEP) + 1
    time.sleep(wait)
    return code_for(username)


def staff_login(browser, base: str, username: str):
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/workbench/login/")
    page.get_by_label("工作人员账号").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url("**/workbench/login/verify/")
    page.get_by_label("动态口令").fill(code_for(username))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")
    return page


def open_application(page, number: str) -> None:
    page.get_by_role("link", name="办件办理").click()
    page.wait_for_url("**/workbench/applications/**")
    page.get_by_label("业务编号 / 申请人姓名 / 身份证号").fill(number)
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("link", name=number).click()
    check_accessibility(page)


def submit(page, label: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def test_from_the_receipt_to_the_decision_notice(page, browser, live_server, demo_live):
    base = live_server.url
    item = ServiceItem.objects.get(name="食品经营许可")
    page.goto(f"{base}/items/{item.implementation_code}/")
    check_accessibility(page)
    citizen = next(user for user in demo_live.values() if user.mobile == CITIZEN_MOBILE)
    application = submit_demo_application(item, citizen, timezone.now())
    number = application.business_number

    deliver_due("e2e-worker")
    inbox = page.context.new_page()
    inbox.goto(base + "/notifications/inbox/")
    sms = inbox.locator("tbody").inner_text()
    assert number in sms
    assert "已提交，待受理" in sms
    inbox.close()

    acceptor = staff_login(browser, base, "amr_acceptor")
    open_application(acceptor, number)
    first = item.published_version.materials.order_by("order").first()
    assert acceptor.get_by_role("link", name=f"{first.name}.pdf").first.is_visible()  # the material viewer
    submit(acceptor, "受理")
    assert acceptor.get_by_text("已受理，受理通知书已生成。").is_visible()
    acceptor.get_by_label("审查意见").fill("材料齐全，符合法定形式。")
    submit(acceptor, "完成本环节")
    check_accessibility(acceptor)
    acceptor.context.close()

    reviewer = staff_login(browser, base, "amr_reviewer")
    open_application(reviewer, number)
    reviewer.get_by_label("审查意见").fill("经营场所与设施符合要求。")
    submit(reviewer, "完成本环节")
    assert reviewer.get_by_text("本环节审查意见已提交。").is_visible()
    reviewer.context.close()

    decider = staff_login(browser, base, "amr_decider")
    open_application(decider, number)
    decider.get_by_label("审查意见").fill("同意准予许可。")
    submit(decider, "完成本环节")
    decider.get_by_label("准予许可").check()
    decider.get_by_label("决定理由").fill("申请材料齐全，符合食品经营许可条件。")
    decider.get_by_label("决定依据").fill("《中华人民共和国食品安全法》第三十五条")
    decider.get_by_label("动态验证码（请重新输入验证器中的6位数字）").fill(next_code("amr_decider"))
    submit(decider, "作出决定")
    assert decider.get_by_text("决定已作出，决定书已生成。").is_visible()
    check_accessibility(decider)
    decider.context.close()

    application.refresh_from_db()
    assert application.status == Status.APPROVED
    notice = application.notices.get(kind=NoticeKind.DECISION)
    assert application.timeline.filter(action="decided", actor=demo_live["amr_decider"]).exists()

    try:
        mine = reverse("portal:applications")
    except NoReverseMatch:  # the portal's 我的办件 is not there yet
        return
    page.goto(base + "/accounts/login/?next=" + mine)
    page.get_by_label("手机号码 / 证件号码 / 统一社会信用代码").fill(CITIZEN_MOBILE)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    page.goto(base + reverse("portal:application", args=[application.uid]))
    assert page.get_by_text(number).first.is_visible()
    check_accessibility(page)
    download = page.request.get(base + reverse("portal:application_notice", args=[application.uid, notice.pk]))
    assert download.status == 200
    assert download.body().startswith(b"%PDF")
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED
