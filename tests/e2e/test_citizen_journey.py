"""A citizen registers with an SMS code read from the demo SMS inbox, logs out, logs in again and
switches the interface to English."""

import re

import pytest
from captcha.models import CaptchaStore
from stdnum.cn import ric

from govhall.notifications.delivery import deliver_due
from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e

BODY = "22010319921010123"
DOCUMENT = BODY + ric.calc_check_digit(BODY + "0")
MOBILE = "13698765432"
PASSWORD = "Lilac-Garden-2026"


def read_captcha(page) -> str:
    """The test reads the answer from the store, as a person reads it from the image."""
    hashkey = page.locator("input[name=captcha_0]").get_attribute("value")
    return CaptchaStore.objects.get(hashkey=hashkey).response


def test_citizen_registers_logs_in_and_switches_language(page, live_server, demo_live):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="注册").click()
    page.wait_for_url("**/accounts/register/")
    check_accessibility(page)
    page.get_by_label("姓名").fill("刘𠮷祥")
    page.get_by_label("证件号码").fill(DOCUMENT)
    page.get_by_label("手机号码").fill(MOBILE)
    page.locator("input[name=captcha_1]").fill(read_captcha(page))
    with page.expect_navigation():
        page.get_by_role("button", name="获取短信验证码").click()
    assert page.get_by_text("验证码已发送至136****5432").is_visible()
    check_accessibility(page)

    deliver_due("e2e-worker")  # what the background worker does every minute
    inbox = page.context.new_page()
    inbox.goto(live_server.url + "/notifications/inbox/")
    text = inbox.locator("tbody").inner_text()
    assert MOBILE in text
    code = re.search(r"验证码为(\d{6})", text).group(1)
    inbox.close()

    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("设置密码").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_label("我已阅读并同意《隐私政策》").check()
    with page.expect_navigation():
        page.get_by_role("button", name="注册", exact=True).click()
    assert page.get_by_text("注册成功").is_visible()
    assert page.get_by_text("刘𠮷祥").first.is_visible()
    assert page.get_by_text("220103********").is_visible()
    check_accessibility(page)

    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    page.get_by_role("link", name="登录").click()
    page.get_by_label("手机号码 / 证件号码 / 统一社会信用代码").fill(MOBILE)
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert page.get_by_text("登录成功").is_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    check_accessibility(page)
