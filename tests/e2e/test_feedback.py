"""咨询与好差评 from end to end (Art. 15, 16): a citizen asks on a demo guide page, the department
head (password + TOTP) answers in the workbench, the citizen reads the SMS in the demo inbox and
rates the answer on the five levels."""

from __future__ import annotations

import pytest

from govhall.demo.data import DEMO_PASSWORD
from govhall.feedback.models import Consultation, Evaluation
from govhall.notifications.delivery import deliver_due
from tests.e2e.conftest import check_accessibility
from tests.e2e.test_appointments import CITIZEN_MOBILE, ITEM_CODE, staff_code

pytestmark = pytest.mark.e2e


def ask_on_the_guide_page(page, base: str) -> str:
    page.goto(f"{base}/items/{ITEM_CODE}/")
    with page.expect_navigation():
        page.get_by_role("link", name="咨询", exact=True).click()
    assert "/accounts/login/" in page.url
    page.get_by_label("手机号码 / 证件号码 / 统一社会信用代码").fill(CITIZEN_MOBILE)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/feedback/ask/**")
    check_accessibility(page)
    page.get_by_label("咨询内容").fill("个体工商户设立登记需要本人到场吗？")
    with page.expect_navigation():
        page.get_by_role("button", name="提交咨询").click()
    assert page.get_by_text("咨询已提交").is_visible()
    check_accessibility(page)
    return page.locator("#consultation-number").inner_text().strip()


def answer_in_the_workbench(browser, base: str, number: str) -> None:
    staff = browser.new_context(locale="zh-CN").new_page()
    staff.goto(base + "/workbench/login/")
    staff.get_by_label("工作人员账号").fill("amr_head")
    staff.get_by_label("密码").fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="下一步").click()
    staff.wait_for_url("**/workbench/login/verify/")
    staff.get_by_label("动态口令").fill(staff_code("amr_head"))
    staff.get_by_role("button", name="登录").click()
    staff.wait_for_url("**/workbench/")
    staff.get_by_role("link", name="咨询投诉").first.click()
    staff.wait_for_url("**/workbench/feedback/")
    check_accessibility(staff)
    with staff.expect_navigation():
        staff.get_by_role("link", name=number).click()
    check_accessibility(staff)
    staff.get_by_label("答复内容").fill("可以委托他人办理，需提交授权委托书。")
    with staff.expect_navigation():
        staff.get_by_role("button", name="答复并短信通知").click()
    assert staff.get_by_text("已答复，已短信通知咨询人。").is_visible()
    staff.context.close()


def test_ask_answer_sms_rate(page, live_server, demo_live):
    number = ask_on_the_guide_page(page, live_server.url)
    answer_in_the_workbench(page.context.browser, live_server.url, number)

    deliver_due("e2e-worker")
    inbox = page.context.new_page()
    inbox.goto(live_server.url + "/notifications/inbox/")
    assert f"咨询（编号{number}）已有答复" in inbox.locator("tbody").inner_text()
    inbox.close()

    consultation = Consultation.objects.get(number=number)
    page.goto(f"{live_server.url}/feedback/consultations/{consultation.pk}/")
    assert page.get_by_text("可以委托他人办理").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="评价本次答复").click()
    check_accessibility(page)
    for name in ("level", "efficiency", "guide_accuracy", "convenience", "usability"):
        page.locator(f'input[name="{name}"][value="5"]').check()
    page.get_by_label("评价内容").fill("答复及时、清楚。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交评价").click()
    assert page.get_by_text("感谢您的评价").is_visible()
    check_accessibility(page)
    assert Evaluation.objects.get(invitation__consultation=consultation).level == 5
