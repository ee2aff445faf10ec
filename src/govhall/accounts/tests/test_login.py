import pytest

from govhall.core.audit.models import AuditEvent
from govhall.demo.data import DEMO_PASSWORD


@pytest.mark.parametrize("identifier", ["13800000001", "+86 138 0000 0001"])
def test_citizen_logs_in_with_mobile(client, demo, identifier):
    response = client.post("/accounts/login/", {"identifier": identifier, "password": DEMO_PASSWORD}, follow=True)
    assert "登录成功" in response.content.decode()
    assert response.context["user"].name == "张三"


def test_citizen_logs_in_with_resident_id(client, demo):
    from govhall.accounts.services import find_applicant

    number = find_applicant("13800000001").person.document_number
    response = client.post("/accounts/login/", {"identifier": number.lower(), "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_staff_cannot_use_the_applicant_login(client, demo):
    response = client.post("/accounts/login/", {"identifier": "city_admin", "password": DEMO_PASSWORD})
    assert "账号或密码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_account_and_are_audited(client, demo):
    for _ in range(5):
        response = client.post("/accounts/login/", {"identifier": "13800000001", "password": "wrong-password"})
        assert "账号或密码错误" in response.content.decode()
    response = client.post("/accounts/login/", {"identifier": "13800000001", "password": DEMO_PASSWORD})
    assert "已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="account.login_failed").count() == 5
    assert AuditEvent.objects.filter(action="account.locked").count() == 1


def test_logout(client, demo):
    client.post("/accounts/login/", {"identifier": "13800000001", "password": DEMO_PASSWORD})
    response = client.post("/accounts/logout/", follow=True)
    assert "您已安全退出" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_next_parameter_cannot_redirect_off_site(client, demo):
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"identifier": "13800000001", "password": DEMO_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"
