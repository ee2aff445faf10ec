"""预约办理 from end to end (Art. 8): a citizen books a visit from a demo guide page, reads the
confirmation SMS with the booking code in the demo SMS inbox, and on the day window staff (password
+ TOTP) check the code in at the centre's day view."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django_otp.oath import totp

from govhall.appointments.models import Appointment, Status
from govhall.demo.data import DEMO_PASSWORD
from govhall.demo.management.commands.load_demo import demo_totp_key
from govhall.notifications.delivery import deliver_due
from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e

# 个体工商户设立登记 of the city market regulator (demo_data/core.py): bookable at the city centre.
ITEM_CODE = "11220100MB0000019Q0000000000101"
CITIZEN_MOBILE = "13800000001"


def staff_code(username: str) -> str:
    """The demo authenticator's current code (the demo prints the same secret)."""
    return f"{totp(bytes.fromhex(demo_totp_key(username)), step=30, t0=0, digits=6):06d}"


def book_a_visit(page, base: str) -> str:
    page.goto(f"{base}/items/{ITEM_CODE}/")
    with page.expect_navigation():
        page.get_by_role("link", name="预约办理").click()
    assert "/accounts/login/" in page.url  # login required, and back to the flow afterwards
    page.get_by_label("手机号码 / 证件号码 / 统一社会信用代码").fill(CITIZEN_MOBILE)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/appointments/book/**")
    if page.get_by_role("heading", name="第1步：选择服务中心").count():
        with page.expect_navigation():
            page.get_by_role("link", name=re.compile("长春市政务服务中心")).click()
    check_accessibility(page)
    with page.expect_navigation():
        page.locator(".list-group a").first.click()  # the first bookable day
    check_accessibility(page)
    with page.expect_navigation():
        page.locator("a.btn-outline-primary").first.click()  # the first free slot
    assert page.get_by_text("请携带以下材料").is_visible()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="确认预约").click()
    assert page.get_by_text("预约成功").is_visible()
    assert page.locator(".qr svg").is_visible()
    check_accessibility(page)
    return page.locator("#booking-code").inner_text().strip()


def test_citizen_books_reads_the_sms_and_is_checked_in(page, live_server, demo_live):
    code = book_a_visit(page, live_server.url)
    appointment = Appointment.objects.get(code=code)
    assert appointment.applicant.mobile == CITIZEN_MOBILE

    deliver_due("e2e-worker")
    inbox = page.context.new_page()
    inbox.goto(live_server.url + "/notifications/inbox/")
    sms = inbox.locator("tbody").inner_text()
    assert f"预约号{code}" in sms
    assert "长春市政务服务中心" in sms
    inbox.close()

    page.goto(live_server.url + "/appointments/")
    assert page.get_by_text(code).is_visible()
    check_accessibility(page)

    # On the day of the visit, ten minutes before the slot.
    arrival = appointment.slot.start - datetime.timedelta(minutes=10)
    with time_machine.travel(arrival, tick=True):
        staff = page.context.browser.new_context(locale="zh-CN").new_page()
        staff.goto(live_server.url + "/workbench/login/")
        staff.get_by_label("工作人员账号").fill("window_staff")
        staff.get_by_label("密码").fill(DEMO_PASSWORD)
        staff.get_by_role("button", name="下一步").click()
        staff.wait_for_url("**/workbench/login/verify/")
        staff.get_by_label("动态口令").fill(staff_code("window_staff"))
        staff.get_by_role("button", name="登录").click()
        staff.wait_for_url("**/workbench/")
        staff.get_by_role("link", name="预约管理").click()
        staff.wait_for_url("**/workbench/appointments/")
        assert staff.get_by_text(code).is_visible()
        assert staff.get_by_text("张*").first.is_visible()  # masked in the list
        check_accessibility(staff)
        staff.get_by_label("签到：预约号").fill(code.lower())  # what a scanner or a hurried hand types
        with staff.expect_navigation():
            staff.get_by_role("button", name="签到", exact=True).click()
        assert staff.get_by_text(f"{code} 已签到").is_visible()
        check_accessibility(staff)
        staff.context.close()

    appointment.refresh_from_db()
    assert appointment.status == Status.CHECKED_IN
