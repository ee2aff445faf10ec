"""The feedback sweep beyond Art. 15 cases: rectification deadlines (warn the department on the due
date, tell the office once it has passed) and 好差评 invitations (one reminder after the configured
working days, expiry after the configured natural days), across the 国庆 break of 2026."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govhall.accounts.services import mobile_hash
from govhall.core.audit.models import AuditEvent
from govhall.feedback import evaluations, services, tasks
from govhall.feedback.models import Evaluation, Invitation, Rectification
from govhall.feedback.tests.conftest import at
from govhall.notifications.models import Message

pytestmark = pytest.mark.django_db
GOOD = {"level": 5, "efficiency": 5, "guide_accuracy": 5, "convenience": 5, "usability": 5}
BAD = {"level": 1, "efficiency": 1, "guide_accuracy": 1, "convenience": 1, "usability": 1}


def sms(code, user):
    return Message.objects.filter(template_code=code, recipient_hash=mobile_hash(user.mobile))


def invitation_answered_at(hall, moment):
    consultation = services.ask(hall.alice, question="怎么办理？", item=hall.item, now=at("2026-09-29 10:00"))
    services.answer(consultation, hall.responder, text="请见办事指南。", now=at(moment))
    return Invitation.objects.get(consultation=consultation)


def counts(now, *keys):
    result = tasks.sweep(at(now))
    return tuple(result[key] for key in keys)


# --- rectification tasks --------------------------------------------------------------------------

# Rated on Wed 2026-09-30: five working days are 10/8, 10/9, the make-up Saturday 10/10, 10/12, 10/13.
RECTIFICATION_STEPS = [
    ("2026-10-07 09:00", (0, 0)),  # the last day of the 国庆 break: nothing yet
    ("2026-10-12 09:00", (0, 0)),  # one working day left: not yet the due date
    ("2026-10-13 09:00", (1, 0)),  # the due date: the department is warned
    ("2026-10-13 15:00", (0, 0)),  # ... once
    ("2026-10-14 09:00", (0, 1)),  # passed: the office is told
    ("2026-10-15 09:00", (0, 0)),  # ... once
]


def rectification(hall):
    invitation = invitation_answered_at(hall, "2026-09-30 10:00")
    evaluations.rate(invitation, hall.alice, now=at("2026-09-30 16:00"), **BAD)
    return Rectification.objects.get()


def test_a_rectification_task_is_warned_on_its_due_date_and_reported_once_overdue(hall):
    task = rectification(hall)
    assert str(task.due_date) == "2026-10-13"
    for moment, expected in RECTIFICATION_STEPS:
        assert counts(moment, "rectifications_warned", "rectifications_overdue") == expected, moment
    warning = sms("feedback_rectification_due", hall.responder).get()
    assert "2026年10月13日" in warning.text
    report = sms("feedback_rectification_overdue", hall.district).get()
    assert hall.department.name in report.text
    assert not sms("feedback_rectification_overdue", hall.foreign_district).exists()
    event = AuditEvent.objects.get(action="feedback.rectification_overdue_reported")
    assert event.object_id == str(task.pk)


def test_a_completed_rectification_is_neither_warned_nor_reported(hall):
    task = rectification(hall)
    evaluations.complete_rectification(task, hall.responder, callback_note="已回访", outcome="已整改")
    assert counts("2026-10-13 09:00", "rectifications_warned", "rectifications_overdue") == (0, 0)
    assert counts("2026-10-20 09:00", "rectifications_warned", "rectifications_overdue") == (0, 0)
    assert not Message.objects.filter(template_code__startswith="feedback_rectification_").exists()


# --- invitations ----------------------------------------------------------------------------------

# Answered on Wed 2026-09-30: three working days are 10/8, 10/9 and the make-up Saturday 10/10;
# valid for 15 natural days, i.e. up to and including 10/15.
INVITATION_STEPS = [
    ("2026-10-08 09:00", (0, 0)),
    ("2026-10-09 18:00", (0, 0)),
    ("2026-10-10 09:00", (1, 0)),  # the reminder, on the make-up working Saturday
    ("2026-10-12 09:00", (0, 0)),  # never a second one
    ("2026-10-15 23:00", (0, 0)),  # the last valid day
    ("2026-10-16 09:00", (0, 1)),  # expired
    ("2026-10-17 09:00", (0, 0)),
]


def test_an_unrated_invitation_is_reminded_exactly_once_then_expires(hall):
    invitation = invitation_answered_at(hall, "2026-09-30 10:00")
    for moment, expected in INVITATION_STEPS:
        assert counts(moment, "invitations_reminded", "invitations_expired") == expected, moment
    reminder = sms("feedback_evaluation_reminder", hall.alice).get()
    assert f"/feedback/evaluations/{invitation.pk}/" in reminder.text
    assert "2026年10月15日" in reminder.text
    invitation.refresh_from_db()
    assert invitation.expired_at is not None
    assert AuditEvent.objects.filter(action="feedback.invitation_expired", object_id=str(invitation.pk)).exists()


def test_an_expired_invitation_cannot_be_rated(hall):
    invitation = invitation_answered_at(hall, "2026-09-30 10:00")
    with pytest.raises(ValidationError) as error:
        evaluations.rate(invitation, hall.alice, now=at("2026-10-16 09:00"), **GOOD)
    assert "2026年10月15日" in error.value.message_dict["level"][0]
    tasks.sweep(at("2026-10-16 09:00"))
    with pytest.raises(ValidationError):
        evaluations.rate(invitation, hall.alice, now=at("2026-10-16 10:00"), **GOOD)
    assert not Evaluation.objects.exists()


def test_the_last_valid_day_can_still_be_rated(hall):
    invitation = invitation_answered_at(hall, "2026-09-30 10:00")
    evaluations.rate(invitation, hall.alice, now=at("2026-10-15 23:00"), **GOOD)
    assert Evaluation.objects.count() == 1


def test_a_rated_invitation_is_never_reminded_nor_expired(hall):
    invitation = invitation_answered_at(hall, "2026-09-30 10:00")
    evaluations.rate(invitation, hall.alice, now=at("2026-10-08 10:00"), **GOOD)
    for moment in ("2026-10-10 09:00", "2026-10-12 09:00", "2026-10-20 09:00"):
        assert counts(moment, "invitations_reminded", "invitations_expired") == (0, 0)
    assert not Message.objects.filter(template_code="feedback_evaluation_reminder").exists()


@pytest.mark.parametrize(("reminder_days", "valid_days", "reminded_on"), [(1, 15, "2026-10-08"), (5, 30, "2026-10-13")])
def test_the_periods_are_configurable(hall, settings, reminder_days, valid_days, reminded_on):
    settings.FEEDBACK_INVITATION_REMINDER_WORKING_DAYS = reminder_days
    settings.FEEDBACK_INVITATION_VALID_DAYS = valid_days
    invitation = invitation_answered_at(hall, "2026-09-30 10:00")
    assert str(evaluations.reminder_day(invitation)) == reminded_on
    assert counts(f"{reminded_on} 09:00", "invitations_reminded", "invitations_expired") == (1, 0)
    assert invitation.is_expired(at("2026-10-20 09:00")) is (valid_days < 20)


def test_an_expired_invitation_is_refused_on_the_portal_and_no_longer_pending(client, hall):
    from django.urls import reverse

    invitation = invitation_answered_at(hall, "2026-09-30 10:00")  # long past its 15 days
    client.force_login(hall.alice)
    page = client.get(reverse("portal:feedback_evaluations")).content.decode()
    assert "已过期" in page
    assert "去评价" not in page
    rate = reverse("portal:feedback_rate", args=[invitation.pk])
    refused = client.post(rate, {**GOOD, "comment": "好"}, follow=True)
    assert "评价有效期已于2026年10月15日届满" in refused.content.decode()
    consultation = client.get(reverse("portal:feedback_consultation", args=[invitation.consultation_id]))
    assert "评价本次答复" not in consultation.content.decode()
    assert not Evaluation.objects.exists()


def test_an_expired_invitation_is_refused_by_the_api(client, hall):
    invitation = invitation_answered_at(hall, "2026-09-30 10:00")
    client.force_login(hall.alice)
    [row] = client.get("/api/v1/feedback/evaluations").json()
    assert (row["rated"], row["expired"], row["expires_on"]) == (False, True, "2026-10-15")
    refused = client.post(f"/api/v1/feedback/evaluations/{invitation.pk}/rate", GOOD, content_type="application/json")
    assert refused.status_code == 422
    assert "不能再评价" in refused.json()["fields"]["level"][0]
    assert not Evaluation.objects.exists()


def test_the_reminder_comes_on_the_morning_of_its_day(hall):
    """Answered Mon 11-16 at 15:00: the third working day is Thu 11-19, reminded at 09:00 already."""
    invitation_answered_at(hall, "2026-11-16 15:00")
    assert counts("2026-11-18 18:00", "invitations_reminded", "invitations_expired") == (0, 0)
    assert counts("2026-11-19 09:00", "invitations_reminded", "invitations_expired") == (1, 0)
