"""A visitor finds the hall's entrances, sub-halls and centres, by mouse, keyboard and on a phone."""

import pytest

from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e


def test_home_sub_hall_and_centre_pages(page, live_server, demo_live):
    page.goto(live_server.url + "/")
    assert page.title() == "长春市网上办事大厅"
    assert page.get_by_role("link", name="个人办事").first.is_visible()
    check_accessibility(page)
    page.get_by_role("link", name="南关区").first.click()
    page.wait_for_url("**/sub-halls/220102/")
    assert page.get_by_role("heading", name="南关区分厅").is_visible()
    check_accessibility(page)
    page.get_by_role("link", name="南关区政务服务中心").click()
    page.wait_for_url("**/centres/nanguan/")
    assert page.get_by_text("东岭南街1899号").is_visible()
    check_accessibility(page)
    for path in ["/personal/", "/enterprise/", "/centres/", "/departments/", "/accounts/login/", "/no-such-page/"]:
        page.goto(live_server.url + path)
        check_accessibility(page)


def test_keyboard_skip_link_and_elder_mode(page, live_server, demo_live):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.get_by_role("button", name="长者模式").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "elder-mode" in page.locator("body").get_attribute("class")
    check_accessibility(page)
    page.goto(live_server.url + "/centres/")  # remembered on the next page
    assert "elder-mode" in page.locator("body").get_attribute("class")
    font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_size >= 20


def test_usable_at_360_px(browser, live_server, demo_live):
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in ["/", "/sub-halls/220102/", "/centres/cc-city/", "/accounts/login/"]:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
        check_accessibility(page)
    context.close()


def test_switch_to_english_and_back(page, live_server, demo_live):
    page.goto(live_server.url + "/centres/")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Changchun Online Government Service Hall" in page.title()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="简体中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
