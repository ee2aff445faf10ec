"""The sweep's deadline markers: yellow warns the responsible staff, red also the supervising office."""

from __future__ import annotations

from govhall.accounts.services import mobile_hash
from govhall.applications import tasks
from govhall.applications.models import Marker
from govhall.applications.tests.conftest import accepted, at
from govhall.applications.tests.factories import staff
from govhall.notifications.models import Message


def _with_mobile(user, number):
    user.mobile, user.mobile_hash = number, mobile_hash(number)
    user.save()
    return user


def test_markers_turn_yellow_then_red_and_warn_once(office):
    from govhall.accounts.tests.factories import RoleAssignmentFactory

    _with_mobile(office.reviewer, "13700000001")
    supervisor = _with_mobile(staff("acceptor", office.department), "13700000002")
    supervisor.role_assignments.all().delete()
    RoleAssignmentFactory(user=supervisor, role="district_admin", department=None, region=office.department.region)

    application = accepted(office, "2026-11-02 10:00")  # decision due Mon Nov 9 (5 working days)

    assert tasks.sweep(now=at("2026-11-05 10:00"))["yellow"] == 0  # 2 of 5 left: green
    assert tasks.sweep(now=at("2026-11-06 10:00"))["yellow"] == 1  # 1 of 5 left: yellow
    assert tasks.sweep(now=at("2026-11-06 11:00"))["yellow"] == 0  # no second warning
    warnings = Message.objects.filter(template_code="deadline_warning")
    assert [message.recipient for message in warnings] == ["13700000001"]

    assert tasks.sweep(now=at("2026-11-10 10:00"))["red"] == 1
    application.refresh_from_db()
    assert application.marker == Marker.RED
    overdue = sorted(Message.objects.filter(template_code="application_overdue").values_list("recipient", flat=True))
    assert overdue == ["13700000001", "13700000002"]
