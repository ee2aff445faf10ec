"""综合窗口 from end to end (issue 8, Art. 9 and 12): a citizen's pre-review of 食品经营许可 passed by
the department; the window staff (``window_staff`` at the city centre) logs in with TOTP, finds it
by its business number, verifies an original, scans the material still missing and continues the
SAME record into awaiting acceptance; then decides an instant item (个体工商户设立登记) at once,
re-entering the TOTP code, while the citizen waits. An agent (代办) walks in for the citizen: the
clerk checks both ID cards and the signed authorisation, scans it and registers the application.

The citizen's online steps run through the services in the setup (the portal has its own journey).
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from stdnum.cn import ric

from govhall.accounts.models import Role, RoleAssignment
from govhall.applications import services
from govhall.applications.demo import _answers, submit_demo_application
from govhall.applications.models import Application, Channel, NoticeKind, Source, Status
from govhall.applications.submission import needed_requirements
from govhall.applications.tests.factories import pdf
from govhall.catalog.models import ServiceItem
from tests.e2e.conftest import check_accessibility
from tests.e2e.test_applications import CITIZEN_MOBILE, next_code, staff_login, submit

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"


def _pre_reviewed(item: ServiceItem, citizen, acceptor) -> Application:
    application = services.start_draft(citizen, item, channel=Channel.PRE_REVIEW, answers=_answers(citizen))
    for requirement in needed_requirements(application):
        services.add_material(application, citizen, requirement, pdf(f"{requirement.name}.pdf"))
    application = services.submit(application, citizen)
    return services.pass_pre_review(application, acceptor)


def find(page, number: str) -> None:
    page.get_by_role("link", name="综合窗口").click()
    page.wait_for_url("**/workbench/window/")
    check_accessibility(page)
    page.get_by_label("业务编号", exact=True).fill(number)
    with page.expect_navigation():
        page.get_by_role("button", name="查找").click()
    check_accessibility(page)


def test_window_staff_continue_a_pre_review_and_decide_an_instant_item(page, browser, live_server, demo_live):
    base = live_server.url
    citizen = next(user for user in demo_live.values() if user.mobile == CITIZEN_MOBILE)
    clerk = demo_live["window_staff"]
    food = ServiceItem.objects.get(name="食品经营许可")
    application = _pre_reviewed(food, citizen, demo_live["amr_acceptor"])
    number = application.business_number
    missing = next(r for r in needed_requirements(application, pre_review=False) if not r.needed_for_pre_review)

    desk = staff_login(browser, base, "window_staff")
    find(desk, number)
    assert desk.locator("#status").inner_text() == "预审通过，待现场核验"
    with desk.expect_navigation():
        desk.get_by_role("button", name="原件核验一致").first.click()
    assert desk.get_by_text("已记录原件核验。").is_visible()
    desk.get_by_label(f"扫描件：{missing.name}").set_input_files(
        files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": pdf().read()}]
    )
    with desk.expect_navigation():
        desk.locator(f"#material-{missing.pk}").get_by_role("button", name="上传扫描件").click()
    assert desk.get_by_text("扫描件已上传，原件已核验。").is_visible()
    submit(desk, "现场核验完毕，转入待受理")
    assert desk.get_by_text("已现场核验，申请转入待受理。").is_visible()
    check_accessibility(desk)

    application.refresh_from_db()
    assert (application.status, application.business_number) == (Status.AWAITING_ACCEPTANCE, number)
    assert application.materials.filter(source=Source.WINDOW_SCAN, original_verified_by=clerk).exists()
    assert [e.action for e in application.timeline.order_by("at", "pk")] == [
        "submitted",
        "pre_review_passed",
        "continued_on_site",
    ]

    # 即办件: the clerk also holds the department's acceptor and decider roles (a configured combination).
    shop = ServiceItem.objects.get(name="个体工商户设立登记")
    for role in (Role.ACCEPTOR, Role.DECIDER):
        RoleAssignment.objects.create(user=clerk, role=role, department=shop.department)
    instant = submit_demo_application(shop, citizen, timezone.now())
    desk.goto(base + "/workbench/")
    find(desk, instant.business_number)
    desk.get_by_label("准予许可").check()
    desk.get_by_label("决定理由").fill("材料齐全，符合法定形式，当场办结。")
    desk.get_by_label("决定依据").fill("《促进个体工商户发展条例》第八条")
    desk.get_by_label("动态验证码（请重新输入验证器中的6位数字）").fill(next_code("window_staff"))
    submit(desk, "当场受理并决定")
    assert desk.get_by_text("已当场受理并作出决定，受理通知书和决定书已生成。").is_visible()
    check_accessibility(desk)
    instant.refresh_from_db()
    assert instant.status == Status.APPROVED
    assert {n.kind for n in instant.notices.all()} == {NoticeKind.ACCEPTANCE, NoticeKind.DECISION}
    desk.context.close()


def test_an_agent_walks_in_for_a_registered_citizen(page, browser, live_server, demo_live):
    base = live_server.url
    citizen = next(user for user in demo_live.values() if user.mobile == CITIZEN_MOBILE)
    agent_number = "22010219880808123" + ric.calc_check_digit("22010219880808123" + "0")

    desk = staff_login(browser, base, "window_staff")
    desk.get_by_role("link", name="综合窗口").click()
    desk.wait_for_url("**/workbench/window/")
    row = desk.get_by_role("row").filter(has=desk.get_by_role("cell", name="食品经营许可", exact=True))
    with desk.expect_navigation():
        row.get_by_role("link", name="登记").click()
    desk.get_by_label("申请人姓名（与证件一致）").fill(citizen.name)
    desk.get_by_label("居民身份证号码", exact=True).fill(citizen.person.document_number)
    desk.get_by_label("代办人姓名（与证件一致）").fill("孙八")
    desk.get_by_label("代办人居民身份证号码").fill(agent_number)
    desk.get_by_label("代办人手机号码（代办人首次办理必填）").fill("13700000031")
    answers = {**_answers(citizen), "has_agent": "yes", "agent_name": "孙八", "agent_id_number": agent_number}
    for name, value in answers.items():
        field = desk.locator(f'[name="form-{name}"]')
        if not field.count():
            continue  # a question this guide's form does not ask
        if field.evaluate("node => node.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    submit(desk, "登记并继续扫描材料")
    assert desk.get_by_text("代办须扫描上传委托人签署的授权委托书。").is_visible()
    check_accessibility(desk)
    assert not Application.objects.filter(channel=Channel.WINDOW).exists()

    desk.get_by_label("授权委托书扫描件（已核对委托人签署的原件）").set_input_files(
        files=[{"name": "authorisation.pdf", "mimeType": "application/pdf", "buffer": pdf().read()}]
    )
    submit(desk, "登记并继续扫描材料")
    assert desk.get_by_text("已登记，请扫描申请材料后提交。").is_visible()
    check_accessibility(desk)
    application = Application.objects.get(channel=Channel.WINDOW)
    assert (application.applicant, application.acting_person.name, application.capacity) == (citizen, "孙八", "agent")
    assert application.authorisation_verified_by == demo_live["window_staff"]
    desk.context.close()
