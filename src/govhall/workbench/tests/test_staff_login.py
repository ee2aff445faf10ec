import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from govhall.core.audit.models import AuditEvent
from govhall.demo.data import DEMO_PASSWORD


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_step(client, username="city_admin", password=DEMO_PASSWORD):
    return client.post("/workbench/login/", {"username": username, "password": password})


def test_password_alone_does_not_open_the_workbench(client, demo):
    response = password_step(client)
    assert response["Location"] == "/workbench/login/verify/"
    assert client.get("/workbench/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_plus_totp_opens_the_workbench_with_only_the_roles_menu(client, demo):
    password_step(client, "amr_acceptor")
    device = TOTPDevice.objects.get(user=demo["amr_acceptor"])
    response = client.post("/workbench/login/verify/", {"token": current_code(device)}, follow=True)
    html = response.content.decode()
    assert "受理人员" in html
    assert "长春市市场监督管理局" in html
    assert "受理" in html
    assert "审计日志" not in html
    assert "机构管理" not in html
    assert AuditEvent.objects.filter(action="staff.login", actor_id=demo["amr_acceptor"].pk).exists()


def test_a_used_totp_code_cannot_be_replayed(client, demo):
    device = TOTPDevice.objects.get(user=demo["city_admin"])
    code = current_code(device)
    password_step(client)
    assert client.post("/workbench/login/verify/", {"token": code}).status_code == 302
    client.post("/workbench/logout/")
    password_step(client)
    response = client.post("/workbench/login/verify/", {"token": code})
    assert response.status_code == 200
    assert "已使用" in response.content.decode()


def test_wrong_codes_count_towards_the_lockout(client, demo):
    password_step(client)
    for _ in range(5):
        client.post("/workbench/login/verify/", {"token": "000000"})
    response = password_step(client)
    assert "已锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="account.locked", object_id=str(demo["city_admin"].pk)).exists()


def test_first_login_enrols_an_authenticator_with_a_qr_code(client, demo):
    response = password_step(client, "amr_responder")
    assert response["Location"] == "/workbench/login/enrol/"
    html = client.get("/workbench/login/enrol/").content.decode()
    assert "<svg" in html
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
    device = TOTPDevice.objects.get(user=demo["amr_responder"], confirmed=False)
    assert base64.b32encode(device.bin_key).decode().rstrip("=") == secret
    response = client.post("/workbench/login/enrol/", {"token": current_code(device)}, follow=True)
    html = response.content.decode()
    assert "认证器绑定成功" in html
    codes = re.findall(r"\b\d{8}\b", html.split("恢复码")[1])
    assert len(codes) == 10
    assert AuditEvent.objects.filter(action="mfa.enrolled").exists()

    # A recovery code works once, then never again.
    client.post("/workbench/logout/")
    password_step(client, "amr_responder")
    assert client.post("/workbench/login/verify/", {"token": codes[0]}).status_code == 302
    client.post("/workbench/logout/")
    password_step(client, "amr_responder")
    assert client.post("/workbench/login/verify/", {"token": codes[0]}).status_code == 200


def test_applicants_cannot_enter_the_workbench(client, demo):
    from govhall.accounts.services import find_applicant

    client.force_login(find_applicant("13800000001"))
    assert client.get("/workbench/").status_code == 403


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/"])
def test_admin_needs_the_second_factor_too(client, demo, path):
    user = demo["city_admin"]
    user.is_staff = True
    user.is_superuser = True
    user.save()
    client.force_login(user)  # a password-only session
    response = client.get(path)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
