"""The workbench side (Art. 8): the window's day view with masked personal data, check-in by code
only at one's own centre, staff cancellation only with a reason, capacity forms for the office,
and the supervision figures for district and city offices.

Today is Monday 2026-09-21 08:00 (Beijing) after bookings made on Friday 2026-09-18.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from govhall.accounts.tests.factories import RoleAssignmentFactory, StaffFactory
from govhall.accounts.tests.otp import otp_login as verified
from govhall.appointments import services
from govhall.appointments.models import BookingCapacity, CapacityException, StaffCancellation, Status
from govhall.appointments.tests.test_portal_views import slot_at
from govhall.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _friday(travel):
    travel("2026-09-18 10:00")  # before the hall's role assignments are made


@pytest.fixture
def booked(hall, travel):
    hall.alice.mobile = "13912345678"
    hall.alice.save()
    appointment = services.book(hall.alice, hall.item, slot_at(hall.capacity, "2026-09-21 10:00"))
    travel("2026-09-21 08:00")
    return appointment


def office(region, role="district_admin"):
    user = StaffFactory()
    RoleAssignmentFactory(user=user, role=role, department=None, region=region)
    return user


def test_the_day_view_lists_bookings_with_masked_personal_data(client, hall, booked):
    page = verified(client, hall.staff).get(reverse("workbench:appointments")).content.decode()
    assert booked.code in page
    assert "10:00–10:30" in page
    assert "张*" in page
    assert "张三" not in page
    assert "139****5678" in page
    assert "13912345678" not in page
    assert "预约管理" in page  # the menu entry


def test_check_in_by_code_then_serve(client, hall, booked):
    verified(client, hall.staff)
    response = client.post(
        reverse("workbench:appointment_check_in"), {"code": booked.code.lower(), "centre": hall.centre.pk}, follow=True
    )
    assert "已签到" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == Status.CHECKED_IN
    client.post(reverse("workbench:appointment_serve", args=[booked.pk]))
    booked.refresh_from_db()
    assert booked.status == Status.SERVED


def test_staff_of_another_centre_cannot_check_in(client, hall, booked):
    response = verified(client, hall.other_staff).post(
        reverse("workbench:appointment_check_in"), {"code": booked.code}, follow=True
    )
    assert "不在您所在的服务中心" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED
    page = client.get(reverse("workbench:appointments")).content.decode()
    assert booked.code not in page  # their day view is their own centre


def test_an_unknown_code_is_explained(client, hall, booked):
    response = verified(client, hall.staff).post(
        reverse("workbench:appointment_check_in"), {"code": "ZZZZ2222"}, follow=True
    )
    assert "未找到该预约号" in response.content.decode()


def test_a_staff_cancellation_requires_a_reason(client, hall, booked):
    verified(client, hall.staff)
    url = reverse("workbench:appointment_staff_cancel", args=[booked.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "必须填写原因" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED

    client.post(url, {"reason": "系统故障，窗口暂停"})
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED_BY_STAFF
    assert StaffCancellation.objects.get(appointment=booked).reason == "系统故障，窗口暂停"
    assert AuditEvent.objects.filter(action="appointments.cancelled_by_staff", object_id=str(booked.pk)).exists()


def test_staff_of_another_centre_cannot_cancel(client, hall, booked):
    url = reverse("workbench:appointment_staff_cancel", args=[booked.pk])
    assert verified(client, hall.other_staff).post(url, {"reason": "x"}).status_code == 403


def test_the_office_sets_capacity_and_enters_an_exception(client, hall, booked):
    admin = office(hall.centre.region)
    verified(client, admin)
    url = reverse("workbench:appointment_capacity", args=[hall.centre.pk])
    client.post(url, {"action": "capacity", "slot_minutes": 20, "windows": 4, "is_active": "on"})
    general = BookingCapacity.objects.get(centre=hall.centre, item__isnull=True)
    assert (general.slot_minutes, general.windows) == (20, 4)
    response = client.post(url, {"action": "exception", "date": "2026-09-22", "windows_open": 0, "reason": ""})
    assert response.status_code == 400
    client.post(url, {"action": "exception", "date": "2026-09-22", "windows_open": 0, "reason": "消防检查"})
    assert CapacityException.objects.get(centre=hall.centre).reason == "消防检查"


def test_window_staff_cannot_change_capacity(client, hall):
    url = reverse("workbench:appointment_capacity", args=[hall.centre.pk])
    assert verified(client, hall.staff).get(url).status_code == 403


def test_supervision_figures_for_the_office(client, hall, booked, travel):
    services.cancel_by_staff(booked, hall.staff, "停电")
    travel("2026-09-18 10:00")
    other = services.book(hall.bob, hall.item, slot_at(hall.capacity, "2026-09-21 11:00"))
    travel("2026-09-21 11:00")
    services.check_in(other.code, hall.staff)
    services.serve(other, hall.staff, now=datetime.datetime.fromisoformat("2026-09-21T11:12:00+08:00"))

    admin = office(hall.centre.region)
    page = (
        verified(client, admin)
        .get(reverse("workbench:appointment_figures"), {"date_from": "2026-09-01", "date_to": "2026-09-30"})
        .content.decode()
    )
    assert hall.centre.name in page
    assert "停电" in page
    assert booked.code in page
    assert "<td>12.0</td>" in page  # waited 12 minutes from check-in to served


def test_window_staff_do_not_see_the_figures(client, hall):
    assert verified(client, hall.staff).get(reverse("workbench:appointment_figures")).status_code == 403
