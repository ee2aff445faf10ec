"""A staff member logs in with password + TOTP; the first login enrols an authenticator."""

import base64
import re

import pytest
from django_otp.oath import totp

from govhall.demo.data import DEMO_PASSWORD
from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e


def code_for(secret_b32: str) -> str:
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def test_staff_enrols_totp_and_lands_on_their_workbench(page, live_server, demo_live):
    page.goto(live_server.url + "/workbench/")
    assert page.url.endswith("/workbench/login/?next=/workbench/")
    check_accessibility(page)
    page.get_by_label("工作人员账号").fill("amr_responder")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="下一步").click()

    page.wait_for_url("**/workbench/login/enrol/")
    assert page.locator(".qr svg").is_visible()
    check_accessibility(page)
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("动态口令").fill(code_for(secret))
    page.get_by_role("button", name="完成绑定并登录").click()

    page.wait_for_url("**/workbench/")
    body = page.locator("body").inner_text()
    assert "认证器绑定成功" in body
    recovery_codes = re.findall(r"\b\d{8}\b", body.split("恢复码")[1])
    assert len(recovery_codes) == 10
    assert "咨询投诉答复人员" in body  # the role assignment
    menu = page.get_by_role("navigation", name="工作台菜单").inner_text()
    assert "工作台首页" in menu
    assert "审计日志" not in menu  # a responder holds no auditor or admin role
    assert "人员与角色" not in menu
    check_accessibility(page)

    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/workbench/login/")
    page.get_by_label("工作人员账号").fill("amr_responder")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url("**/workbench/login/verify/")
    page.get_by_label("动态口令").fill(recovery_codes[0])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/")


def test_a_wrong_code_keeps_the_workbench_closed(page, live_server, demo_live):
    page.goto(live_server.url + "/workbench/login/")
    page.get_by_label("工作人员账号").fill("city_admin")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url("**/workbench/login/verify/")
    page.get_by_label("动态口令").fill("000000")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_text("动态口令错误或已使用").is_visible()
    check_accessibility(page)
    page.goto(live_server.url + "/workbench/")
    assert "/workbench/login/" in page.url
