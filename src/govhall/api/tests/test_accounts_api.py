import re

from captcha.models import CaptchaStore
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.cn import ric

from govhall.demo.data import DEMO_PASSWORD
from govhall.notifications.models import Message

MOBILE = "13512345678"


def resident_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def request_code(client, mobile=MOBILE, purpose="register"):
    challenge = client.get("/api/v1/accounts/captcha").json()
    answer = CaptchaStore.objects.get(hashkey=challenge["key"]).response
    return client.post(
        "/api/v1/accounts/codes",
        {"mobile": mobile, "purpose": purpose, "captcha_key": challenge["key"], "captcha_value": answer},
        content_type="application/json",
    )


def latest_code() -> str:
    return re.search(r"\d{6}", Message.objects.latest("id").text).group(0)


def test_register_obtain_token_and_read_profile(client, demo):
    assert request_code(client).status_code == 202
    payload = {
        "name": "王小明",
        "document_number": resident_id("22010519880808123"),
        "mobile": MOBILE,
        "code": latest_code(),
        "password": "Autumn-Leaf-2026",
        "password2": "Autumn-Leaf-2026",
        "consent": True,
    }
    response = client.post("/api/v1/accounts/register/person", payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["mobile"] == "135****5678"
    assert response.json()["document"].startswith("220105********")

    token = client.post(
        "/api/v1/accounts/token",
        {"identifier": MOBILE, "password": "Autumn-Leaf-2026"},
        content_type="application/json",
    ).json()["token"]
    client.logout()
    me = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["name"] == "王小明"


def test_errors_use_the_project_format(client, demo):
    response = client.post(
        "/api/v1/accounts/register/person",
        {
            "name": "王",
            "document_number": "123",
            "mobile": "1",
            "code": "1",
            "password": "x",
            "password2": "y",
            "consent": False,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert {"document_number", "mobile", "password2", "consent"} <= set(body["fields"])


def test_wrong_captcha_is_a_field_error(client, demo):
    challenge = client.get("/api/v1/accounts/captcha").json()
    response = client.post(
        "/api/v1/accounts/codes",
        {"mobile": MOBILE, "captcha_key": challenge["key"], "captcha_value": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "captcha_value" in response.json()["fields"]
    assert not Message.objects.exists()


def test_me_needs_authentication(client, db):
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated", "message": "请先登录。", "fields": {}}


def test_a_bad_token_is_refused(client, db):
    assert client.get("/api/v1/accounts/me", headers={"Authorization": "Bearer abc.def"}).status_code == 401


def test_staff_need_totp_for_a_token(client, demo):
    body = {"identifier": "city_admin", "password": DEMO_PASSWORD}
    response = client.post("/api/v1/accounts/token", body, content_type="application/json")
    assert response.status_code == 401
    device = TOTPDevice.objects.get(user=demo["city_admin"])
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post("/api/v1/accounts/token", body | {"otp": code}, content_type="application/json")
    assert response.status_code == 201


def test_password_only_staff_session_gets_nothing_from_the_api(client, demo):
    client.force_login(demo["city_admin"])  # no second factor in this session
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_enterprise_manages_operators_over_the_api(client, demo):
    from govhall.core.validators import uscc_from_parts

    request_code(client, mobile="13700000009")
    client.post(
        "/api/v1/accounts/register/enterprise",
        {
            "name": "吉林省测试科技有限公司",
            "uscc": uscc_from_parts("91220101", "MA17TEXT"),
            "representative": "赵六",
            "document_number": resident_id("22010319750505123"),
            "mobile": "13700000009",
            "code": latest_code(),
            "password": "Autumn-Leaf-2026",
            "password2": "Autumn-Leaf-2026",
            "consent": True,
        },
        content_type="application/json",
    )
    token = client.post(
        "/api/v1/accounts/token",
        {"identifier": "13700000009", "password": "Autumn-Leaf-2026"},
        content_type="application/json",
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    created = client.post(
        "/api/v1/accounts/me/operators",
        {"identifier": "13800000001", "scope": "query", "valid_until": "2027-06-30"},
        content_type="application/json",
        headers=auth,
    )
    assert created.status_code == 201
    assert created.json()["operator_mobile"] == "138****0001"
    listed = client.get("/api/v1/accounts/me/operators", headers=auth).json()
    assert [item["operator_name"] for item in listed] == ["张三"]
    assert client.delete(f"/api/v1/accounts/me/operators/{listed[0]['id']}", headers=auth).status_code == 204
    assert client.get("/api/v1/accounts/me/operators", headers=auth).json()[0]["revoked"] is True
