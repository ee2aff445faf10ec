"""The API of claims, reassignment and handover (issue 8 item 4, tag ``applications``): bearer-token
staff claim and release, the department admin reassigns many and hands over; conflicts are 422
``conflict``, roles 403, another reader's application 404."""

from __future__ import annotations

import pytest

from govhall.accounts import tokens
from govhall.applications import assignment, services
from govhall.applications import demo as applications_demo
from govhall.applications.models import Application, Status, TimelineEntry
from govhall.applications.tests.factories import staff
from govhall.directory.tests.factories import DepartmentFactory

BASE = "/api/v1/applications/assignment"


@pytest.fixture(autouse=True)
def _demo_applications(settings, tmp_path, demo):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"
    applications_demo.load()


def auth(user) -> dict[str, str]:
    raw, _token = tokens.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, user, path, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json", **auth(user))


def waiting() -> Application:
    return Application.objects.get(status=Status.AWAITING_ACCEPTANCE)


def test_claim_and_release(client, demo):
    application = waiting()

    claimed = post(client, demo["amr_acceptor"], f"/{application.uid}/claim")

    assert claimed.status_code == 200
    assert claimed.json()["holder_name"] == demo["amr_acceptor"].name
    assert claimed.json()["claim_expires_at"]
    released = post(client, demo["amr_acceptor"], f"/{application.uid}/release")
    assert released.status_code == 200
    assert released.json()["holder"] is None


def test_a_claim_held_by_a_colleague_is_a_conflict(client, demo):
    application = waiting()
    services.claim(application, demo["amr_acceptor"])

    refused = post(client, staff("acceptor", application.department), f"/{application.uid}/claim")

    assert refused.status_code == 422
    assert refused.json()["code"] == "conflict"
    assert refused.json()["message"] == f"该申请已由{demo['amr_acceptor'].name}认领或承办，请刷新后重试。"


def test_roles_and_scope(client, demo):
    application = waiting()

    assert post(client, demo["amr_reviewer"], f"/{application.uid}/claim").status_code == 403
    assert post(client, staff("acceptor", DepartmentFactory()), f"/{application.uid}/claim").status_code == 404
    body = {"applications": [{"uid": str(application.uid), "expected_holder": None}], "to": 1, "reason": "调整"}
    assert post(client, demo["amr_acceptor"], "/reassign", body).status_code == 403


def test_the_admin_reassigns_many_and_a_stale_one_moves_nothing(client, demo):
    application = waiting()
    colleague = staff("acceptor", application.department)
    body = {
        "applications": [{"uid": str(application.uid), "expected_holder": None}],
        "to": colleague.pk,
        "reason": "均衡工作量",
    }

    done = post(client, demo["amr_admin"], "/reassign", body)

    assert done.status_code == 200
    assert done.json()["moved"] == 1
    assert done.json()["results"][0]["holder"] == colleague.pk
    stale = post(client, demo["amr_admin"], "/reassign", {**body, "to": demo["amr_acceptor"].pk})
    assert stale.status_code == 422
    assert stale.json()["code"] == "conflict"
    application.refresh_from_db()
    assert application.assignee == colleague
    assert TimelineEntry.objects.filter(application=application, action="reassigned").count() == 1


def test_a_reassignment_to_an_unsuitable_colleague_names_the_field(client, demo):
    application = waiting()
    body = {
        "applications": [{"uid": str(application.uid), "expected_holder": None}],
        "to": demo["amr_reviewer"].pk,
        "reason": "调整",
    }

    refused = post(client, demo["amr_admin"], "/reassign", body)

    assert refused.status_code == 422
    assert "不具备办理以下申请当前环节的角色" in refused.json()["fields"]["to"][0]


def test_the_admin_hands_over_everything_a_person_holds(client, demo):
    application = waiting()
    services.claim(application, demo["amr_acceptor"])
    colleague = staff("acceptor", application.department)
    body = {
        "department": application.department_id,
        "holder": demo["amr_acceptor"].pk,
        "to": colleague.pk,
        "reason": "调岗",
    }

    done = post(client, demo["amr_admin"], "/handover", body)

    assert done.status_code == 200
    assert done.json()["moved"] == 1
    assert assignment.held_by(colleague, application.department_id).count() == 1
    assert post(client, demo["amr_acceptor"], "/handover", body).status_code == 403
