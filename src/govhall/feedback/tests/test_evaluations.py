"""好差评 (Art. 16): one evaluation per event, only the person served rates, named bad reviews
create the rectification task, appeals decided by the office, evaluations never edited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from govhall.applications import handling
from govhall.applications.models import Application
from govhall.applications.tests.factories import ANSWERS, pdf
from govhall.core.audit.models import AppendOnlyError
from govhall.feedback import evaluations, queries, services
from govhall.feedback.models import Evaluation, EvaluationAnnotation, Invitation, Rectification
from govhall.feedback.tests.conftest import at
from govhall.notifications.models import Message

pytestmark = pytest.mark.django_db
GOOD = {"level": 5, "efficiency": 5, "guide_accuracy": 4, "convenience": 5, "usability": 4}
BAD = {"level": 1, "efficiency": 2, "guide_accuracy": 3, "convenience": 1, "usability": 2}


def answered(hall, who=None):
    """Answered now: the invitation is within its validity whenever the suite runs."""
    who = who or hall.alice
    consultation = services.ask(who, question="怎么办理？", item=hall.item)
    return services.answer(consultation, hall.responder, text="请见办事指南。")


def invitation_of(consultation):
    return Invitation.objects.get(consultation=consultation)


def test_the_person_served_rates_once(hall):
    invitation = invitation_of(answered(hall))
    evaluation = evaluations.rate(invitation, hall.alice, comment="答复很快", **GOOD)
    assert (evaluation.level, evaluation.guide_accuracy) == (5, 4)
    with pytest.raises(ValidationError) as error:
        evaluations.rate(invitation, hall.alice, **BAD)
    assert "level" in error.value.message_dict
    assert Evaluation.objects.count() == 1


def test_the_database_refuses_a_second_evaluation_of_one_event(hall):
    invitation = invitation_of(answered(hall))
    evaluations.rate(invitation, hall.alice, **GOOD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(invitation=invitation, rated_at=datetime.datetime.now(datetime.UTC), **GOOD)


def test_one_invitation_per_event(hall):
    consultation = answered(hall)
    again = evaluations.invite(
        "consultation", consultation, citizen=hall.alice, department=hall.department, item=None, reference="x"
    )
    assert again == invitation_of(consultation)
    assert Message.objects.filter(template_code="feedback_evaluation_invite").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            kind="consultation",
            consultation=consultation,
            citizen=hall.alice,
            department=hall.department,
            reference="x",
            invited_at=consultation.answered_at,
        )


def test_nobody_else_can_rate(hall):
    invitation = invitation_of(answered(hall))
    for other in (hall.bob, hall.responder, hall.city):
        with pytest.raises(PermissionDenied):
            evaluations.rate(invitation, other, **GOOD)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("bad", [{"level": 0}, {"level": 6}, {"usability": None}, {"efficiency": "五"}])
def test_levels_are_one_to_five(hall, bad):
    invitation = invitation_of(answered(hall))
    with pytest.raises(ValidationError) as error:
        evaluations.rate(invitation, hall.alice, **{**GOOD, **bad})
    assert set(bad) <= set(error.value.message_dict)
    assert not Evaluation.objects.exists()


def concluded_application(hall, who):
    from govhall.applications import services as applications
    from govhall.applications.tests.factories import staff

    application = applications.start_draft(who, hall.item, answers=ANSWERS)
    applications.add_material(application, who, hall.item.published_version.materials.get(order=1), pdf())
    application = applications.submit(application, who)
    acceptor, decider = staff("acceptor", hall.department), staff("decider", hall.department)
    handling.accept(application, acceptor)
    Application.objects.filter(pk=application.pk).update(status="result_issued")
    return handling.conclude(Application.objects.get(pk=application.pk), decider)


def test_a_concluded_application_invites_its_applicant_only(hall):
    application = concluded_application(hall, hall.alice)
    invitation = Invitation.objects.get(application=application)
    assert invitation.citizen == hall.alice
    assert invitation.kind == "application"
    with pytest.raises(PermissionDenied):
        evaluations.rate(invitation, hall.bob, **GOOD)  # someone else's application
    evaluations.rate(invitation, hall.alice, **GOOD)


def test_a_named_bad_review_creates_the_rectification_task(hall, settings):
    settings.FEEDBACK_RECTIFICATION_WORKING_DAYS = 5
    evaluation = evaluations.rate(invitation_of(answered(hall)), hall.alice, now=at("2026-09-30 10:00"), **BAD)
    task = Rectification.objects.get(evaluation=evaluation)
    assert task.department == hall.department
    assert task.due_date == datetime.date(2026, 10, 13)  # five working days across 国庆, make-up 10/10 counted
    assert task in queries.rectifications(hall.responder)
    assert Message.objects.filter(template_code="feedback_rectification").exists()
    with pytest.raises(ValidationError) as error:
        evaluations.complete_rectification(task, hall.responder, callback_note="已电话回访", outcome="")
    assert "outcome" in error.value.message_dict
    task = evaluations.complete_rectification(task, hall.responder, callback_note="已电话回访", outcome="补充了指南")
    assert task.status == "done"


def test_the_rectification_deadline_is_configurable(hall, settings):
    settings.FEEDBACK_RECTIFICATION_WORKING_DAYS = 15
    evaluation = evaluations.rate(invitation_of(answered(hall)), hall.alice, now=at("2026-11-25 10:00"), **BAD)
    assert evaluation.rectification.due_date == datetime.date(2026, 12, 16)


@pytest.mark.parametrize(("scores", "named"), [(BAD, False), ({**BAD, "level": 3}, True), (GOOD, True)])
def test_anonymous_or_fair_reviews_create_no_task(hall, scores, named):
    evaluations.rate(invitation_of(answered(hall)), hall.alice, named=named, **scores)
    assert not Rectification.objects.exists()


def test_an_upheld_appeal_excludes_the_review_from_the_statistics(hall):
    bad = evaluations.rate(invitation_of(answered(hall)), hall.alice, **BAD)
    evaluations.rate(invitation_of(answered(hall, hall.bob)), hall.bob, **GOOD)
    assert queries.satisfaction_by_department()[0]["count"] == 2
    with pytest.raises(PermissionDenied):
        evaluations.appeal(bad, hall.colleague, reason="恶意差评")
    appeal = evaluations.appeal(bad, hall.head, reason="评价人与本事项无关，属恶意差评")
    with pytest.raises(PermissionDenied):
        evaluations.decide_appeal(appeal, hall.head, upheld=True, note="x")
    with pytest.raises(ValidationError):
        evaluations.decide_appeal(appeal, hall.district, upheld=True, note="")
    evaluations.decide_appeal(appeal, hall.district, upheld=True, note="经核实为恶意评价")
    row = queries.satisfaction_by_department()[0]
    assert (row["count"], row["average"], row["satisfaction"]) == (1, 5, 100)
    bad.refresh_from_db()
    assert bad.level == 1  # the review itself is unchanged


def test_staff_annotate_but_never_edit(hall):
    evaluation = evaluations.rate(invitation_of(answered(hall)), hall.alice, **BAD)
    evaluations.annotate(evaluation, hall.head, text="已电话联系评价人")
    assert EvaluationAnnotation.objects.filter(evaluation=evaluation).count() == 1
    evaluation.level = 5
    with pytest.raises(AppendOnlyError):
        evaluation.save()
    with pytest.raises(AppendOnlyError):
        Evaluation.objects.filter(pk=evaluation.pk).update(level=5)
    with pytest.raises(PermissionDenied):
        evaluations.annotate(evaluation, hall.other_responder, text="无关部门")


def test_published_aggregates_carry_no_comments_or_names(hall):
    evaluations.rate(invitation_of(answered(hall)), hall.alice, comment="张三的评论", **GOOD)
    rows = queries.satisfaction_by_department() + queries.satisfaction_by_item()
    assert all(set(row) == {"name", "count", "average", "satisfaction"} for row in rows)
    assert "张三" not in repr(rows)
