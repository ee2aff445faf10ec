"""The demo feedback data (issue 10): made through the services, visible in every face, loaded once."""

from __future__ import annotations

from govhall.feedback import demo as feedback_demo
from govhall.feedback import queries
from govhall.feedback.models import Complaint, Consultation, Evaluation, FaqStatus, Rectification
from govhall.notifications.models import Message


def test_the_demo_fills_the_queues_and_loading_again_adds_nothing(demo):
    assert not Consultation.objects.exists()  # not with the core catalog of the test fixture
    assert feedback_demo.load() == 4
    assert Consultation.objects.filter(status="open").count() == 1
    assert Complaint.objects.count() == 1
    assert sorted(Evaluation.objects.values_list("level", flat=True)) == [2, 5]
    assert Rectification.objects.count() == 1
    faq = Consultation.objects.get(faq__isnull=False).faq
    assert faq.status == FaqStatus.APPROVED
    assert [row.total for row in queries.overdue_by_department(demo["city_admin"])] == [1]
    assert Message.objects.filter(template_code="reply_notice").count() == 2
    assert feedback_demo.load() == 0
    assert Consultation.objects.count() == 3
