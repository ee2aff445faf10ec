"""The portal and workbench faces: guide page link and FAQ, my lists, rating, the staff queues with
markers and masked names, TOTP-protected staff pages, privacy of complaints, the supervision page."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from govhall.accounts.tests.otp import otp_login as verified
from govhall.applications.tests.factories import pdf
from govhall.core.audit.models import AuditEvent
from govhall.feedback import services
from govhall.feedback.models import Consultation, Evaluation, Invitation
from govhall.feedback.tests.conftest import at

pytestmark = pytest.mark.django_db


def test_the_guide_page_links_to_ask_and_shows_approved_faqs_at_once(hall, django_capture_on_commit_callbacks):
    url = reverse("portal:item", args=[hall.item.implementation_code])
    anonymous = Client()
    page = anonymous.get(url).content.decode()
    assert reverse("portal:feedback_ask_item", args=[hall.item.implementation_code]) in page
    assert "咨询答复精选" not in page
    consultation = services.ask(hall.alice, question="要带什么？", item=hall.item)
    services.answer(consultation, hall.responder, text="营业执照原件。")
    faq = services.propose_faq(consultation, hall.responder, question="需要带什么材料？", answer="营业执照原件。")
    assert "需要带什么材料" not in anonymous.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_faq(faq, hall.district, approve=True)
    assert "需要带什么材料" in anonymous.get(url).content.decode()


def test_a_citizen_asks_and_sees_only_their_own_questions(client, hall):
    client.force_login(hall.alice)
    response = client.post(
        reverse("portal:feedback_ask_item", args=[hall.item.implementation_code]), {"question": "几天能办好？"}
    )
    consultation = Consultation.objects.get()
    assert response.url == reverse("portal:feedback_consultation", args=[consultation.pk])
    assert "几天能办好" in client.get(reverse("portal:feedback_consultations")).content.decode()
    client.force_login(hall.bob)
    assert client.get(reverse("portal:feedback_consultation", args=[consultation.pk])).status_code == 404


def test_an_empty_question_shows_the_error_and_stores_nothing(client, hall):
    client.force_login(hall.alice)
    response = client.post(reverse("portal:feedback_ask"), {"question": "在吗", "department": ""})
    assert response.status_code == 200
    assert "请选择咨询的部门" in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_complaint_with_an_attachment_and_its_privacy(client, hall):
    client.force_login(hall.alice)
    response = client.post(
        reverse("portal:feedback_complain"),
        {
            "subject": "department",
            "department": hall.department.pk,
            "content": "排队两小时",
            "files": [pdf("照片.pdf")],
        },
    )
    complaint = hall.alice.complaints.get()
    assert response.url == reverse("portal:feedback_complaint", args=[complaint.pk])
    attachment = complaint.attachments.get()
    file_url = reverse("portal:feedback_attachment", args=[complaint.pk, attachment.pk])
    assert client.get(file_url).status_code == 200
    client.force_login(hall.bob)
    assert client.get(reverse("portal:feedback_complaint", args=[complaint.pk])).status_code == 404
    assert client.get(file_url).status_code == 404


def test_the_served_person_rates_on_the_portal_and_nobody_else(client, hall):
    consultation = services.ask(hall.alice, question="问题", item=hall.item)
    services.answer(consultation, hall.responder, text="答复")
    invitation = Invitation.objects.get()
    rate = reverse("portal:feedback_rate", args=[invitation.pk])
    client.force_login(hall.bob)
    assert client.get(rate).status_code == 404
    client.force_login(hall.alice)
    assert "去评价" in client.get(reverse("portal:feedback_evaluations")).content.decode()
    scores = {"level": 5, "efficiency": 5, "guide_accuracy": 5, "convenience": 4, "usability": 4, "comment": "好"}
    assert client.post(rate, scores).status_code == 302
    assert Evaluation.objects.get().level == 5
    assert client.get(rate).status_code == 302  # once only


def test_the_public_satisfaction_page_shows_aggregates_without_comments(client, hall):
    consultation = services.ask(hall.alice, question="问题", item=hall.item)
    services.answer(consultation, hall.responder, text="答复")
    from govhall.feedback import evaluations

    evaluations.rate(
        Invitation.objects.get(),
        hall.alice,
        comment="张三很满意",
        level=4,
        efficiency=4,
        guide_accuracy=4,
        convenience=4,
        usability=4,
    )
    page = client.get(reverse("portal:feedback_satisfaction")).content.decode()
    assert hall.department.name in page
    assert "100.0%" in page
    assert "张三" not in page


def test_staff_pages_need_the_second_factor(client, hall):
    client.force_login(hall.responder)
    assert client.get(reverse("workbench:feedback")).status_code == 302


def test_the_queue_shows_markers_and_masked_names_and_answering_works(client, hall):
    consultation = services.ask(hall.alice, question="多久办结？", item=hall.item, now=at("2026-01-05 10:00"))
    services.complain(
        hall.alice, subject="department", department=hall.department, content="慢", now=at("2026-01-05 10:00")
    )
    page = verified(client, hall.responder).get(reverse("workbench:feedback")).content.decode()
    assert consultation.number in page
    assert "已超期" in page
    assert "张*" in page
    assert "张三" not in page
    response = client.post(reverse("workbench:feedback_answer", args=[consultation.pk]), {"answer": "20个工作日。"})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == "answered"


def test_a_complained_about_staff_member_gets_not_found_and_reads_are_audited(client, hall):
    complaint = services.complain(
        hall.alice, subject="staff", staff_member=hall.responder, department=hall.department, content="态度差"
    )
    url = reverse("workbench:feedback_complaint", args=[complaint.pk])
    assert verified(client, hall.responder).get(url).status_code == 404
    head = verified(Client(), hall.head)
    assert "态度差" in head.get(url).content.decode()
    assert AuditEvent.objects.filter(action="feedback.complaint_read", actor_id=hall.head.pk).count() == 1


def test_the_office_supervision_page_lists_overdue_by_department_and_chases(client, hall):
    consultation = services.ask(hall.alice, question="问题", item=hall.item, now=at("2026-01-05 10:00"))
    office = verified(client, hall.district)
    page = office.get(reverse("workbench:feedback_supervision")).content.decode()
    assert hall.department.name in page
    assert consultation.number in page
    office.post(
        reverse("workbench:feedback_supervision"), {"kind": "consultation", "case": consultation.pk, "note": "今日答复"}
    )
    assert consultation.chases.count() == 1
    assert verified(Client(), hall.responder).get(reverse("workbench:feedback_supervision")).status_code == 403


def test_other_workbench_pages_render(client, hall):
    office = verified(client, hall.city)
    for name in ("feedback_faqs", "feedback_appeals", "feedback_rectifications", "feedback_snippets"):
        assert office.get(reverse(f"workbench:{name}")).status_code == 200
    caches["pages"].clear()


def test_office_pages_are_offered_to_the_office_only(client, hall):
    responder_page = verified(client, hall.responder).get(reverse("workbench:feedback")).content.decode()
    office_page = verified(Client(), hall.district).get(reverse("workbench:feedback")).content.decode()
    supervision = reverse("workbench:feedback_supervision")
    assert supervision not in responder_page
    assert supervision in office_page


def test_rectification_appeal_and_faq_pages_carry_their_forms(client, hall):
    from govhall.feedback import evaluations
    from govhall.feedback.models import Appeal, FaqEntry, Rectification

    consultation = services.ask(hall.alice, question="问题", item=hall.item)
    services.answer(consultation, hall.responder, text="答复")
    services.propose_faq(consultation, hall.responder, question="公开问题", answer="公开答复")
    bad = {"level": 1, "efficiency": 1, "guide_accuracy": 1, "convenience": 1, "usability": 1}
    evaluation = evaluations.rate(Invitation.objects.get(), hall.alice, comment="很差", **bad)
    task = Rectification.objects.get()

    head = verified(client, hall.head)
    page = head.get(reverse("workbench:feedback_rectifications")).content.decode()
    assert "很差" in page
    assert "完成整改" in page
    head.post(
        reverse("workbench:feedback_rectifications"), {"task": task.pk, "callback_note": "已回访", "outcome": "已整改"}
    )
    task.refresh_from_db()
    assert task.status == "done"
    head.post(reverse("workbench:feedback_evaluation_action", args=[evaluation.pk, "appeal"]), {"text": "恶意差评"})
    appeal = Appeal.objects.get()

    office = verified(Client(), hall.district)
    assert "恶意差评" in office.get(reverse("workbench:feedback_appeals")).content.decode()
    office.post(
        reverse("workbench:feedback_appeals"), {"appeal": appeal.pk, "decision": "rejected", "note": "属实差评"}
    )
    appeal.refresh_from_db()
    assert appeal.status == "rejected"
    assert "公开问题" in office.get(reverse("workbench:feedback_faqs")).content.decode()
    office.post(reverse("workbench:feedback_faqs"), {"faq": FaqEntry.objects.get().pk, "decision": "approve"})
    assert FaqEntry.objects.get().status == "approved"
