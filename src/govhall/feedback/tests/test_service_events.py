"""The two hooks into other domains: a served appointment invites its visitor to rate it, once;
only that visitor may rate (Art. 16, 一次一评 on site)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from govhall.appointments import services as appointments
from govhall.appointments.tests.conftest import hall, travel  # noqa: F401 (the appointments fixtures)
from govhall.appointments.tests.test_portal_views import slot_at
from govhall.feedback import evaluations
from govhall.feedback.models import Invitation

pytestmark = pytest.mark.django_db
GOOD = {"level": 5, "efficiency": 5, "guide_accuracy": 5, "convenience": 5, "usability": 5}


@pytest.fixture(autouse=True)
def _friday(travel):  # noqa: F811
    travel("2026-09-18 10:00")  # before the hall's role assignments are made


def test_a_served_visit_invites_its_visitor_once(hall, travel):  # noqa: F811
    appointment = appointments.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    travel("2026-09-21 08:55")
    appointments.check_in(appointment.code, hall.staff)
    appointments.serve(appointment, hall.staff)
    invitation = Invitation.objects.get(appointment=appointment)
    assert (invitation.kind, invitation.citizen, invitation.reference) == ("appointment", hall.alice, appointment.code)
    assert invitation.department == hall.item.department
    with pytest.raises(PermissionDenied):
        evaluations.rate(invitation, hall.bob, **GOOD)
    evaluations.rate(invitation, hall.alice, **GOOD)
    assert Invitation.objects.count() == 1


def test_the_staff_who_checked_in_and_served_a_visit_can_be_picked_by_its_visitor_only(hall, travel):  # noqa: F811
    from govhall.feedback import queries

    appointment = appointments.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 09:00"))
    travel("2026-09-21 08:55")
    appointments.check_in(appointment.code, hall.staff)
    appointments.serve(appointment, hall.staff)
    people = queries.people_who_served(hall.alice)
    assert [p.staff for p in people] == [hall.staff]  # once, though they checked in and served
    assert hall.other_staff not in [p.staff for p in people]
    assert queries.people_who_served(hall.bob) == []
