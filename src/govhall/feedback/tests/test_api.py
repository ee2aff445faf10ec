"""The feedback API (tag ``feedback``): ask, my lists, complain, rate once, staff queue / answer /
reply; refusals as JSON keyed by field; nobody else's cases."""

from __future__ import annotations

import pytest
from django.test import Client

from govhall.applications.tests.factories import ELF, pdf
from govhall.core.audit.models import AuditEvent
from govhall.feedback.models import Complaint, ComplaintAttachment, Consultation, Invitation
from govhall.feedback.tests.test_views import verified

pytestmark = pytest.mark.django_db
BASE = "/api/v1/feedback"
JSON = "application/json"


def test_ask_answer_rate_through_the_api(client, hall):
    client.force_login(hall.alice)
    asked = client.post(
        f"{BASE}/consultations", {"question": "几天办结？", "item": hall.item.implementation_code}, content_type=JSON
    )
    assert asked.status_code == 201, asked.content
    body = asked.json()
    assert body["department"] == hall.department.name
    assert body["status"] == "open"

    staff = verified(Client(), hall.responder)
    queue = staff.get(f"{BASE}/staff/consultations").json()
    assert [row["number"] for row in queue] == [body["number"]]
    answered = staff.post(
        f"{BASE}/staff/consultations/{body['id']}/answer", {"text": "20个工作日。"}, content_type=JSON
    )
    assert answered.json()["status"] == "answered"

    invitations = client.get(f"{BASE}/evaluations").json()
    assert invitations[0]["rated"] is False
    scores = {"level": 4, "efficiency": 4, "guide_accuracy": 5, "convenience": 4, "usability": 4}
    rated = client.post(f"{BASE}/evaluations/{invitations[0]['id']}/rate", scores, content_type=JSON)
    assert rated.status_code == 201
    assert rated.json()["level"] == 4
    again = client.post(f"{BASE}/evaluations/{invitations[0]['id']}/rate", scores, content_type=JSON)
    assert again.status_code == 422
    assert "level" in again.json()["fields"]


def test_a_bad_question_is_a_json_refusal_by_field(client, hall):
    client.force_login(hall.alice)
    response = client.post(
        f"{BASE}/consultations", {"question": " ", "department": hall.department.pk}, content_type=JSON
    )
    assert response.status_code == 422
    assert "question" in response.json()["fields"]
    assert not Consultation.objects.exists()


def test_nobody_rates_or_reads_anothers_cases(client, hall):
    client.force_login(hall.alice)
    client.post(
        f"{BASE}/complaints",
        {"subject": "department", "department": hall.department.pk, "content": "慢"},
        content_type=JSON,
    )
    asked = client.post(
        f"{BASE}/consultations", {"question": "问", "item": hall.item.implementation_code}, content_type=JSON
    )
    verified(Client(), hall.responder).post(
        f"{BASE}/staff/consultations/{asked.json()['id']}/answer", {"text": "答"}, content_type=JSON
    )
    invitation = Invitation.objects.get()
    client.force_login(hall.bob)
    assert client.get(f"{BASE}/complaints").json() == []
    scores = {"level": 1, "efficiency": 1, "guide_accuracy": 1, "convenience": 1, "usability": 1}
    assert client.post(f"{BASE}/evaluations/{invitation.pk}/rate", scores, content_type=JSON).status_code == 404


def test_staff_reply_to_a_complaint_and_the_queue_masks_names(client, hall):
    client.force_login(hall.alice)
    filed = client.post(
        f"{BASE}/complaints",
        {"subject": "department", "department": hall.department.pk, "content": "慢"},
        content_type=JSON,
    ).json()
    staff = verified(Client(), hall.head)
    queue = staff.get(f"{BASE}/staff/complaints").json()
    assert queue[0]["complainant"] == "张*"
    assert queue[0]["content"] == ""  # content only in the audited detail
    assert staff.get(f"{BASE}/staff/complaints/{filed['id']}").json()["content"] == "慢"
    assert AuditEvent.objects.filter(action="feedback.complaint_read", actor_id=hall.head.pk).count() == 1
    replied = staff.post(f"{BASE}/staff/complaints/{filed['id']}/reply", {"text": "已整改"}, content_type=JSON)
    assert replied.json()["status"] == "replied"
    assert (
        verified(Client(), hall.other_responder)
        .post(f"{BASE}/staff/complaints/{filed['id']}/reply", {"text": "x"}, content_type=JSON)
        .status_code
        == 404
    )


def test_a_complaint_with_attachments_through_the_api_and_an_executable_refused(client, hall):
    client.force_login(hall.alice)
    fields = {"subject": "department", "department": hall.department.pk, "content": "窗口推诿。"}
    filed = client.post(f"{BASE}/complaints/with-attachments", {**fields, "files": [pdf("照片.pdf"), pdf("录音.pdf")]})
    assert filed.status_code == 201, filed.content
    complaint = Complaint.objects.get(number=filed.json()["number"])
    assert sorted(complaint.attachments.values_list("original_name", flat=True)) == ["录音.pdf", "照片.pdf"]

    refused = client.post(f"{BASE}/complaints/with-attachments", {**fields, "files": [pdf("照片.pdf", ELF)]})
    assert refused.status_code == 422
    assert "files" in refused.json()["fields"]
    assert Complaint.objects.count() == 1
    assert ComplaintAttachment.objects.count() == 2
