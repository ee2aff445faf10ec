"""Registration, password reset, operators and cancellation, through the pages a person uses."""

import datetime
import re

import pytest
from captcha.models import CaptchaStore
from django.utils import timezone
from stdnum.cn import ric

from govhall.accounts.models import Consent, OperatorAuthorisation, PersonProfile, User
from govhall.accounts.services import find_applicant
from govhall.core.audit.models import AuditEvent
from govhall.core.validators import uscc_from_parts
from govhall.demo.data import DEMO_PASSWORD
from govhall.notifications.models import Message

MOBILE = "13912345678"
PASSWORD = "Spring-Rain-2026"


def resident_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def captcha(client, path: str) -> dict[str, str]:
    """Read the challenge the page shows (a person reads the image; the test reads the store)."""
    html = client.get(path).content.decode()
    key = re.search(r'name="captcha_0"[^>]*value="([0-9a-f]+)"|value="([0-9a-f]+)"[^>]*name="captcha_0"', html)
    hashkey = key.group(1) or key.group(2)
    return {"captcha_0": hashkey, "captcha_1": CaptchaStore.objects.get(hashkey=hashkey).response}


def sms_code(mobile: str) -> str:
    message = Message.objects.filter(template_code="verification_code").order_by("-id").first()
    assert message.recipient == mobile
    return re.search(r"\d{6}", message.text).group(0)


PERSON = {
    "name": "阿依古丽·买买提",
    "document_type": "resident_id",
    "document_number": resident_id("22010419900101123"),
    "mobile": MOBILE,
    "password": PASSWORD,
    "password2": PASSWORD,
    "consent": "on",
}


def send_code(client, path, data):
    return client.post(path, data | captcha(client, path) | {"action": "send_code"})


def test_citizen_registers_with_an_sms_code(client, demo):
    response = send_code(client, "/accounts/register/", PERSON)
    html = response.content.decode()
    assert "验证码已发送至139****5678" in html
    assert 'value="阿依古丽·买买提"' in html  # what was typed stays
    response = client.post(
        "/accounts/register/", PERSON | {"code": sms_code(MOBILE), "action": "register"}, follow=True
    )
    html = response.content.decode()
    assert "注册成功" in html
    user = find_applicant(MOBILE)
    assert user.name == "阿依古丽·买买提"
    assert user.person.masked_document_number in html
    assert PERSON["document_number"] not in html  # masked on the account page
    assert Consent.objects.filter(user=user, notice__version="2026.1").exists()
    assert AuditEvent.objects.filter(action="account.registered", actor_id=user.pk).exists()


def test_wrong_captcha_sends_no_code(client, demo):
    response = client.post(
        "/accounts/register/", PERSON | {"captcha_0": "x" * 40, "captcha_1": "nope", "action": "send_code"}
    )
    assert "图形验证码错误" in response.content.decode()
    assert not Message.objects.exists()


def test_code_requests_are_rate_limited(client, demo):
    send_code(client, "/accounts/register/", PERSON)
    response = send_code(client, "/accounts/register/", PERSON)
    assert "发送过于频繁" in response.content.decode()
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field_error"),
    [
        ({"document_number": PERSON["document_number"][:-1] + "0"}, "校验位"),
        ({"document_number": resident_id("22010419900230123")}, "出生日期不存在"),
        ({"password2": "Another-Pass-1"}, "两次输入的密码不一致"),
        ({"consent": ""}, "请阅读并同意隐私政策"),
        ({"name": "𠮷" * 60 + "<"}, "姓名"),
    ],
)
def test_bad_registrations_create_nothing(client, demo, change, field_error):
    send_code(client, "/accounts/register/", PERSON)
    data = PERSON | {"code": sms_code(MOBILE), "action": "register"} | change
    html = client.post("/accounts/register/", data).content.decode()
    assert field_error in html
    assert find_applicant(MOBILE) is None


def test_sixty_rare_characters_are_a_valid_name(client, demo):
    send_code(client, "/accounts/register/", PERSON)
    data = PERSON | {"code": sms_code(MOBILE), "action": "register", "name": "𠮷䶮" * 30}
    client.post("/accounts/register/", data)
    assert find_applicant(MOBILE).name == "𠮷䶮" * 30


def test_wrong_code_five_times_burns_it(client, demo):
    send_code(client, "/accounts/register/", PERSON)
    right = sms_code(MOBILE)
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        html = client.post("/accounts/register/", PERSON | {"code": wrong, "action": "register"}).content.decode()
        assert f"还可尝试{left}次" in html
    client.post("/accounts/register/", PERSON | {"code": wrong, "action": "register"})
    html = client.post("/accounts/register/", PERSON | {"code": right, "action": "register"}).content.decode()
    assert "错误次数过多" in html
    assert find_applicant(MOBILE) is None


def test_expired_code_is_refused(client, demo, time_machine):
    send_code(client, "/accounts/register/", PERSON)
    code = sms_code(MOBILE)
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=6))
    html = client.post("/accounts/register/", PERSON | {"code": code, "action": "register"}).content.decode()
    assert "验证码已过期" in html


def test_duplicate_registration_is_refused(client, demo):
    taken = PERSON | {"mobile": "13800000001"}  # 张三's number
    html = send_code(client, "/accounts/register/", taken).content.decode()
    assert "该手机号码已注册" in html
    assert not Message.objects.exists()


ENTERPRISE = {
    "name": "长春市一汽配件有限公司",
    "uscc": uscc_from_parts("91220101", "MA17ABCD"),
    "representative": "李建国",
    "document_type": "resident_id",
    "document_number": resident_id("22010219700101123"),
    "mobile": "13700000007",
    "password": PASSWORD,
    "password2": PASSWORD,
    "consent": "on",
}


def test_enterprise_registers_and_authorises_an_operator(client, demo):
    send_code(client, "/accounts/register/enterprise/", ENTERPRISE)
    data = ENTERPRISE | {"code": sms_code("13700000007"), "action": "register"}
    html = client.post("/accounts/register/enterprise/", data, follow=True).content.decode()
    assert "注册成功" in html
    enterprise = find_applicant(ENTERPRISE["uscc"])
    assert enterprise.kind == "enterprise"

    until = (timezone.localdate() + datetime.timedelta(days=180)).isoformat()
    response = client.post(
        "/accounts/operators/", {"identifier": "13800000001", "scope": "apply", "valid_until": until}
    )
    assert response.status_code == 302
    authorisation = OperatorAuthorisation.objects.get(enterprise__user=enterprise)
    assert authorisation.operator.name == "张三"
    html = client.get("/accounts/").content.decode()
    assert "138****0001" in html

    client.post(f"/accounts/operators/{authorisation.pk}/revoke/")
    authorisation.refresh_from_db()
    assert authorisation.revoked_at is not None
    assert AuditEvent.objects.filter(action="operator.revoked").exists()


def test_self_registration_refuses_a_uscc_failing_its_checksum(client, demo):
    bad = ENTERPRISE | {"uscc": ENTERPRISE["uscc"][:-1] + ("0" if ENTERPRISE["uscc"][-1] != "0" else "1")}
    send_code(client, "/accounts/register/enterprise/", bad)
    data = bad | {"code": sms_code("13700000007"), "action": "register"}
    html = client.post("/accounts/register/enterprise/", data).content.decode()
    assert "统一社会信用代码校验位错误" in html
    assert not User.objects.filter(kind="enterprise").exists()


def test_operator_needs_a_registered_person(client, demo):
    send_code(client, "/accounts/register/enterprise/", ENTERPRISE)
    client.post("/accounts/register/enterprise/", ENTERPRISE | {"code": sms_code("13700000007"), "action": "register"})
    until = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    html = client.post(
        "/accounts/operators/", {"identifier": "13600000000", "scope": "all", "valid_until": until}
    ).content.decode()
    assert "未找到该实名注册的个人用户" in html


def test_password_reset_with_code(client, demo):
    html = send_code(client, "/accounts/reset/", {"mobile": "13800000001"}).content.decode()
    assert "验证码已发送" in html
    data = {"mobile": "13800000001", "code": sms_code("13800000001"), "password": PASSWORD, "password2": PASSWORD}
    response = client.post("/accounts/reset/", data | {"action": "reset"}, follow=True)
    assert "密码已重置" in response.content.decode()
    login = client.post("/accounts/login/", {"identifier": "13800000001", "password": PASSWORD})
    assert login.status_code == 302


def test_reset_for_an_unknown_number_looks_the_same_but_sends_nothing(client, demo):
    html = send_code(client, "/accounts/reset/", {"mobile": "13600000000"}).content.decode()
    assert "验证码已发送" in html
    assert not Message.objects.exists()


def test_cancel_account_removes_personal_data(client, demo):
    user = find_applicant("13800000001")
    client.force_login(user)
    html = client.post("/accounts/cancel/", {"password": "wrong", "confirm": "on"}).content.decode()
    assert "密码错误" in html
    response = client.post("/accounts/cancel/", {"password": DEMO_PASSWORD, "confirm": "on", "reason": "迁出"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert user.mobile == ""
    assert user.name == "已注销用户"
    assert not PersonProfile.objects.filter(user=user).exists()
    assert find_applicant("13800000001") is None
    assert AuditEvent.objects.filter(action="account.cancelled", reason="迁出").exists()
    assert AuditEvent.objects.filter(action="account.registered", object_id=str(user.pk)).exists()  # kept
