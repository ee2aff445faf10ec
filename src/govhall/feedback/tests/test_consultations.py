"""Consultations (Art. 15 para 1): ask, answer with SMS, transfer keeps the clock, FAQ needs the
office's approval and carries no personal data."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govhall.core import cache_versions
from govhall.core.audit.models import AuditEvent
from govhall.feedback import queries, services
from govhall.feedback.models import Consultation, ConsultationTransfer, FaqStatus, Invitation
from govhall.feedback.tests.conftest import at
from govhall.notifications.models import Message

pytestmark = pytest.mark.django_db


def asked(hall, when="2026-11-25 10:00"):
    return services.ask(hall.alice, question="食品经营许可需要哪些材料？", item=hall.item, now=at(when))


def test_a_question_on_a_guide_goes_to_the_items_department(hall):
    consultation = asked(hall)
    assert consultation.department == hall.department
    assert consultation.number.startswith("ZX20261125")
    assert consultation in [c for c in queries.consultation_queue(hall.responder)]
    assert consultation not in queries.consultation_queue(hall.other_responder)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"question": "  "}, "question"),
        ({"question": "问" * 2001}, "question"),
        ({"question": "在吗"}, "department"),  # neither item nor department
    ],
)
def test_a_bad_question_gets_a_clear_error_and_nothing_is_stored(hall, fields, field):
    with pytest.raises(ValidationError) as error:
        services.ask(hall.alice, **fields)
    assert field in error.value.message_dict
    assert not Consultation.objects.exists()


def test_staff_cannot_ask(hall):
    with pytest.raises(PermissionDenied):
        services.ask(hall.responder, question="测试", department=hall.department)


def test_the_answer_reaches_the_asker_by_sms_and_invites_a_rating(hall):
    consultation = services.answer(
        asked(hall), hall.responder, text="需要营业执照和健康证明。", now=at("2026-11-26 09:00")
    )
    assert consultation.status == "answered"
    sms = Message.objects.get(template_code="reply_notice", object_id=str(consultation.pk))
    assert sms.recipient_hash == hall.alice.mobile_hash
    invitation = Invitation.objects.get(consultation=consultation)
    assert invitation.citizen == hall.alice
    assert Message.objects.filter(template_code="feedback_evaluation_invite", object_id=str(invitation.pk)).exists()


@pytest.mark.parametrize("who", ["colleague", "other_responder", "district", "bob"])
def test_only_the_departments_responder_or_head_answers(hall, who):
    consultation = asked(hall)
    with pytest.raises(PermissionDenied):
        services.answer(consultation, getattr(hall, who), text="答复")
    consultation.refresh_from_db()
    assert consultation.status == "open"


def test_an_answer_is_given_once(hall):
    consultation = services.answer(asked(hall), hall.responder, text="答复一")
    with pytest.raises(ValidationError):
        services.answer(consultation, hall.head, text="答复二")
    consultation.refresh_from_db()
    assert consultation.answer == "答复一"


def test_a_transfer_keeps_the_clock_and_is_recorded(hall):
    consultation = asked(hall)
    due = consultation.due_date
    moved = services.transfer(
        consultation, hall.responder, to_department=hall.other, reason="属于另一部门职责", now=at("2026-11-26 15:00")
    )
    assert moved.department == hall.other
    assert moved.due_date == due == datetime.date(2026, 11, 27)
    transfer = ConsultationTransfer.objects.get(consultation=consultation)
    assert (transfer.from_department, transfer.to_department, transfer.by) == (
        hall.department,
        hall.other,
        hall.responder,
    )
    assert consultation in queries.consultation_queue(hall.other_responder)
    assert consultation not in queries.consultation_queue(hall.responder)
    with pytest.raises(PermissionDenied):  # the first department no longer answers it
        services.answer(moved, hall.responder, text="答复")


def test_a_transfer_needs_another_department_and_a_reason(hall):
    consultation = asked(hall)
    with pytest.raises(ValidationError) as same:
        services.transfer(consultation, hall.responder, to_department=hall.department, reason="x")
    with pytest.raises(ValidationError) as no_reason:
        services.transfer(consultation, hall.responder, to_department=hall.other, reason=" ")
    assert "to_department" in same.value.message_dict
    assert "reason" in no_reason.value.message_dict
    assert not ConsultationTransfer.objects.exists()


def test_snippets_belong_to_the_department(hall):
    snippet = services.add_snippet(hall.department, hall.responder, title="材料清单", text="请参阅办事指南。")
    assert list(queries.snippets(hall.department.pk)) == [snippet]
    with pytest.raises(PermissionDenied):
        services.add_snippet(hall.department, hall.other_responder, title="x", text="y")


def test_faq_publication_needs_the_offices_approval(hall):
    consultation = services.answer(asked(hall), hall.responder, text="需要营业执照。")
    faq = services.propose_faq(consultation, hall.responder, question="需要哪些材料？", answer="需要营业执照。")
    assert faq.status == FaqStatus.PROPOSED
    assert not queries.published_faqs(hall.item.implementation_code).exists()
    with pytest.raises(PermissionDenied):
        services.decide_faq(faq, hall.head, approve=True)  # the department cannot publish itself
    before = cache_versions.version("catalog")
    with pytest.raises(PermissionDenied):
        services.decide_faq(faq, hall.foreign_district, approve=True)
    with django_capture_on_commit():
        services.decide_faq(faq, hall.district, approve=True)
    assert list(queries.published_faqs(hall.item.implementation_code)) == [faq]
    assert cache_versions.version("catalog") != before  # the cached guide page shows it at once
    assert AuditEvent.objects.filter(action="feedback.faq_decided").exists()


def django_capture_on_commit():
    """Run on-commit callbacks at once inside the test transaction."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.mark.parametrize(
    "text",
    ["张三问：需要哪些材料？", "请致电13912345678咨询", "身份证220102199001011234的申请人"],
)
def test_a_public_faq_text_may_not_carry_personal_data(hall, text):
    consultation = services.answer(asked(hall), hall.responder, text="答复")
    with pytest.raises(ValidationError) as error:
        services.propose_faq(consultation, hall.responder, question=text, answer="答复")
    assert "question" in error.value.message_dict


def test_a_rejection_needs_a_reason(hall):
    consultation = services.answer(asked(hall), hall.responder, text="答复")
    faq = services.propose_faq(consultation, hall.responder, question="公开问题", answer="公开答复")
    with pytest.raises(ValidationError):
        services.decide_faq(faq, hall.city, approve=False)
    services.decide_faq(faq, hall.city, approve=False, note="答复不具普遍性")
    faq.refresh_from_db()
    assert faq.status == FaqStatus.REJECTED
