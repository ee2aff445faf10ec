"""The staff side of applications in the API (issue 7): queues, detail and actions by bearer token,
scope (another department: 404), roles (an acceptor cannot decide), and the decision's fresh TOTP."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from govhall.accounts import tokens
from govhall.applications import demo as applications_demo
from govhall.applications.models import Application, Status
from govhall.applications.tests.factories import staff
from govhall.directory.tests.factories import DepartmentFactory

BASE = "/api/v1/applications/staff"


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture(autouse=True)
def _demo_applications(_private_root, demo):
    """The demo applications in every queue (``load_demo`` adds them with the full catalog only)."""
    applications_demo.load()


def _auth(user) -> dict[str, str]:
    raw, _token = tokens.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client, user, application, action, **body):
    return client.post(
        f"{BASE}/{application.uid}/actions/{action}", body, content_type="application/json", **_auth(user)
    )


def test_the_acceptor_lists_the_queue_masked(client, demo):
    response = client.get(f"{BASE}/queue", **_auth(demo["amr_acceptor"]))

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["status"] == Status.AWAITING_ACCEPTANCE
    assert row["applicant"] == "张*"
    queues = client.get(f"{BASE}/queues", **_auth(demo["amr_acceptor"])).json()
    assert queues[0]["key"] == "acceptance"


def test_detail_and_accept(client, demo):
    waiting = Application.objects.get(status=Status.AWAITING_ACCEPTANCE)
    detail = client.get(f"{BASE}/{waiting.uid}", **_auth(demo["amr_acceptor"])).json()
    assert set(detail["actions"]) == {"accept", "not_accept", "correction"}
    assert detail["materials"]

    accepted = _post(client, demo["amr_acceptor"], waiting, "accept", expected=Status.AWAITING_ACCEPTANCE)
    assert accepted.status_code == 200
    assert accepted.json()["status"] == Status.ACCEPTED
    again = _post(client, demo["amr_acceptor"], waiting, "accept", expected=Status.AWAITING_ACCEPTANCE)
    assert again.status_code == 422
    assert again.json()["code"] == "conflict"
    assert "已被他人处理" in again.json()["message"]


def test_another_department_gets_404_and_applicants_403(client, demo):
    waiting = Application.objects.get(status=Status.AWAITING_ACCEPTANCE)
    outsider = staff("acceptor", DepartmentFactory())
    assert client.get(f"{BASE}/{waiting.uid}", **_auth(outsider)).status_code == 404
    assert _post(client, outsider, waiting, "accept").status_code == 404
    assert client.get(f"{BASE}/queue", **_auth(waiting.applicant)).status_code == 403
    assert client.get(f"{BASE}/queue").status_code == 401


def test_an_acceptor_cannot_decide(client, demo):
    red = Application.objects.get(marker="red")
    response = _post(client, demo["amr_acceptor"], red, "decide", outcome="approve", reasons="r", legal_basis="b")
    assert response.status_code == 403


def test_the_decision_needs_a_fresh_totp_code(client, demo):
    red = Application.objects.get(marker="red")
    assert _post(client, demo["amr_reviewer"], red, "stage", opinion="符合").status_code == 200
    assert _post(client, demo["amr_decider"], red, "stage", opinion="同意").status_code == 200
    decider = demo["amr_decider"]
    body = {"outcome": "approve", "reasons": "符合条件", "legal_basis": "食品安全法第三十五条"}

    missing = _post(client, decider, red, "decide", **body)
    assert missing.status_code == 422
    assert missing.json()["code"] == "step_up_required"
    wrong = _post(client, decider, red, "decide", otp_token="000000", **body)
    assert wrong.status_code == 422
    red.refresh_from_db()
    assert red.status == Status.IN_REVIEW

    device = TOTPDevice.objects.get(user=decider, name="demo")
    code = f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}"
    approved = _post(client, decider, red, "decide", otp_token=code, **body)
    assert approved.status_code == 200
    assert approved.json()["status"] == Status.APPROVED
