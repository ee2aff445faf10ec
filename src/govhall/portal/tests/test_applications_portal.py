"""在线办理 on the portal (issue 7, item 7): the applicant's whole journey on the demo item
个体工商户设立登记 (its agent letter is needed only when the form says an agent acts)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from stdnum.cn import ric

from govhall.accounts.models import EnterpriseProfile, OperatorAuthorisation
from govhall.accounts.services import find_applicant
from govhall.applications import services
from govhall.applications.models import Application, MaterialSubmission, Status
from govhall.applications.queries import PROGRESS_PER_NUMBER_PER_HOUR
from govhall.applications.tests.factories import ELF, applicant, pdf
from govhall.catalog.models import ServiceItem
from govhall.demo.data import DEMO_PASSWORD
from govhall.notifications.models import Message

ITEM = "个体工商户设立登记"
CITIZEN, OTHER = "13800000001", "13800000002"
ID_NUMBER = "22010219900307123" + ric.calc_check_digit("22010219900307123" + "0")


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def item(demo):
    return ServiceItem.objects.select_related("published_version").get(name=ITEM)


def login(mobile: str = CITIZEN) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"identifier": mobile, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def answers(**changes: str) -> dict[str, str]:
    data = {
        "applicant_name": "张三",
        "id_number": ID_NUMBER,
        "mobile": CITIZEN,
        "has_agent": "yes",
        "agent_name": "李代理",
        "action": "next",
    }
    return {**data, **changes}


def requirement(item, name_part: str):
    return item.published_version.materials.get(name__contains=name_part)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def start(client: Client, item) -> Application:
    """Start a draft as oneself; the new draft is the one the page redirects to."""
    response = client.post(f"/applications/apply/{item.implementation_code}/", {"capacity": "self"})
    uid = response["Location"].split("/")[2]
    assert response["Location"] == f"/applications/{uid}/form/"
    return Application.objects.get(uid=uid)


def filled_draft(client: Client, item) -> Application:
    """Start, fill the form with an agent (so the agent letter is needed) and upload every material."""
    application = start(client, item)
    client.post(f"/applications/{application.uid}/form/", answers())
    for name in ("居民身份证", "经营场所", "授权委托书"):
        client.post(
            f"/applications/{application.uid}/materials/",
            {"requirement": requirement(item, name).pk, "files": pdf(f"{name}.pdf")},
        )
    return application


def submitted(client: Client, item) -> Application:
    application = filled_draft(client, item)
    client.post(f"/applications/{application.uid}/review/")
    application.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE
    return application


def test_guide_page_offers_online_application_and_asks_to_log_in(client, item):
    page = client.get(f"/items/{item.implementation_code}/").content.decode()
    assert "在线办理" in page
    start = f"/applications/apply/{item.implementation_code}/"
    assert start in page
    response = client.get(start)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_whole_flow_from_draft_to_receipt(item):
    client = login()
    page = client.get(f"/applications/apply/{item.implementation_code}/").content.decode()
    assert "本人办理" in page
    application = start(client, item)

    # A missing conditional field: refused with the field's message, the rest kept in the draft.
    response = client.post(f"/applications/{application.uid}/form/", answers(agent_name=""))
    assert response.status_code == 200
    assert "代理人姓名为必填项" in response.content.decode()
    application.refresh_from_db()
    assert application.form_data["applicant_name"] == "张三"
    response = client.post(f"/applications/{application.uid}/form/", answers())
    assert response["Location"] == f"/applications/{application.uid}/materials/"

    # The agent letter is needed because the answers say an agent acts.
    page = client.get(f"/applications/{application.uid}/materials/").content.decode()
    assert "授权委托书" in page
    assert "根据您的填报需提交" in page

    # Resume on another device: the draft is in 我的办件, the form shows the saved answers.
    phone = login()
    assert f"/applications/{application.uid}/form/" in phone.get("/applications/").content.decode()
    assert "李代理" in phone.get(f"/applications/{application.uid}/form/").content.decode()

    # Submitting too early lists every missing material at once.
    review = phone.get(f"/applications/{application.uid}/review/").content.decode()
    assert "请上传“居民身份证”" in review
    assert "请上传“授权委托书及代理人身份证明”" in review
    for name in ("居民身份证", "经营场所", "授权委托书"):
        phone.post(
            f"/applications/{application.uid}/materials/",
            {"requirement": requirement(item, name).pk, "files": pdf(f"{name}.pdf")},
        )
    response = phone.post(f"/applications/{application.uid}/review/", follow=True)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE
    assert application.business_number in response.content.decode()

    receipts = Message.objects.filter(template_code="application_receipt").order_by("pk")
    [receipt] = [message for message in receipts if application.business_number in message.text]
    assert application.business_number in receipt.text
    assert ITEM in receipt.text
    assert "已提交，待受理" in receipt.text

    mine = client.get("/applications/").content.decode()
    assert application.business_number in mine
    assert "受理期限" in mine
    detail = client.get(f"/applications/{application.uid}/").content.decode()
    assert "已提交，待受理" in detail
    assert "申请人" in detail


def test_without_an_agent_the_letter_is_not_asked_for(item):
    client = login()
    application = start(client, item)
    client.post(f"/applications/{application.uid}/form/", answers(has_agent="no", agent_name=""))
    page = client.get(f"/applications/{application.uid}/materials/").content.decode()
    assert "根据您的填报，以下材料无需提交" in page
    review = client.get(f"/applications/{application.uid}/review/").content.decode()
    assert "授权委托书" not in review.split("申请材料")[0]  # not among the problems


def test_an_executable_upload_is_refused_and_nothing_changes(item):
    client = login()
    application = start(client, item)
    response = client.post(
        f"/applications/{application.uid}/materials/",
        {"requirement": requirement(item, "居民身份证").pk, "files": pdf("身份证.pdf", ELF)},
        follow=True,
    )
    assert any("可执行程序" in message for message in messages_of(response))
    assert not MaterialSubmission.objects.filter(application=application).exists()


def test_another_citizen_gets_404_everywhere(item, demo):
    application = submitted(login(), item)
    acceptor = demo["amr_acceptor"]
    services.accept(application, acceptor)
    notice = application.notices.get()
    other = login(OTHER)
    for url in (
        f"/applications/{application.uid}/",
        f"/applications/{application.uid}/notices/{notice.pk}.pdf",
        f"/applications/{application.uid}/withdraw/",
        f"/applications/{application.uid}/correction/",
        f"/applications/{application.uid}/files/{application.materials.first().pk}/",
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/applications/{application.uid}/withdraw/").status_code == 404
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert application.business_number not in other.get("/applications/").content.decode()


def test_notice_pdf_is_downloaded_through_the_permission_check(item, demo):
    client = login()
    application = submitted(client, item)
    services.accept(application, demo["amr_acceptor"])
    notice = application.notices.get()
    detail = client.get(f"/applications/{application.uid}/").content.decode()
    url = f"/applications/{application.uid}/notices/{notice.pk}.pdf"
    assert url in detail
    assert "下载受理通知书" in detail
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_correction_changes_only_what_the_notice_lists(item, demo):
    client = login()
    application = submitted(client, item)
    id_card = requirement(item, "居民身份证")
    services.request_correction(
        application,
        demo["amr_acceptor"],
        [{"field": "mobile", "reason": "联系电话无法接通"}, {"material": id_card.pk, "reason": "身份证照片模糊"}],
    )
    detail = client.get(f"/applications/{application.uid}/").content.decode()
    assert "联系电话无法接通" in detail
    assert "身份证照片模糊" in detail
    assert "补正并重新提交" in detail

    url = f"/applications/{application.uid}/correction/"
    page = client.get(url).content.decode()
    assert 'name="mobile"' in page
    assert 'name="applicant_name"' not in page

    # Trying to change an unlisted field as well: refused, nothing changed.
    response = client.post(
        url, {"mobile": "13900000009", "applicant_name": "王五", f"material_{id_card.pk}": pdf("新.pdf")}, follow=True
    )
    assert any("只能补正告知书列出的内容" in message for message in messages_of(response))
    application.refresh_from_db()
    assert application.status == Status.CORRECTION_REQUESTED
    assert application.form_data["mobile"] == CITIZEN
    assert application.form_data["applicant_name"] == "张三"

    response = client.post(url, {"mobile": "13900000009", f"material_{id_card.pk}": pdf("新.pdf")})
    assert response["Location"] == f"/applications/{application.uid}/"
    application.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE
    assert application.form_data["mobile"] == "13900000009"
    assert application.form_data["agent_name"] == "李代理"
    names = set(application.materials.filter(superseded_by__isnull=True).values_list("original_name", flat=True))
    assert "新.pdf" in names
    assert "居民身份证.pdf" not in names


def test_withdraw_asks_for_confirmation(item):
    client = login()
    application = submitted(client, item)
    page = client.get(f"/applications/{application.uid}/withdraw/").content.decode()
    assert "确定撤回" in page
    assert application.business_number in page
    application.refresh_from_db()
    assert application.status == Status.AWAITING_ACCEPTANCE
    response = client.post(f"/applications/{application.uid}/withdraw/", {"reason": "信息填错"})
    assert response["Location"] == "/applications/"
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert "已撤回" in client.get(f"/applications/{application.uid}/").content.decode()


def test_public_progress_shows_steps_only_and_never_tells_which_half_was_wrong(client, item):
    application = submitted(login(), item)
    response = client.post("/progress/", {"business_number": application.business_number, "mobile": CITIZEN})
    page = response.content.decode()
    assert response.status_code == 200
    assert "已提交，待受理" in page
    assert ITEM in page
    assert "张三" not in page
    assert ID_NUMBER not in page

    wrong_mobile = client.post("/progress/", {"business_number": application.business_number, "mobile": OTHER})
    unknown = client.post("/progress/", {"business_number": "X" * 27, "mobile": CITIZEN})
    for response in (wrong_mobile, unknown):
        assert "未查询到办件" in response.content.decode()
        assert ITEM not in response.content.decode()


def test_public_progress_is_rate_limited_per_business_number(client, item):
    application = submitted(login(), item)
    for _attempt in range(PROGRESS_PER_NUMBER_PER_HOUR - 1):
        client.post("/progress/", {"business_number": application.business_number, "mobile": "13000000000"})
    response = client.post("/progress/", {"business_number": application.business_number, "mobile": CITIZEN})
    assert response.status_code == 200
    assert "已提交，待受理" in response.content.decode()
    response = client.post("/progress/", {"business_number": application.business_number, "mobile": CITIZEN})
    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode()
    assert ITEM not in response.content.decode()


def test_an_enterprise_operator_applies_in_the_enterprises_name_and_only_for_their_own(item, demo):
    company = applicant("长春某某餐饮有限公司", kind="enterprise")
    profile = EnterpriseProfile.objects.create(
        user=company,
        uscc="91220101MA00TEST9X",
        legal_representative="王五",
        representative_document_type="resident_id",
        representative_document_number="220102199001011234",
        representative_document_hash="x",
    )
    citizen = find_applicant(CITIZEN)
    OperatorAuthorisation.objects.create(
        enterprise=profile, operator=citizen, valid_until=timezone.now() + datetime.timedelta(days=30)
    )
    client = login()
    start_url = f"/applications/apply/{item.implementation_code}/"
    assert "以“长春某某餐饮有限公司”经办人身份办理" in client.get(start_url).content.decode()
    response = client.post(start_url, {"capacity": f"operator:{profile.pk}"})
    application = Application.objects.get(uid=response["Location"].split("/")[2])
    assert (application.applicant, application.acting_person, application.enterprise) == (company, citizen, profile)

    other = login(OTHER)  # not an operator of that enterprise: refused, no draft
    before = Application.objects.count()
    response = other.post(start_url, {"capacity": f"operator:{profile.pk}"}, follow=True)
    assert any("不是该企业的有效经办人" in message for message in messages_of(response))
    assert Application.objects.count() == before
