"""Supervision (Art. 15 para 3): the sweep warns the responder on the last working day and reports
overdue cases to the office; the office's overdue list by department; chasing is recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govhall.core.audit.models import AuditEvent
from govhall.feedback import queries, services, supervision, tasks
from govhall.feedback.models import ChaseAction
from govhall.feedback.tests.conftest import at
from govhall.notifications.models import Message

pytestmark = pytest.mark.django_db


def cases(hall):
    """A consultation due Fri 2026-11-27 and a complaint due Wed 2026-12-02."""
    consultation = services.ask(hall.alice, question="问题", item=hall.item, now=at("2026-11-25 10:00"))
    complaint = services.complain(
        hall.bob, subject="department", department=hall.department, content="投诉", now=at("2026-11-25 10:00")
    )
    return consultation, complaint


def sweep(now):
    """The consultation and complaint counts of the sweep."""
    result = tasks.sweep(now)
    return {key: result[key] for key in ("warned", "overdue")}


def sms(code, user):
    return Message.objects.filter(template_code=code, recipient_hash=_hash(user))


def _hash(user):
    from govhall.accounts.services import mobile_hash

    return mobile_hash(user.mobile)


def test_nothing_happens_before_the_last_working_day(hall):
    cases(hall)
    assert sweep(at("2026-11-26 09:00")) == {"warned": 0, "overdue": 0}
    assert not Message.objects.filter(template_code__startswith="feedback_due").exists()


def test_the_responder_is_warned_once_on_the_last_working_day(hall):
    consultation, _complaint = cases(hall)
    assert sweep(at("2026-11-27 09:00")) == {"warned": 1, "overdue": 0}
    assert sweep(at("2026-11-27 15:00")) == {"warned": 0, "overdue": 0}
    assert sms("feedback_due_soon", hall.responder).count() == 1
    consultation.refresh_from_db()
    assert consultation.warned_at is not None


def test_the_office_is_told_once_the_deadline_has_passed(hall):
    consultation, _complaint = cases(hall)
    sweep(at("2026-11-27 09:00"))
    assert sweep(at("2026-11-28 09:00")) == {"warned": 0, "overdue": 1}  # Saturday after the Friday
    assert sms("feedback_overdue", hall.district).count() == 1
    assert AuditEvent.objects.filter(action="feedback.overdue_reported", object_id=str(consultation.pk)).exists()
    assert sweep(at("2026-12-03 09:00")) == {"warned": 1, "overdue": 1}  # the complaint, warned late
    rows = queries.overdue_by_department(hall.district, supervision.today(at("2026-12-03 09:00")))
    assert [(row.department, row.total) for row in rows] == [(hall.department, 2)]
    assert queries.overdue_by_department(hall.foreign_district, supervision.today(at("2026-12-03 09:00"))) == []


def test_an_answered_case_is_never_reported(hall):
    consultation, _complaint = cases(hall)
    services.answer(consultation, hall.responder, text="答复", now=at("2026-11-26 10:00"))
    assert sweep(at("2026-11-30 09:00"))["overdue"] == 0


def test_an_escalated_complaint_is_watched_on_its_new_deadline_and_the_office_is_warned(hall):
    consultation, complaint = cases(hall)
    services.answer(consultation, hall.responder, text="答复", now=at("2026-11-26 10:00"))
    services.reply_complaint(complaint, hall.responder, text="答复", now=at("2026-11-26 10:00"))
    services.reopen(complaint, hall.bob, reason="不满意", now=at("2026-11-26 11:00"))  # due 12-03
    assert sweep(at("2026-12-03 09:00")) == {"warned": 1, "overdue": 0}
    assert sms("feedback_due_soon", hall.district).count() == 1
    assert sweep(at("2026-12-04 09:00"))["overdue"] == 1


def test_the_office_chases_an_overdue_case_and_the_chase_is_recorded(hall):
    consultation, _complaint = cases(hall)
    with pytest.raises(ValidationError):  # not overdue yet
        supervision.chase(consultation, hall.district, note="请尽快答复", now=at("2026-11-27 10:00"))
    with pytest.raises(PermissionDenied):
        supervision.chase(consultation, hall.foreign_district, note="请尽快答复", now=at("2026-11-30 10:00"))
    with pytest.raises(PermissionDenied):
        supervision.chase(consultation, hall.head, note="请尽快答复", now=at("2026-11-30 10:00"))
    action = supervision.chase(consultation, hall.district, note="请今日内答复", now=at("2026-11-30 10:00"))
    assert ChaseAction.objects.get() == action
    assert action.department == hall.department
    assert sms("feedback_chased", hall.responder).count() == 1
    assert AuditEvent.objects.filter(action="feedback.chased", actor_id=hall.district.pk).exists()


def test_the_office_sees_overdue_rectification_tasks_of_its_departments(hall):
    from govhall.feedback import evaluations
    from govhall.feedback.models import Invitation

    consultation, _complaint = cases(hall)
    services.answer(consultation, hall.responder, text="答复", now=at("2026-11-25 15:00"))
    bad = {"level": 1, "efficiency": 1, "guide_accuracy": 1, "convenience": 1, "usability": 1}
    evaluations.rate(Invitation.objects.get(), hall.alice, now=at("2026-11-25 16:00"), **bad)  # due 12-02
    after = supervision.today(at("2026-12-03 09:00"))
    assert queries.overdue_rectifications(hall.district, after).count() == 1
    assert not queries.overdue_rectifications(hall.district, supervision.today(at("2026-12-02 09:00"))).exists()
    assert not queries.overdue_rectifications(hall.foreign_district, after).exists()
