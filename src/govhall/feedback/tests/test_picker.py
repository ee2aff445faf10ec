"""The "people who served you" picker of a staff-member complaint: only the staff who acted on the
citizen's own cases, names masked; a forged choice is refused and nothing is filed (portal, API)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from govhall.applications.models import TimelineEntry
from govhall.feedback import queries, services
from govhall.feedback.models import Complaint
from govhall.feedback.tests.test_evaluations import concluded_application

pytestmark = pytest.mark.django_db
JSON = "application/json"


def named(user, name):
    get_user_model().objects.filter(pk=user.pk).update(name=name)
    user.name = name
    return user


@pytest.fixture
def served(hall):
    """Alice's concluded application: accepted and decided by two staff of the department."""
    application = concluded_application(hall, hall.alice)
    actors = {e.actor for e in TimelineEntry.objects.filter(application=application, actor__kind="staff")}
    acceptor = next(a for a in actors if a.has_role("acceptor"))
    named(acceptor, "王小明")
    named(hall.responder, "赵大勇")
    return acceptor, actors


def test_the_picker_lists_only_the_staff_who_served_the_citizen(hall, served):
    acceptor, actors = served
    people = queries.people_who_served(hall.alice)
    assert {p.staff for p in people} == actors
    assert hall.alice not in {p.staff for p in people}  # the applicant's own steps are not "service"
    assert hall.responder not in {p.staff for p in people}
    mine = next(p for p in people if p.staff == acceptor)
    assert mine.label == f"王*明（{hall.department.name}）"
    assert queries.people_who_served(hall.bob) == []  # someone else's case is not theirs to name


def test_a_complaint_through_the_picker_names_that_person_and_goes_to_their_department(hall, served):
    acceptor, _actors = served
    complaint = services.complain(hall.alice, subject="staff", served_by=str(acceptor.pk), content="态度差")
    assert (complaint.staff_member, complaint.department) == (acceptor, hall.department)


@pytest.mark.parametrize("forged", ["responder", "colleague", "abc", "999999"])
def test_a_forged_choice_is_refused_and_nothing_is_filed(hall, served, forged):
    choice = getattr(hall, forged).pk if hasattr(hall, forged) else forged
    with pytest.raises(ValidationError) as error:
        services.complain(hall.alice, subject="staff", served_by=choice, content="态度差")
    assert "办理过业务" in error.value.message_dict["served_by"][0]
    assert not Complaint.objects.exists()


def test_bob_cannot_name_the_staff_who_served_alice(hall, served):
    acceptor, _actors = served
    with pytest.raises(ValidationError):
        services.complain(hall.bob, subject="staff", served_by=acceptor.pk, content="态度差")
    assert not Complaint.objects.exists()


def test_the_portal_form_offers_the_picker_and_refuses_a_forged_id(client, hall, served):
    acceptor, _actors = served
    client.force_login(hall.alice)
    url = reverse("portal:feedback_complain")
    page = client.get(url).content.decode()
    assert "王*明" in page
    assert "王小明" not in page
    assert "赵*勇" not in page
    assert "赵大勇" not in page
    forged = client.post(url, {"subject": "staff", "served_by": hall.responder.pk, "content": "态度差"})
    assert forged.status_code == 200
    assert "只能选择为您办理过业务的工作人员" in forged.content.decode()
    assert not Complaint.objects.exists()
    filed = client.post(url, {"subject": "staff", "served_by": acceptor.pk, "content": "态度差"})
    assert filed.status_code == 302
    assert Complaint.objects.get().staff_member == acceptor


def test_the_free_text_route_keeps_its_validation(client, hall, served):
    client.force_login(hall.alice)
    url = reverse("portal:feedback_complain")
    unknown = client.post(
        url, {"subject": "staff", "department": hall.department.pk, "staff_name": "不存在", "content": "态度差"}
    )
    assert "未找到该工作人员" in unknown.content.decode()
    assert not Complaint.objects.exists()


def test_the_api_lists_the_choices_and_refuses_a_forged_id(client, hall, served):
    acceptor, actors = served
    client.force_login(hall.alice)
    choices = client.get("/api/v1/feedback/complaints/staff-choices").json()
    assert {row["id"] for row in choices} == {a.pk for a in actors}
    assert {"id": acceptor.pk, "name": "王*明", "department": hall.department.name} in choices
    body = {"subject": "staff", "content": "态度差", "served_by": hall.responder.pk}
    refused = client.post("/api/v1/feedback/complaints", body, content_type=JSON)
    assert refused.status_code == 422
    assert "served_by" in refused.json()["fields"]
    assert not Complaint.objects.exists()
    body["served_by"] = acceptor.pk
    assert client.post("/api/v1/feedback/complaints", body, content_type=JSON).status_code == 201
    assert Complaint.objects.get().staff_member == acceptor
