"""Applying online through the API (issue 7, item 7): what a mobile app does, on the demo item
个体工商户设立登记 (its agent letter is needed only when the form says an agent acts)."""

from __future__ import annotations

import json

import pytest
from stdnum.cn import ric

from govhall.applications import services
from govhall.applications.models import Application, Status
from govhall.applications.queries import PROGRESS_PER_NUMBER_PER_HOUR
from govhall.applications.tests.factories import ELF, pdf
from govhall.catalog.models import ServiceItem
from govhall.demo.data import DEMO_PASSWORD
from govhall.notifications.models import Message

ITEM = "个体工商户设立登记"
CITIZEN, OTHER = "13800000001", "13800000002"
ANSWERS = {
    "applicant_name": "张三",
    "id_number": "22010219900307123" + ric.calc_check_digit("22010219900307123" + "0"),
    "mobile": CITIZEN,
    "has_agent": "yes",
    "agent_name": "李代理",
}
BASE = "/api/v1/applications"


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def item(demo):
    return ServiceItem.objects.get(name=ITEM)


def bearer(client, mobile: str = CITIZEN) -> dict[str, str]:
    response = client.post(
        "/api/v1/accounts/token", {"identifier": mobile, "password": DEMO_PASSWORD}, content_type="application/json"
    )
    return {"Authorization": f"Bearer {response.json()['token']}"}


def start(client, headers, item) -> str:
    response = client.post(
        f"{BASE}/drafts", {"item": item.implementation_code}, content_type="application/json", headers=headers
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "draft"
    return response.json()["uid"]


def materials(client, headers, uid) -> dict[str, dict]:
    return {m["name"]: m for m in client.get(f"{BASE}/{uid}/materials", headers=headers).json()}


def submitted(client, headers, item) -> str:
    uid = start(client, headers, item)
    client.put(f"{BASE}/{uid}/answers", {"answers": ANSWERS}, content_type="application/json", headers=headers)
    for material in materials(client, headers, uid).values():
        if material["needed"]:
            response = client.post(f"{BASE}/{uid}/materials/{material['id']}", {"file": pdf()}, headers=headers)
            assert response.status_code == 201, response.json()
    response = client.post(f"{BASE}/{uid}/submit", headers=headers)
    assert response.status_code == 200, response.json()
    return uid


def test_the_whole_applicant_flow(client, item):
    headers = bearer(client)
    uid = start(client, headers, item)
    form = client.get(f"{BASE}/{uid}/form", headers=headers).json()
    assert "has_agent" in [field["name"] for field in form["definition"]["fields"]]

    # Without an agent the letter is not needed; with one it is.
    client.put(
        f"{BASE}/{uid}/answers",
        {"answers": {**ANSWERS, "has_agent": "no"}},
        content_type="application/json",
        headers=headers,
    )
    letter = next(m for name, m in materials(client, headers, uid).items() if "授权委托书" in name)
    assert letter["needed"] is False
    response = client.put(
        f"{BASE}/{uid}/answers", {"answers": ANSWERS}, content_type="application/json", headers=headers
    )
    assert response.json()["answers"]["agent_name"] == "李代理"
    needed = {name: m for name, m in materials(client, headers, uid).items() if m["needed"]}
    assert any("授权委托书" in name for name in needed)

    # Submitting too early: every missing material listed at once, in Chinese.
    response = client.post(f"{BASE}/{uid}/submit", headers=headers)
    assert response.status_code == 422
    assert "请上传“居民身份证”" in response.json()["message"]
    assert len([key for key in response.json()["fields"] if key.startswith("material.")]) == len(needed)

    for material in needed.values():
        response = client.post(f"{BASE}/{uid}/materials/{material['id']}", {"file": pdf()}, headers=headers)
        assert response.status_code == 201
        assert response.json()["content_type"] == "application/pdf"
    response = client.post(f"{BASE}/{uid}/submit", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "awaiting_acceptance"
    assert body["acceptance_due"]
    assert [step["status_label"] for step in body["timeline"]] == ["已提交，待受理"]

    receipts = [m.text for m in Message.objects.filter(template_code="application_receipt")]
    [receipt] = [text for text in receipts if body["business_number"] in text]
    assert ITEM in receipt
    assert "已提交，待受理" in receipt

    listed = client.get(BASE, headers=headers).json()
    assert uid in [row["uid"] for row in listed]


def test_an_executable_upload_is_refused_with_nothing_changed(client, item):
    headers = bearer(client)
    uid = start(client, headers, item)
    material = materials(client, headers, uid)["居民身份证"]
    response = client.post(
        f"{BASE}/{uid}/materials/{material['id']}", {"file": pdf("身份证.pdf", ELF)}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["code"] == "executable"
    assert "可执行程序" in response.json()["message"]
    assert materials(client, headers, uid)["居民身份证"]["files"] == []


def test_correction_response_refuses_an_unlisted_field_then_accepts_the_listed_one(client, item, demo):
    headers = bearer(client)
    uid = submitted(client, headers, item)
    application = Application.objects.get(uid=uid)
    id_card = item.published_version.materials.get(name="居民身份证")
    services.request_correction(
        application,
        demo["amr_acceptor"],
        [{"field": "mobile", "reason": "联系电话无法接通"}, {"material": id_card.pk, "reason": "身份证照片模糊"}],
    )
    detail = client.get(f"{BASE}/{uid}", headers=headers).json()
    assert [(c["label"], c["reason"]) for c in detail["correction"]] == [
        ("联系电话", "联系电话无法接通"),
        ("居民身份证", "身份证照片模糊"),
    ]
    notice = detail["notices"][0]
    response = client.get(f"{BASE}/{uid}/notices/{notice['id']}", headers=headers)
    assert response["Content-Type"] == "application/pdf"

    refused = client.post(
        f"{BASE}/{uid}/correction",
        {"answers": json.dumps({"mobile": "13900000009", "applicant_name": "王五"}), f"material_{id_card.pk}": pdf()},
        headers=headers,
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "not_listed"
    assert "applicant_name" in refused.json()["message"]
    application.refresh_from_db()
    assert application.status == Status.CORRECTION_REQUESTED
    assert application.form_data["applicant_name"] == "张三"

    response = client.post(
        f"{BASE}/{uid}/correction",
        {"answers": json.dumps({"mobile": "13900000009"}), f"material_{id_card.pk}": pdf()},
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json()["status"] == "awaiting_acceptance"


def test_withdraw(client, item):
    headers = bearer(client)
    uid = submitted(client, headers, item)
    response = client.post(
        f"{BASE}/{uid}/withdraw", {"reason": "信息填错"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    again = client.post(f"{BASE}/{uid}/withdraw", {}, content_type="application/json", headers=headers)
    assert again.status_code == 422


def test_another_applicants_id_is_not_found(client, item, demo):
    uid = submitted(client, bearer(client), item)
    application = Application.objects.get(uid=uid)
    services.accept(application, demo["amr_acceptor"])
    notice = application.notices.get()
    other = bearer(client, OTHER)
    for url in (f"{BASE}/{uid}", f"{BASE}/{uid}/form", f"{BASE}/{uid}/materials", f"{BASE}/{uid}/notices/{notice.pk}"):
        response = client.get(url, headers=other)
        assert response.status_code == 404, url
        assert response.json()["message"] == "办件不存在。"
    response = client.post(f"{BASE}/{uid}/withdraw", {}, content_type="application/json", headers=other)
    assert response.status_code == 404
    assert uid not in [row["uid"] for row in client.get(BASE, headers=other).json()]
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


def test_unauthenticated_calls_are_refused(client, item):
    response = client.get(BASE)
    assert response.status_code == 401
    assert response.json()["message"] == "请先登录。"


def test_public_progress_no_personal_data_no_enumeration_rate_limited(client, item):
    uid = submitted(client, bearer(client), item)
    number = Application.objects.get(uid=uid).business_number
    client.logout()

    def ask(mobile: str, business_number: str = number):
        return client.post(
            f"{BASE}/progress", {"business_number": business_number, "mobile": mobile}, content_type="application/json"
        )

    found = ask(CITIZEN)
    assert found.status_code == 200
    assert found.json()["label"] == "已提交，待受理"
    assert "张三" not in found.content.decode()
    wrong_mobile, unknown = ask(OTHER), ask(CITIZEN, "X" * 27)
    assert wrong_mobile.status_code == unknown.status_code == 404
    assert wrong_mobile.json() == unknown.json()

    for _attempt in range(PROGRESS_PER_NUMBER_PER_HOUR - 2):
        ask(OTHER)
    limited = ask(CITIZEN)
    assert limited.status_code == 429
    assert limited.json()["message"] == "查询过于频繁，请一小时后再试。"
